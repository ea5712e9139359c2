import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isSet, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const rdsStorageEncrypted: Rule = {
    name: "rds-storage-encrypted",
    description: "Checks that RDS instances and clusters encrypt their storage with a KMS key.",
    controls: ["AWS FSBP RDS.3", "AWS FSBP RDS.27", "Checkov CKV_AWS_16"],
    controlScopes: { "Checkov CKV_AWS_16": [aws.rds.Instance] },
    severity: "medium",
    remediationSteps: "Set `storageEncrypted: true` and `kmsKeyId` to the ARN of a customer-managed KMS key on the aws.rds.Instance or aws.rds.Cluster.",
    validateResource: validateTypes([aws.rds.Instance, aws.rds.Cluster], (database, _args, reportViolation) => {
        if (database.storageEncrypted !== true)
            reportViolation(at("storageEncrypted", `RDS databases must encrypt storage: storageEncrypted is ${shown(database.storageEncrypted)}, not true.`));
        // A secret key id is still a key: only its absence is a finding.
        if (!isSet(database.kmsKeyId)) reportViolation(at("kmsKeyId", "RDS databases must encrypt storage with a KMS key: kmsKeyId is not set."));
    }),
};
