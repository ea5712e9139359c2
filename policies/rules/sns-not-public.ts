import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { allowStatements, publicStatement } from "../lib/statements";
import { validateTypes } from "../lib/values";
import type { Rule } from ".";

export const snsNotPublic: Rule = {
    name: "sns-not-public",
    description: 'Checks that no SNS topic policy allows any principal ("*") without a condition narrowing it.',
    controls: ["AWS FSBP SNS.4", "Checkov CKV_AWS_169"],
    severity: "critical",
    remediationSteps:
        'Name the publishing services or accounts in the aws.sns.TopicPolicy\'s `Principal`, or narrow "*" with `aws:SourceAccount`/`aws:SourceArn`.',
    validateResource: validateTypes([aws.sns.TopicPolicy, aws.sns.Topic], (topic, _args, reportViolation) => {
        const open = allowStatements(topic.policy).filter(publicStatement);
        if (open.length > 0)
            reportViolation(at("policy", `SNS topic policies must not allow any principal: ${open.length} statement(s) allow "*" without a condition.`));
    }),
};
