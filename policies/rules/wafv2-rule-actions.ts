import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, records, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const wafv2RuleActions: Rule = {
    name: "wafv2-rule-actions",
    description:
        "Checks that every WAFv2 web ACL has at least one rule and that each rule says what to do with a match (an action, or an override for a rule group).",
    controls: ["AWS FSBP WAF.10", "Checkov CKV_AWS_175", "Checkov CKV_AWS_342"],
    severity: "medium",
    remediationSteps: "Give the aws.wafv2.WebAcl rules, each with `action` (block, allow, count, captcha) or, for a rule group, `overrideAction`.",
    validateResource: validateTypes([aws.wafv2.WebAcl], (acl, _args, reportViolation) => {
        const rules = records(acl.rules);
        if (rules.length === 0) reportViolation(at("rules", "WAF web ACLs must have at least one rule: rules is empty."));
        rules.forEach((rule, i) => {
            if (!isRecord(rule.action) && !isRecord(rule.overrideAction))
                reportViolation(at(`rules[${i}]`, `WAF rules must have an action: rule ${JSON.stringify(rule.name)} has neither action nor overrideAction.`));
        });
    }),
};
