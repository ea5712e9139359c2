// Redis 7 on ElastiCache: encrypted at rest (its own KMS key) and in transit, AUTH token generated
// into Secrets Manager, in the isolated subnets; with multiAz a replica in a second zone takes over
// automatically. The eviction policy and memory reserve are the dev container's.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { metricAlarm } from "../aws/alarms";
import { awsArgs, awsAttachment, awsPrefix, finalSnapshotName, storedSecret } from "../aws/platform";
import { awsName, sharedNames } from "../aws/names";
import type { CacheArgs, CacheEndpoint } from "./index";
import { EVICTION_POLICY, MAXMEMORY_FRACTION } from "./redis-conf";
import { REDIS_PORT } from "../service/catalog";

export const ENGINE_VERSION = "7.1";
export const MEMORY_ALARM_PERCENT = 80;
/** In-transit encryption: ElastiCache then refuses plaintext clients, so services are told to use TLS. */
const TRANSIT_ENCRYPTION = true;

export function awsCache(name: string, args: CacheArgs, parent: pulumi.ComponentResource): CacheEndpoint {
    const platform = awsAttachment(args.network, "osint:data:Cache");
    const prefix = awsPrefix();
    const replicationGroupId = sharedNames().cache;
    const stateful = { parent, protect: platform.protectData };
    const settings = awsArgs(args.aws, "osint:data:Cache");
    // With multiAz a replica in a second zone, promoted automatically when the primary fails.
    const nodeCount = settings.multiAz ? 2 : 1;

    const key = new aws.kms.Key(
        `${name}-key`,
        { description: `${prefix} Redis data at rest and snapshots`, enableKeyRotation: true, deletionWindowInDays: 30 },
        stateful,
    );
    // ElastiCache AUTH tokens: 16-128 printable characters; alphanumeric avoids its forbidden ones.
    const password = pulumi.secret(new random.RandomPassword(`${name}-auth-token`, { length: 64, special: false }, { parent }).result);
    const { arn: secretArn } = storedSecret(`${name}-auth-token`, `${prefix}/redis/auth-token`, "Redis AUTH token", password, platform, parent);
    const subnetGroup = new aws.elasticache.SubnetGroup(
        `${name}-subnets`,
        { name: awsName("aws:elasticache/subnetGroup:SubnetGroup", "name", prefix), subnetIds: platform.subnetIds.isolated },
        { parent },
    );
    const parameterGroup = new aws.elasticache.ParameterGroup(
        `${name}-parameters`,
        {
            name: awsName("aws:elasticache/parameterGroup:ParameterGroup", "name", `${prefix}-redis7`),
            family: "redis7",
            description: "Queue-safe eviction and the dev container's memory reserve",
            parameters: [
                { name: "maxmemory-policy", value: EVICTION_POLICY },
                { name: "reserved-memory-percent", value: String(Math.round((1 - MAXMEMORY_FRACTION) * 100)) },
            ],
        },
        { parent },
    );
    const group = new aws.elasticache.ReplicationGroup(
        `${name}-redis`,
        {
            replicationGroupId,
            description: `${prefix} cache and job queue`,
            engine: "redis",
            engineVersion: ENGINE_VERSION,
            nodeType: settings.nodeType,
            port: REDIS_PORT,
            numCacheClusters: nodeCount,
            automaticFailoverEnabled: settings.multiAz,
            multiAzEnabled: settings.multiAz,
            atRestEncryptionEnabled: true,
            kmsKeyId: key.arn,
            transitEncryptionEnabled: TRANSIT_ENCRYPTION,
            authToken: password,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [platform.securityGroupIds.cache],
            parameterGroupName: parameterGroup.name,
            snapshotRetentionLimit: settings.snapshotRetentionDays,
            snapshotWindow: "02:00-03:00",
            maintenanceWindow: "sun:05:00-sun:06:00",
            finalSnapshotIdentifier: finalSnapshotName(
                `${name}-final-snapshot`,
                "aws:elasticache/replicationGroup:ReplicationGroup",
                "finalSnapshotIdentifier",
                `${prefix}-redis-final`,
                { replicationGroupId, kmsKeyId: key.arn, atRestEncryptionEnabled: "true", port: String(REDIS_PORT), subnetGroupName: subnetGroup.name },
                parent,
            ),
            autoMinorVersionUpgrade: true,
            applyImmediately: false,
        },
        stateful,
    );

    // ElastiCache reports memory per node: <group>-001, -002 (either may be the primary after failover).
    const nodeIds = Array.from({ length: nodeCount }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
    for (const nodeId of nodeIds) {
        metricAlarm(
            `${name}-memory-${nodeId.slice(-3)}`,
            {
                description: `Redis ${nodeId} memory above ${MEMORY_ALARM_PERCENT}% of maxmemory (queue writes fail when only queue data is left)`,
                namespace: "AWS/ElastiCache",
                metricName: "DatabaseMemoryUsagePercentage",
                dimensions: { CacheClusterId: nodeId },
                statistic: "Maximum",
                threshold: MEMORY_ALARM_PERCENT,
                comparison: "GreaterThanThreshold",
            },
            platform.telemetry.alarmTopicArn,
            parent,
        );
    }
    return { host: group.primaryEndpointAddress, port: REDIS_PORT, password, valueFrom: secretArn, tls: TRANSIT_ENCRYPTION };
}
