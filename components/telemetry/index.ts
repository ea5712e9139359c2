// The AWS stack's telemetry base: a customer-managed KMS key for its log groups and alarm topic,
// and the SNS topic every alarm notifies.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import { awsName } from "../aws/names";
import { awsPrefix, policyDocument } from "../aws/platform";

/** The services that notify the alarm topic: CloudWatch alarms, and EventBridge rules (failed backup jobs). */
export const TOPIC_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] as const;

export interface TelemetryArgs {
    readonly region: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** Subscribed to the alarm topic by e-mail when set. */
    readonly alarmEmail?: string;
}

export class Telemetry extends pulumi.ComponentResource {
    public readonly logKeyArn: pulumi.Output<string>;
    public readonly alarmTopicArn: pulumi.Output<string>;

    constructor(name: string, args: TelemetryArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:observability:Telemetry", name, {}, opts);
        const logsArn = pulumi.interpolate`arn:aws:logs:${args.region}:${args.accountId}:log-group:*`;
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `${awsPrefix()} CloudWatch log groups and alarm topic`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: policyDocument([
                    {
                        Sid: "AccountAdministersKey",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${args.accountId}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        Sid: "CloudWatchLogsEncryptsThisStacksLogGroups",
                        Effect: "Allow",
                        Principal: { Service: pulumi.interpolate`logs.${args.region}.amazonaws.com` },
                        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                        Resource: "*",
                        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logsArn } },
                    },
                    {
                        Sid: "CloudWatchAlarmsAndEventBridgePublishToTheEncryptedTopic",
                        Effect: "Allow",
                        Principal: { Service: [...TOPIC_PUBLISHERS] },
                        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                        Resource: "*",
                    },
                ]),
            },
            { parent: this },
        );
        const topic = new aws.sns.Topic(
            `${name}-alarms`,
            { name: awsName("aws:sns/topic:Topic", "name", `${awsPrefix()}-alarms`), kmsMasterKeyId: key.arn },
            { parent: this },
        );
        // EventBridge needs the topic's own permission (EventBridge user guide, "Permissions for
        // Amazon SNS"); CloudWatch alarms keep theirs. Both only for this account's sources.
        new aws.sns.TopicPolicy(
            `${name}-alarms`,
            {
                arn: topic.arn,
                policy: policyDocument([
                    {
                        Sid: "ThisAccountsAlarmsAndEventsPublish",
                        Effect: "Allow",
                        Principal: { Service: [...TOPIC_PUBLISHERS] },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                    },
                ]),
            },
            { parent: this },
        );
        if (args.alarmEmail) {
            new aws.sns.TopicSubscription(`${name}-alarms-email`, { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail }, { parent: this });
        }
        this.logKeyArn = key.arn;
        this.alarmTopicArn = topic.arn;
        this.registerOutputs({ logKeyArn: this.logKeyArn, alarmTopicArn: this.alarmTopicArn });
    }
}

/** A log group encrypted with the telemetry key, kept for the stack's retention. */
export function encryptedLogGroup(
    name: string,
    logGroupName: string,
    telemetry: { readonly logKeyArn: pulumi.Input<string>; readonly logRetentionDays: number },
    parent: pulumi.Resource,
): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        name,
        { name: awsName("aws:cloudwatch/logGroup:LogGroup", "name", logGroupName), kmsKeyId: telemetry.logKeyArn, retentionInDays: telemetry.logRetentionDays },
        { parent },
    );
}
