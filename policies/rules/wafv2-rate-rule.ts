import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, records, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const wafv2RateRule: Rule = {
    name: "wafv2-rate-rule",
    description: "Checks that every WAFv2 web ACL has a rate-based rule that blocks a client sending too many requests.",
    // FSBP WAF.10 passes a web ACL with any rule at all, so it does not check this; no FSBP or CIS control asks
    // for a rate limit. Throttling clients is the Well-Architected practice (REL05-BP02 Throttle requests).
    controls: ["AWS Well-Architected REL05-BP02"],
    severity: "medium",
    remediationSteps:
        'Add a rule to the aws.wafv2.WebAcl with `statement: { rateBasedStatement: { limit: <requests per window>, aggregateKeyType: "IP" } }` and `action: { block: {} }`.',
    validateResource: validateTypes([aws.wafv2.WebAcl], (acl, _args, reportViolation) => {
        const blocksByRate = records(acl.rules).some(
            (rule) => isRecord(rule.statement) && isRecord(rule.statement.rateBasedStatement) && isRecord(rule.action) && isRecord(rule.action.block),
        );
        if (!blocksByRate)
            reportViolation(at("rules", "Web ACLs must limit each client's request rate: no rule has a rateBasedStatement with a block action."));
    }),
};
