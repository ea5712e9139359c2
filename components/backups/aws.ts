// The design's "daily full backups with 30-day retention" and "cross-region backup replication" on
// AWS: an AWS Backup plan takes a daily snapshot of the RDS instance into a vault under its own KMS
// key, keeps it for the configured retention and, where the stack names a second region, copies it
// to a vault there (its own key, through the second region's provider). RDS's automated backups
// (database component) give point-in-time recovery between these snapshots.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import { awsAttachment, awsPrefix, managedServiceRole } from "../aws/platform";
import { awsName } from "../aws/names";
import type { BackupsArgs, BackupsEndpoint } from "./index";

/** Daily at 05:00 UTC, after RDS's 03:00 backup window has closed. */
export const BACKUP_SCHEDULE = "cron(0 5 * * ? *)";
/**
 * Job states that mean no recovery point was made or copied (the AWS Backup API's BackupJobState and
 * CopyJobState, as its EventBridge events carry them). PARTIAL is left out: it is for composite jobs
 * of several resources, and each job here backs up the one database.
 */
export const FAILED_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;

export function awsBackups(name: string, args: BackupsArgs, parent: pulumi.ComponentResource): BackupsEndpoint {
    const platform = awsAttachment(args.network, "osint:data:Backups");
    if (args.database.instanceArn === undefined)
        throw new Error("osint:data:Backups: the aws implementation needs the RDS instance's ARN (database.instanceArn)");
    const prefix = awsPrefix();
    const stateful = { parent, protect: platform.protectData };
    const vault = (id: string, region: string, opts: pulumi.CustomResourceOptions) => {
        const key = new aws.kms.Key(
            `${id}-key`,
            { description: `${prefix} backup vault ${region || "(primary region)"}`, enableKeyRotation: true, deletionWindowInDays: 30 },
            opts,
        );
        const created = new aws.backup.Vault(
            id,
            { name: awsName("aws:backup/vault:Vault", "name", `${prefix}${region ? `-${region}` : ""}`), kmsKeyArn: key.arn },
            opts,
        );
        // Where data is protected (prod), Vault Lock refuses to delete a recovery point, or shorten its
        // lifecycle, before the retention has passed, whoever asks. Governance mode: an administrator
        // holding backup:DeleteBackupVaultLockConfiguration can still lift it, where compliance mode
        // would make the vault undeletable for good after its grace time (docs/aws-security.md).
        if (platform.protectData) new aws.backup.VaultLockConfiguration(id, { backupVaultName: created.name, minRetentionDays: args.retentionDays }, opts);
        return created;
    };
    const primary = vault(`${name}-vault`, "", stateful);
    const copy = platform.dr ? vault(`${name}-dr-vault`, platform.dr.region, { ...stateful, provider: platform.dr.provider }) : undefined;
    const lifecycle = { deleteAfter: args.retentionDays };
    const plan = new aws.backup.Plan(
        `${name}-plan`,
        {
            name: awsName("aws:backup/plan:Plan", "name", prefix),
            rules: [
                {
                    ruleName: "daily",
                    targetVaultName: primary.name,
                    schedule: BACKUP_SCHEDULE,
                    startWindow: 60,
                    completionWindow: 180,
                    lifecycle,
                    copyActions: copy ? [{ destinationVaultArn: copy.arn, lifecycle }] : [],
                },
            ],
        },
        { parent },
    );
    // No aws:SourceAccount/aws:SourceArn here: AWS Backup documents those keys for the resource
    // policies it acts through (SNS topics, KMS keys), not for its service role's trust policy, and a
    // condition on a key the service does not send would fail every backup job.
    const role = managedServiceRole(`${name}-role`, "backup.amazonaws.com", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", parent);
    new aws.backup.Selection(
        `${name}-database`,
        {
            name: awsName("aws:backup/selection:Selection", "name", `${prefix}-database`),
            planId: plan.id,
            iamRoleArn: role.arn,
            resources: [args.database.instanceArn],
        },
        { parent },
    );
    // AWS Backup reports a failed job only as an event (AWS Backup developer guide, "Monitoring
    // events using Amazon EventBridge"): each failed, aborted or expired job of these vaults
    // notifies the alarm topic.
    const failedJobs = new aws.cloudwatch.EventRule(
        `${name}-failed-jobs`,
        {
            name: awsName("aws:cloudwatch/eventRule:EventRule", "name", `${prefix}-backup-failed`),
            description: `${prefix}: an AWS Backup job or copy job did not complete`,
            eventPattern: pulumi.jsonStringify({
                source: ["aws.backup"],
                "detail-type": ["Backup Job State Change", "Copy Job State Change"],
                // A backup job names its vault; a copy job its source vault (the CopyJob API's fields).
                detail: { state: [...FAILED_JOB_STATES], $or: [{ backupVaultName: [primary.name] }, { sourceBackupVaultArn: [primary.arn] }] },
            }),
        },
        { parent },
    );
    new aws.cloudwatch.EventTarget(`${name}-failed-jobs`, { rule: failedJobs.name, arn: platform.telemetry.alarmTopicArn }, { parent });
    return { location: pulumi.interpolate`${primary.arn}` };
}
