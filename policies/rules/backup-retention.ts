import { aws, docker } from "../lib/resource-types";
import { dockerEnvironment } from "../lib/containers";
import { at } from "../lib/report";
import { retentionTooShort } from "../lib/retention";
import { isRecord, records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

interface BackupRetentionConfig {
    readonly minimumDays: number;
}

// The docker backup container (components/backups) reads its retention from this variable.
const DOCKER_RETENTION_VARIABLE = "BACKUP_RETENTION_DAYS";

export const backupRetention: Rule = {
    name: "backup-retention",
    description: "Checks that database backups are kept at least the configured number of days.",
    controls: ["AWS FSBP RDS.11", "Checkov CKV_AWS_133"],
    controlScopes: { "Checkov CKV_AWS_133": [aws.rds.Instance] },
    severity: "medium",
    remediationSteps:
        "Set `backupRetentionPeriod` (RDS instances and clusters), `retentionPeriod` (cross-region backup replication), `lifecycle.deleteAfter` (AWS Backup rules) or BACKUP_RETENTION_DAYS (the docker backup container) to at least the stack's minimumDays (config key backupRetentionDays).",
    configSchema: { properties: { minimumDays: { type: "integer", minimum: 1, default: 7 } } },
    validateResource: [
        ...validateTypes([aws.rds.Instance, aws.rds.Cluster], (database, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            const kind = args.type === aws.rds.Cluster ? "clusters" : "instances";
            if (retentionTooShort(database.backupRetentionPeriod, minimumDays))
                reportViolation(
                    at(
                        "backupRetentionPeriod",
                        `RDS ${kind} must keep backups at least ${minimumDays} days: backupRetentionPeriod is ${shown(database.backupRetentionPeriod)}.`,
                    ),
                );
        }),
        ...validateTypes([aws.rds.InstanceAutomatedBackupsReplication], (replication, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            if (retentionTooShort(replication.retentionPeriod, minimumDays))
                reportViolation(
                    at(
                        "retentionPeriod",
                        `Replicated RDS backups must be kept at least ${minimumDays} days: retentionPeriod is ${shown(replication.retentionPeriod)}.`,
                    ),
                );
        }),
        ...validateTypes([aws.backup.Plan], (plan, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            records(plan.rules).forEach((rule, i) => {
                // Without a lifecycle, AWS Backup keeps recovery points forever.
                const deleteAfter = isRecord(rule.lifecycle) ? rule.lifecycle.deleteAfter : undefined;
                if (deleteAfter !== undefined && retentionTooShort(deleteAfter, minimumDays))
                    reportViolation(
                        at(
                            `rules[${i}].lifecycle.deleteAfter`,
                            `Backup plan rules must keep recovery points at least ${minimumDays} days: rule ${shown(rule.ruleName)} deletes after ${shown(deleteAfter)}.`,
                        ),
                    );
            });
        }),
        ...validateTypes([docker.Container], (container, args, reportViolation) => {
            const { minimumDays } = args.getConfig<BackupRetentionConfig>();
            for (const { name, value } of dockerEnvironment(container.envs)) {
                if (name === DOCKER_RETENTION_VARIABLE && retentionTooShort(Number(value), minimumDays))
                    reportViolation(at("envs", `Backups must be kept at least ${minimumDays} days: ${name} is ${JSON.stringify(value)}.`));
            }
        }),
    ],
};
