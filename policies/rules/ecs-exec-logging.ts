import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, isSet, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const ecsExecLogging: Rule = {
    name: "ecs-exec-logging",
    description:
        "Checks that an ECS cluster configured for ECS Exec logs the sessions, encrypts them with a KMS key and encrypts their log destination (a cluster without ECS Exec configuration passes).",
    controls: ["Checkov CKV_AWS_223", "Checkov CKV_AWS_224"],
    severity: "high",
    remediationSteps:
        'In the aws.ecs.Cluster\'s `configuration.executeCommandConfiguration`, set `logging` to "DEFAULT" or "OVERRIDE" (not "NONE"), a `kmsKeyId`, and `logConfiguration.cloudWatchEncryptionEnabled` (or `s3BucketEncryptionEnabled`).',
    validateResource: validateTypes([aws.ecs.Cluster], (cluster, _args, reportViolation) => {
        const exec = isRecord(cluster.configuration) ? cluster.configuration.executeCommandConfiguration : undefined;
        if (!isRecord(exec)) return;
        const property = "configuration.executeCommandConfiguration";
        if (exec.logging === "NONE") reportViolation(at(property, 'ECS Exec sessions must be logged: logging is "NONE".'));
        const log = isRecord(exec.logConfiguration) ? exec.logConfiguration : {};
        if (!isSet(exec.kmsKeyId) || (log.cloudWatchEncryptionEnabled !== true && log.s3BucketEncryptionEnabled !== true))
            reportViolation(
                at(
                    property,
                    `ECS Exec sessions must use a KMS key and an encrypted log destination: kmsKeyId is ${shown(exec.kmsKeyId)}, logConfiguration is ${shown(exec.logConfiguration)}.`,
                ),
            );
    }),
};
