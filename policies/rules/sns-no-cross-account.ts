import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { accountOf, allowStatements, awsPrincipals, principalAccount } from "../lib/statements";
import { strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const snsNoCrossAccount: Rule = {
    name: "sns-no-cross-account",
    description: "Checks that SNS topic policies grant access only to principals of the topic's own account (or to AWS services).",
    controls: ["Checkov CKV_AWS_385"],
    severity: "high",
    remediationSteps: "Remove other accounts' principals from the aws.sns.TopicPolicy; subscribe them through a topic of their own account instead.",
    validateResource: validateTypes([aws.sns.TopicPolicy], (topic, _args, reportViolation) => {
        const own = strings(topic.arn).map(accountOf)[0];
        const foreign = allowStatements(topic.policy)
            .flatMap(awsPrincipals)
            .filter((p) => {
                const account = principalAccount(p);
                return account !== undefined && own !== undefined && account !== own;
            });
        if (foreign.length > 0)
            reportViolation(
                at("policy", `SNS topic policies must not grant other accounts: the topic's account is ${own}, the policy allows ${foreign.join(", ")}.`),
            );
    }),
};
