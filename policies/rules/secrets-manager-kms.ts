import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isSet, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** What names an AWS managed key (alias/aws/secretsmanager, alias/aws/kms, ...), as Checkov reads it. */
const AWS_MANAGED_ALIAS = "aws/";

export const secretsManagerKms: Rule = {
    name: "secrets-manager-kms",
    description: "Checks that Secrets Manager secrets are encrypted with a customer-managed KMS key rather than an AWS managed key (alias/aws/...).",
    // FSBP has no control for the key. Checkov's (SecretManagerSecretEncrypted.py) fails a missing key
    // and any key id containing "aws/" (an AWS managed key's alias), as this rule does.
    controls: ["Checkov CKV_AWS_149"],
    severity: "medium",
    remediationSteps:
        "Set `kmsKeyId` on the aws.secretsmanager.Secret to a customer-managed key, and allow kms:Decrypt on it to the roles that read the secret.",
    validateResource: validateTypes([aws.secretsmanager.Secret], (secret, _args, reportViolation) => {
        // A secret key id is still a key: only its absence or an AWS managed key's alias is a finding.
        if (!isSet(secret.kmsKeyId) || (typeof secret.kmsKeyId === "string" && secret.kmsKeyId.includes(AWS_MANAGED_ALIAS)))
            reportViolation(at("kmsKeyId", `Secrets must be encrypted with a customer-managed KMS key: kmsKeyId is ${JSON.stringify(secret.kmsKeyId)}.`));
    }),
};
