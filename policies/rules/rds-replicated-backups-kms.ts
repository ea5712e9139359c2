import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

export const rdsReplicatedBackupsKms: Rule = {
    name: "rds-replicated-backups-kms",
    description: "Checks that RDS automated backups replicated to another region are encrypted with a customer-managed KMS key of that region.",
    controls: ["Checkov CKV_AWS_245"],
    severity: "high",
    remediationSteps: "Set `kmsKeyId` on the aws.rds.InstanceAutomatedBackupsReplication to a KMS key in the destination region.",
    validateResource: validateSetting([aws.rds.InstanceAutomatedBackupsReplication], {
        property: "kmsKeyId",
        requirement: "Replicated RDS backups must be encrypted with a customer-managed KMS key",
        holds: isSet,
    }),
};
