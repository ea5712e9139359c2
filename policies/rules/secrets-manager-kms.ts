import * as aws from "@pulumi/aws";
import { at } from "../lib/report";
import { isSet, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const secretsManagerKms: Rule = {
    name: "secrets-manager-kms",
    description: "Checks that Secrets Manager secrets are encrypted with a customer-managed KMS key rather than the account's default aws/secretsmanager key.",
    // FSBP has no control for the key; Checkov's check is the one reviewers cite.
    controls: ["Checkov CKV_AWS_149"],
    remediationSteps:
        "Set `kmsKeyId` on the aws.secretsmanager.Secret to a customer-managed key, and allow kms:Decrypt on it to the roles that read the secret.",
    validateResource: validateTypes([aws.secretsmanager.Secret], (secret, _args, reportViolation) => {
        // A secret key id is still a key: only its absence is a finding.
        if (!isSet(secret.kmsKeyId) || secret.kmsKeyId === "alias/aws/secretsmanager")
            reportViolation(at("kmsKeyId", `Secrets must be encrypted with a customer-managed KMS key: kmsKeyId is ${JSON.stringify(secret.kmsKeyId)}.`));
    }),
};
