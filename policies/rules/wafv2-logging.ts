import { aws } from "../lib/resource-types";
import { linkedTargets, ofTypes } from "../lib/references";
import { at } from "../lib/report";
import type { Rule } from ".";

export const wafv2Logging: Rule = {
    name: "wafv2-logging",
    description: "Checks that every WAFv2 web ACL logs the requests it inspects.",
    controls: ["NIST 800-53 WAF.11", "Checkov CKV2_AWS_31"],
    severity: "low",
    remediationSteps:
        'Add an aws.wafv2.WebAclLoggingConfiguration with `resourceArn` set to the web ACL\'s ARN and `logDestinationConfigs` naming a log group whose name starts with "aws-waf-logs-".',
    stackTypes: [aws.wafv2.WebAcl, aws.wafv2.WebAclLoggingConfiguration],
    // The logging configuration is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        const acls = ofTypes(args.resources, [aws.wafv2.WebAcl]);
        const logged = linkedTargets(acls, ofTypes(args.resources, [aws.wafv2.WebAclLoggingConfiguration]), "resourceArn", "arn");
        for (const acl of acls.filter((a) => !logged.has(a)))
            reportViolation(at("arn", `Web ACLs must log the requests they inspect: no logging configuration of this stack names ${acl.name}.`), acl.urn);
    },
};
