import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { dockerEnvironment } from "../lib/containers";
import { retentionTooShort } from "../lib/retention";

interface BackupRetentionConfig {
    readonly minimumDays: number;
}

// The docker backup container (components/backups) reads its retention from this variable.
const DOCKER_RETENTION_VARIABLE = "BACKUP_RETENTION_DAYS";

export const backupRetention: ResourceValidationPolicy = {
    name: "backup-retention",
    description: "Checks that database backups are kept at least the configured number of days.",
    remediationSteps:
        "Set `backupRetentionPeriod` (RDS instances and clusters), `retentionPeriod` (cross-region backup replication), `lifecycle.deleteAfter` (AWS Backup rules) or BACKUP_RETENTION_DAYS (the docker backup container) to at least the stack's minimumDays (config key backupRetentionDays).",
    configSchema: { properties: { minimumDays: { type: "integer", minimum: 1, default: 7 } } },
    validateResource: [
        validateResourceOfType(aws.rds.Instance, (instance, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            if (retentionTooShort(instance.backupRetentionPeriod, minimumDays))
                reportViolation(
                    `RDS instances must keep backups at least ${minimumDays} days: backupRetentionPeriod is ${JSON.stringify(instance.backupRetentionPeriod)}.`,
                );
        }),
        validateResourceOfType(aws.rds.Cluster, (cluster, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            if (retentionTooShort(cluster.backupRetentionPeriod, minimumDays))
                reportViolation(
                    `RDS clusters must keep backups at least ${minimumDays} days: backupRetentionPeriod is ${JSON.stringify(cluster.backupRetentionPeriod)}.`,
                );
        }),
        validateResourceOfType(aws.rds.InstanceAutomatedBackupsReplication, (replication, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            if (retentionTooShort(replication.retentionPeriod, minimumDays))
                reportViolation(
                    `Replicated RDS backups must be kept at least ${minimumDays} days: retentionPeriod is ${JSON.stringify(replication.retentionPeriod)}.`,
                );
        }),
        validateResourceOfType(aws.backup.Plan, (plan, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            for (const rule of plan.rules ?? []) {
                // Without a lifecycle, AWS Backup keeps recovery points forever.
                const deleteAfter = rule.lifecycle?.deleteAfter;
                if (deleteAfter !== undefined && retentionTooShort(deleteAfter, minimumDays))
                    reportViolation(
                        `Backup plan rules must keep recovery points at least ${minimumDays} days: rule ${rule.ruleName} deletes after ${deleteAfter}.`,
                    );
            }
        }),
        validateResourceOfType(docker.Container, (container, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            for (const { name, value } of dockerEnvironment(container.envs)) {
                if (name === DOCKER_RETENTION_VARIABLE && retentionTooShort(Number(value), minimumDays))
                    reportViolation(`Backups must be kept at least ${minimumDays} days: ${name} is ${JSON.stringify(value)}.`);
            }
        }),
    ],
};
