import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const backupVaultKms: Rule = {
    name: "backup-vault-kms",
    description: "Checks that AWS Backup vaults encrypt their recovery points with a customer-managed KMS key.",
    controls: ["AWS FSBP Backup.1", "Checkov CKV_AWS_166"],
    severity: "high",
    remediationSteps: "Set `kmsKeyArn` on the aws.backup.Vault to a customer-managed KMS key.",
    validateResource: validateSetting([aws.backup.Vault], {
        property: "kmsKeyArn",
        requirement: "Backup vaults must encrypt recovery points with a customer-managed KMS key",
        holds: isSet,
    }),
};
