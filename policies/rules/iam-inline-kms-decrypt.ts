import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { actionMatches, allowStatements, validateIdentityPolicies } from "../lib/statements";
import { strings } from "../lib/values";
import type { Rule } from ".";

const DECRYPTING = ["kms:Decrypt", "kms:ReEncryptFrom"];
// Every key: "*", or a key ARN pattern with a wildcard key id.
const everyKey = (resource: string) => resource === "*" || /^arn:[\w-]+:kms:[^:]*:[^:]*:key\/\*$/.test(resource);

export const iamInlineKmsDecrypt: Rule = {
    name: "iam-inline-kms-decrypt",
    description: "Checks that no identity policy allows decrypting with every KMS key (kms:Decrypt or kms:ReEncryptFrom on all keys).",
    controls: ["AWS FSBP KMS.1", "AWS FSBP KMS.2"],
    // KMS.1 judges customer-managed policies, KMS.2 the inline policies of roles, users and groups.
    controlScopes: { "AWS FSBP KMS.1": [aws.iam.Policy], "AWS FSBP KMS.2": [aws.iam.RolePolicy, aws.iam.UserPolicy, aws.iam.GroupPolicy, aws.iam.Role] },
    severity: "high",
    remediationSteps: "Name the key ARNs the principal decrypts with in the statement's `Resource`.",
    validateResource: validateIdentityPolicies(({ property, policy }, report) => {
        for (const statement of allowStatements(policy)) {
            const actions = strings(statement.Action).filter((a) => DECRYPTING.some((d) => actionMatches(a, d)));
            if (actions.length > 0 && strings(statement.Resource).some(everyKey))
                report(
                    at(
                        property,
                        `Identity policies must not decrypt with every KMS key: they allow ${actions.join(", ")} on ${strings(statement.Resource).join(", ")}.`,
                    ),
                );
        }
    }),
};
