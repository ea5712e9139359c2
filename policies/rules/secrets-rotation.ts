import { aws } from "../lib/resource-types";
import { linksTo, ofTypes } from "../lib/references";
import { at } from "../lib/report";
import { isRecord, numberOf } from "../lib/values";
import type { Rule } from ".";

const ROTATION = [aws.secretsmanager.SecretRotation];
// FSBP SecretsManager.4's default maximum age.
const MAXIMUM_DAYS = 90;

// Advisory in the AWS stacks (policies/config): the database role passwords and the Redis token are
// rotated by changing them through the stack (docs/aws-security.md), and the GHCR token by its issuer.
export const secretsRotation: Rule = {
    name: "secrets-rotation",
    description: `Checks that every Secrets Manager secret rotates automatically, at least every ${MAXIMUM_DAYS} days.`,
    controls: ["AWS FSBP SecretsManager.1", "AWS FSBP SecretsManager.4", "Checkov CKV2_AWS_57"],
    severity: "medium",
    remediationSteps: `Add an aws.secretsmanager.SecretRotation for the secret with a rotation function and \`rotationRules.automaticallyAfterDays\` of ${MAXIMUM_DAYS} or fewer.`,
    stackTypes: [aws.secretsmanager.Secret, ...ROTATION],
    validateStack: (args, reportViolation) => {
        const rotations = ofTypes(args.resources, ROTATION);
        for (const secret of ofTypes(args.resources, [aws.secretsmanager.Secret])) {
            const days = linksTo(secret, rotations, "secretId", "name").map((r) =>
                isRecord(r.props.rotationRules) ? numberOf(r.props.rotationRules.automaticallyAfterDays) : undefined,
            );
            if (days.length === 0) reportViolation(at("id", `Secrets must rotate automatically: no secret rotation names secret ${secret.name}.`), secret.urn);
            else if (!days.some((d) => d === undefined || d <= MAXIMUM_DAYS))
                reportViolation(
                    at("id", `Secrets must rotate at least every ${MAXIMUM_DAYS} days: secret ${secret.name} rotates after ${days.join(", ")} days.`),
                    secret.urn,
                );
        }
    },
};
