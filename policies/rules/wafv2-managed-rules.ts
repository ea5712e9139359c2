import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, records, validateTypes } from "../lib/values";
import type { Rule } from ".";

// AWS's managed rule group that blocks known bad inputs, Log4j's JNDI lookups among them (WAF developer
// guide, "Known bad inputs managed rule group").
const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";

export const wafv2ManagedRules: Rule = {
    name: "wafv2-managed-rules",
    description: `Checks that every WAFv2 web ACL runs AWS's ${KNOWN_BAD_INPUTS} managed rule group (which blocks Log4Shell lookups) in blocking mode, not overridden to count.`,
    controls: ["Checkov CKV_AWS_192", "Checkov CKV2_AWS_76"],
    severity: "high",
    remediationSteps: `Add a rule to the aws.wafv2.WebAcl with \`statement.managedRuleGroupStatement: { vendorName: "AWS", name: "${KNOWN_BAD_INPUTS}" }\` and \`overrideAction: { none: {} }\`.`,
    validateResource: validateTypes([aws.wafv2.WebAcl], (acl, _args, reportViolation) => {
        const blocking = records(acl.rules).some((rule) => {
            const group = isRecord(rule.statement) ? rule.statement.managedRuleGroupStatement : undefined;
            const counts = isRecord(rule.overrideAction) && "count" in rule.overrideAction;
            return isRecord(group) && group.vendorName === "AWS" && group.name === KNOWN_BAD_INPUTS && !counts;
        });
        if (!blocking) reportViolation(at("rules", `WAF web ACLs must run ${KNOWN_BAD_INPUTS} in blocking mode: no rule does.`));
    }),
};
