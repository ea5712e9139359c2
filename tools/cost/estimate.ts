// The monthly cost of a stack estimated from its offline plan: each priced resource type has one
// pricer reading the inputs the program sets (instance class, task size and count, storage, rules);
// usage the plan cannot know (traffic, log volume, backup churn) comes from USAGE, printed with the
// figure it produced. Types that AWS does not bill are listed in FREE with the reason.
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { PRICES, type PriceTable, type RegionPrices } from "./prices";

/** Usage the plan cannot know; each estimate that uses one says so in its assumptions. */
export const USAGE = {
    hoursPerMonth: 730,
    natGatewayGbPerMonth: 50,
    albAverageLcu: 1,
    wafMillionRequestsPerMonth: 10,
    secretApiCallsPerMonth: 10_000,
    logIngestionGbPerGroupMonth: 5,
    s3BucketGb: 50,
    interfaceEndpointGbPerMonth: 10,
    ecrCachedImagesGb: 10,
    /** Share of the database's storage that changes per day: the size of each incremental snapshot. */
    dailyChangeFraction: 0.05,
} as const;

export class PriceError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PriceError";
    }
}

export interface CostLine {
    readonly urn: string;
    readonly type: string;
    /** Monthly cost at the least capacity the stack runs (auto-scaled services at their minimum task count). */
    readonly monthly: number;
    /** Monthly cost at the most capacity, when it differs (auto-scaled services at their maximum). */
    readonly monthlyMax?: number;
    readonly assumptions: string[];
}

export interface CostReport {
    readonly stack: string;
    readonly currency: string;
    readonly total: number;
    readonly totalMax: number;
    readonly resources: CostLine[];
    /** Types in the plan that neither a pricer nor FREE covers: a test fails on any. */
    readonly unpriced: string[];
    readonly prices: { readonly version: number; readonly takenOn: string; readonly source: string };
    readonly note?: string;
}

export interface Regions {
    readonly region: string;
    readonly drRegion?: string;
}

interface Context {
    readonly plan: Plan;
    readonly prices: RegionPrices;
    readonly drPrices: RegionPrices;
    readonly regions: Regions;
}

const RDS_INSTANCE = "aws:rds/instance:Instance";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

type Priced = Omit<CostLine, "urn" | "type">;
type Pricer = (resource: PlanResource, context: Context) => Priced;

const H = USAGE.hoursPerMonth;
const money = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;
const hourly = (rate: number, what: string) => `${what} ${money(rate)}/h × ${H} h/month`;

function num(resource: PlanResource, key: string): number {
    const value = Number(resource.inputs[key]);
    if (!Number.isFinite(value)) throw new PriceError(`${resource.urn}: input ${key}: expected a number, found ${JSON.stringify(resource.inputs[key])}`);
    return value;
}

function rateOf(table: Readonly<Record<string, number>>, key: string, resource: PlanResource, what: string): number {
    const rate = table[key];
    if (rate === undefined)
        throw new PriceError(
            `${resource.urn}: ${what} ${key} has no price in tools/cost/prices.ts (priced: ${Object.keys(table).join(", ")}); add it with its source`,
        );
    return rate;
}

/** The RDS instance the stack's backups and replication copy (by name in its ARN, else the only one); none when the plan has none. */
function sourceDatabase(plan: Plan, copier: PlanResource, arn: unknown): PlanResource | undefined {
    const instances = plan.resources.filter((r) => r.type === RDS_INSTANCE);
    const named = instances.find((r) => typeof arn === "string" && arn.endsWith(`:${r.name}`));
    if (named || instances.length <= 1) return named ?? instances[0];
    throw new PriceError(`${copier.urn}: cannot tell which of ${instances.length} RDS instances it copies (${JSON.stringify(arn)})`);
}

const NOTHING_TO_COPY: Priced = { monthly: 0, assumptions: ["no RDS instance in the plan to copy"] };

/** Snapshot storage of `gb` kept `days` days: one full copy plus a daily increment. */
function snapshotGb(gb: number, days: number): number {
    return gb + gb * USAGE.dailyChangeFraction * Math.max(0, days - 1);
}

function fargateService(service: PlanResource, { plan, prices }: Context): Priced {
    const taskArn = String(service.inputs.taskDefinition ?? "");
    const family = /task-definition\/([^:]+)/.exec(taskArn)?.[1];
    // By the family in its ARN; where the ARN is not known yet (a real preview), the sibling of the same name.
    const task =
        plan.resources.find((r) => r.type === TASK_DEFINITION && family !== undefined && r.inputs.family === family) ??
        plan.resources.find((r) => r.type === TASK_DEFINITION && r.parent === service.parent && r.name === service.name);
    if (!task) throw new PriceError(`${service.urn}: task definition ${taskArn} is not in the plan`);
    const vcpu = num(task, "cpu") / 1024;
    const gb = num(task, "memory") / 1024;
    const architecture = (task.inputs.runtimePlatform as { cpuArchitecture?: string } | undefined)?.cpuArchitecture === "ARM64" ? "ARM64" : "X86_64";
    const rate = prices.fargate[architecture];
    const perTask = (vcpu * rate.vcpuHour + gb * rate.gbHour) * H;
    const scaling = plan.resources.find(
        (r) => r.type === "aws:appautoscaling/target:Target" && String(r.inputs.resourceId).endsWith(`/${String(service.inputs.name)}`),
    );
    const min = scaling ? num(scaling, "minCapacity") : num(service, "desiredCount");
    const max = scaling ? num(scaling, "maxCapacity") : min;
    const assumptions = [
        `${vcpu} vCPU × ${money(rate.vcpuHour)}/vCPU-h + ${gb} GB × ${money(rate.gbHour)}/GB-h (Fargate Linux/${architecture}) × ${H} h/month = ${money(perTask)} per task`,
        scaling ? `auto-scaled: ${min} to ${max} tasks` : `${min} task${min === 1 ? "" : "s"} (desiredCount)`,
    ];
    return { monthly: perTask * min, ...(max !== min ? { monthlyMax: perTask * max } : {}), assumptions };
}

function rdsInstance(db: PlanResource, { prices }: Context): Priced {
    const copies = db.inputs.multiAz === true ? 2 : 1;
    const instanceClass = String(db.inputs.instanceClass);
    const instance = rateOf(prices.rdsInstanceHour, instanceClass, db, "RDS instance class") * H * copies;
    const storageType = String(db.inputs.storageType ?? "gp2");
    if (storageType !== "gp3") throw new PriceError(`${db.urn}: storageType ${storageType} has no price in tools/cost/prices.ts (priced: gp3)`);
    const gb = num(db, "allocatedStorage");
    const storage = gb * prices.rdsGp3GbMonth * copies;
    // gp3 includes 3,000 IOPS below 400 GB and 12,000 from 400 GB; only provisioned IOPS above that are billed.
    const baseline = gb >= 400 ? 12_000 : 3_000;
    const extraIops = Math.max(0, Number(db.inputs.iops ?? 0) - baseline);
    const iops = extraIops * prices.rdsGp3IopsMonth * copies;
    const retention = num(db, "backupRetentionPeriod");
    const billableBackupGb = Math.max(0, snapshotGb(gb, retention) - gb);
    const backup = billableBackupGb * prices.backupStorageGbMonth;
    return {
        monthly: instance + storage + iops + backup,
        assumptions: [
            `${hourly(prices.rdsInstanceHour[instanceClass], instanceClass)}${copies === 2 ? " × 2 (Multi-AZ standby)" : ""} = ${money(instance)}`,
            `${gb} GB gp3 × ${money(prices.rdsGp3GbMonth)}/GB-month${copies === 2 ? " × 2" : ""} = ${money(storage)}; ${extraIops} IOPS above the ${baseline} included = ${money(iops)}`,
            `backups kept ${retention} days, ${USAGE.dailyChangeFraction * 100}% of storage changing per day: ${billableBackupGb.toFixed(0)} GB beyond the free ${gb} GB × ${money(prices.backupStorageGbMonth)}/GB-month = ${money(backup)}`,
        ],
    };
}

function backupReplication(replication: PlanResource, { plan, drPrices, prices, regions }: Context): Priced {
    const db = sourceDatabase(plan, replication, replication.inputs.sourceDbInstanceArn);
    if (!db) return NOTHING_TO_COPY;
    const gb = num(db, "allocatedStorage");
    const days = num(replication, "retentionPeriod");
    const stored = snapshotGb(gb, days);
    const transferredGb = gb * USAGE.dailyChangeFraction * 30;
    const storage = stored * drPrices.backupStorageGbMonth;
    const transfer = transferredGb * prices.interRegionTransferGb;
    return {
        monthly: storage + transfer,
        assumptions: [
            `${stored.toFixed(0)} GB of ${db.name}'s backups kept ${days} days in ${regions.drRegion ?? "the DR region"} × ${money(drPrices.backupStorageGbMonth)}/GB-month = ${money(storage)}`,
            `${transferredGb.toFixed(0)} GB/month copied across regions (daily change ${USAGE.dailyChangeFraction * 100}%) × ${money(prices.interRegionTransferGb)}/GB = ${money(transfer)}`,
        ],
    };
}

function backupPlan(backupPlanResource: PlanResource, { plan, prices, drPrices }: Context): Priced {
    const db = sourceDatabase(plan, backupPlanResource, undefined);
    if (!db) return NOTHING_TO_COPY;
    const gb = num(db, "allocatedStorage");
    const rules = (backupPlanResource.inputs.rules ?? []) as {
        lifecycle?: { deleteAfter?: number };
        copyActions?: { lifecycle?: { deleteAfter?: number } }[];
    }[];
    let monthly = 0;
    const assumptions: string[] = [];
    for (const rule of rules) {
        const kept = snapshotGb(gb, rule.lifecycle?.deleteAfter ?? 35);
        monthly += kept * prices.backupStorageGbMonth;
        assumptions.push(
            `${kept.toFixed(0)} GB of ${db.name} snapshots (daily, kept ${rule.lifecycle?.deleteAfter ?? 35} days) × ${money(prices.backupStorageGbMonth)}/GB-month`,
        );
        for (const copy of rule.copyActions ?? []) {
            const copied = snapshotGb(gb, copy.lifecycle?.deleteAfter ?? 35);
            const transfer = gb * USAGE.dailyChangeFraction * 30 * prices.interRegionTransferGb;
            monthly += copied * drPrices.backupStorageGbMonth + transfer;
            assumptions.push(
                `copy to another region: ${copied.toFixed(0)} GB kept × ${money(drPrices.backupStorageGbMonth)}/GB-month + ${money(transfer)} transfer`,
            );
        }
    }
    return { monthly, assumptions };
}

function replicationGroup(group: PlanResource, { prices }: Context): Priced {
    const nodeType = String(group.inputs.nodeType);
    const nodes =
        group.inputs.numCacheClusters !== undefined
            ? num(group, "numCacheClusters")
            : Number(group.inputs.numNodeGroups ?? 1) * (Number(group.inputs.replicasPerNodeGroup ?? 0) + 1);
    const rate = rateOf(prices.elasticacheNodeHour, nodeType, group, "ElastiCache node type");
    return { monthly: rate * H * nodes, assumptions: [`${nodes} node${nodes === 1 ? "" : "s"} × ${hourly(rate, nodeType)}`] };
}

const perHour =
    (rate: (p: RegionPrices) => number, what: string): Pricer =>
    (_r, { prices }) => ({ monthly: rate(prices) * H, assumptions: [hourly(rate(prices), what)] });

const perMonth =
    (rate: (p: RegionPrices) => number, what: string): Pricer =>
    (_r, { prices }) => ({ monthly: rate(prices), assumptions: [`${what} ${money(rate(prices))}/month`] });

const PRICERS: Readonly<Record<string, Pricer>> = {
    "aws:ecs/service:Service": fargateService,
    [RDS_INSTANCE]: rdsInstance,
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": backupReplication,
    "aws:backup/plan:Plan": backupPlan,
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:ec2/natGateway:NatGateway": (_r, { prices }) => {
        const hours = prices.natGatewayHour * H;
        const data = USAGE.natGatewayGbPerMonth * prices.natGatewayGb;
        return {
            monthly: hours + data,
            assumptions: [hourly(prices.natGatewayHour, "NAT gateway"), `${USAGE.natGatewayGbPerMonth} GB/month processed × ${money(prices.natGatewayGb)}/GB`],
        };
    },
    "aws:ec2/eip:Eip": perHour((p) => p.publicIpv4Hour, "public IPv4 address"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (endpoint, { prices }) => {
        if (endpoint.inputs.vpcEndpointType !== "Interface") return { monthly: 0, assumptions: ["gateway endpoint: no charge"] };
        const azs = Array.isArray(endpoint.inputs.subnetIds) ? endpoint.inputs.subnetIds.length : 1;
        const hours = prices.interfaceEndpointHour * H * azs;
        const data = USAGE.interfaceEndpointGbPerMonth * prices.interfaceEndpointGb;
        return {
            monthly: hours + data,
            assumptions: [
                `${azs} AZ × ${hourly(prices.interfaceEndpointHour, "interface endpoint")}`,
                `${USAGE.interfaceEndpointGbPerMonth} GB/month × ${money(prices.interfaceEndpointGb)}/GB`,
            ],
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (lb, { prices }) => {
        const hours = prices.albHour * H;
        const lcu = USAGE.albAverageLcu * prices.albLcuHour * H;
        // An internet-facing load balancer holds one public IPv4 address per subnet (zone) it is in, each
        // billed by the hour like any other (aws.amazon.com/vpc/pricing/, "Public IPv4 address");
        // an internal one, or one without public IPv4, holds none.
        const publicIpv4 = lb.inputs.internal !== true && lb.inputs.ipAddressType !== "dualstack-without-public-ipv4";
        const addresses = publicIpv4 && Array.isArray(lb.inputs.subnets) ? lb.inputs.subnets.length : 0;
        const ipv4 = addresses * prices.publicIpv4Hour * H;
        return {
            monthly: hours + lcu + ipv4,
            assumptions: [
                hourly(prices.albHour, "load balancer"),
                `${USAGE.albAverageLcu} LCU on average × ${money(prices.albLcuHour)}/LCU-h × ${H} h`,
                `${addresses} public IPv4 address${addresses === 1 ? "" : "es"} (one per zone) × ${hourly(prices.publicIpv4Hour, "address")} = ${money(ipv4)}`,
            ],
        };
    },
    "aws:wafv2/webAcl:WebAcl": (acl, { prices }) => {
        const rules = Array.isArray(acl.inputs.rules) ? acl.inputs.rules.length : 0;
        const requests = USAGE.wafMillionRequestsPerMonth * prices.wafMillionRequests;
        return {
            monthly: prices.wafWebAclMonth + rules * prices.wafRuleMonth + requests,
            assumptions: [
                `web ACL ${money(prices.wafWebAclMonth)}/month + ${rules} rules × ${money(prices.wafRuleMonth)}/month`,
                `${USAGE.wafMillionRequestsPerMonth} million requests/month × ${money(prices.wafMillionRequests)}/million`,
            ],
        };
    },
    "aws:kms/key:Key": perMonth((p) => p.kmsKeyMonth, "customer managed key"),
    "aws:secretsmanager/secret:Secret": (_r, { prices }) => {
        const calls = (USAGE.secretApiCallsPerMonth / 10_000) * prices.secretTenThousandCalls;
        return {
            monthly: prices.secretMonth + calls,
            assumptions: [
                `secret ${money(prices.secretMonth)}/month`,
                `${USAGE.secretApiCallsPerMonth} API calls/month × ${money(prices.secretTenThousandCalls)}/10,000`,
            ],
        };
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (alarm, { prices }) => {
        const queries = Array.isArray(alarm.inputs.metricQueries) ? (alarm.inputs.metricQueries as { metric?: unknown }[]) : [];
        const metrics = Math.max(1, queries.filter((q) => q.metric !== undefined).length);
        return {
            monthly: metrics * prices.alarmMetricMonth,
            assumptions: [`${metrics} metric${metrics === 1 ? "" : "s"} × ${money(prices.alarmMetricMonth)}/alarm metric-month`],
        };
    },
    // Target tracking creates and keeps two CloudWatch alarms (scale out, scale in) per policy.
    "aws:appautoscaling/policy:Policy": (policy, { prices }) =>
        policy.inputs.policyType === "TargetTrackingScaling"
            ? { monthly: 2 * prices.alarmMetricMonth, assumptions: [`2 alarms made by target tracking × ${money(prices.alarmMetricMonth)}/month`] }
            : { monthly: 0, assumptions: ["step scaling: its alarms are priced where they are declared"] },
    "aws:cloudwatch/logGroup:LogGroup": (group, { prices }) => {
        const gb = USAGE.logIngestionGbPerGroupMonth;
        const retentionDays = Number(group.inputs.retentionInDays ?? 0);
        // Steady state: the retention window's worth of ingested logs is stored (never-expiring groups: a year's).
        const storedGb = gb * ((retentionDays > 0 ? retentionDays : 365) / 30);
        const ingest = gb * prices.logIngestionGb;
        const storage = storedGb * prices.logStorageGbMonth;
        return {
            monthly: ingest + storage,
            assumptions: [
                `${gb} GB/month ingested × ${money(prices.logIngestionGb)}/GB = ${money(ingest)}`,
                `${storedGb.toFixed(1)} GB stored (${retentionDays || "no"} days' retention) × ${money(prices.logStorageGbMonth)}/GB-month = ${money(storage)}`,
            ],
        };
    },
    "aws:cloudwatch/dashboard:Dashboard": perMonth((p) => p.dashboardMonth, "dashboard (beyond the account's 3 free)"),
    "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": (_r, { prices }) => ({
        monthly: USAGE.ecrCachedImagesGb * prices.ecrStorageGbMonth,
        assumptions: [`${USAGE.ecrCachedImagesGb} GB of cached images × ${money(prices.ecrStorageGbMonth)}/GB-month (ECR storage)`],
    }),
    "aws:s3/bucket:Bucket": (_r, { prices }) => ({
        monthly: USAGE.s3BucketGb * prices.s3StandardGbMonth,
        assumptions: [`${USAGE.s3BucketGb} GB stored × ${money(prices.s3StandardGbMonth)}/GB-month (S3 Standard; requests not counted)`],
    }),
};

/** Types the program creates that AWS does not bill for themselves, and why. */
export const FREE: Readonly<Record<string, string>> = {
    "aws:ecs/taskDefinition:TaskDefinition": "priced through the service that runs it; one-off tasks run minutes per deployment",
    "aws:ecs/cluster:Cluster": "no charge; Container Insights' performance events are priced as its log group",
    "aws:ec2/flowLog:FlowLog": "priced as its log group's ingestion",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "priced as its destination log group's ingestion",
    "aws:cloudwatch/eventRule:EventRule": "rules on AWS service events of the default event bus are free",
    "aws:cloudwatch/eventTarget:EventTarget": "its invocations are billed as the target",
    "aws:sns/topicPolicy:TopicPolicy": "topic setting",
    "aws:sns/topicSubscription:TopicSubscription": "alarm notifications stay within the free deliveries",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "vault setting",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "no charge",
    "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": "no charge; images stored are priced with the pull-through cache rule",
    "aws:appautoscaling/target:Target": "no charge; its min and max price the service",
    "aws:backup/vault:Vault": "no charge; the stored recovery points are priced with the backup plan",
    "aws:backup/selection:Selection": "no charge",
    "aws:secretsmanager/secretVersion:SecretVersion": "included in the secret's price",
    "aws:sns/topic:Topic": "the first million requests a month are free; alarm notifications stay far below",
    "aws:acm/certificate:Certificate": "public ACM certificates are free",
    "aws:acm/certificateValidation:CertificateValidation": "no charge",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "no charge",
    "aws:lb/targetGroup:TargetGroup": "no charge",
    "aws:lb/listener:Listener": "no charge",
    "aws:lb/listenerRule:ListenerRule": "no charge (up to 100 rules, within the LCU assumption)",
    "aws:ec2/vpc:Vpc": "no charge",
    "aws:ec2/subnet:Subnet": "no charge",
    "aws:ec2/internetGateway:InternetGateway": "no charge",
    "aws:ec2/routeTable:RouteTable": "no charge",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "no charge",
    "aws:ec2/securityGroup:SecurityGroup": "no charge",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "no charge",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "no charge",
    "aws:iam/role:Role": "no charge",
    "aws:iam/rolePolicy:RolePolicy": "no charge",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "no charge",
    "aws:rds/parameterGroup:ParameterGroup": "no charge",
    "aws:rds/subnetGroup:SubnetGroup": "no charge",
    "aws:elasticache/parameterGroup:ParameterGroup": "no charge",
    "aws:elasticache/subnetGroup:SubnetGroup": "no charge",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket setting",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket setting",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "bucket setting (SSE-S3)",
    "aws:s3/bucketVersioning:BucketVersioning":
        "bucket setting (noncurrent versions expire with the bucket's retention; their storage is in the bucket's estimate)",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "bucket setting",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket setting",
    "command:local:Command": "runs on the deploying machine",
    "random:index/randomPassword:RandomPassword": "generated locally",
    "random:index/randomId:RandomId": "generated locally",
    "tls:index/privateKey:PrivateKey": "generated locally",
    "pulumi:pulumi:Stack": "not a cloud resource",
};

/** Component resources and providers are not cloud resources. */
function isLogical(type: string): boolean {
    return type.startsWith("osint:") || type.startsWith("pulumi:providers:");
}

function regionPrices(table: PriceTable, region: string): RegionPrices {
    const prices = table.regions[region];
    if (!prices) throw new PriceError(`region ${region} has no prices in tools/cost/prices.ts (priced: ${Object.keys(table.regions).join(", ")})`);
    return prices;
}

/** A monthly amount to the cent, as reports and deltas show it. */
export const toCents = (n: number) => Math.round(n * 100) / 100;

/** The stack's monthly estimate. A stack without AWS resources (dev on Docker) costs nothing. */
export function estimate(plan: Plan, regions: Regions, table: PriceTable = PRICES): CostReport {
    const base = { stack: plan.stack, currency: table.currency, prices: { version: table.version, takenOn: table.takenOn, source: table.source } };
    if (!plan.resources.some((r) => r.type.startsWith("aws:"))) {
        return { ...base, total: 0, totalMax: 0, resources: [], unpriced: [], note: "runs on a local Docker engine: no cloud charges" };
    }
    const prices = regionPrices(table, regions.region);
    const context: Context = { plan, prices, drPrices: regions.drRegion ? regionPrices(table, regions.drRegion) : prices, regions };
    const resources: CostLine[] = [];
    const unpriced = new Set<string>();
    for (const resource of plan.resources) {
        const pricer = PRICERS[resource.type];
        if (pricer) {
            const line = pricer(resource, context);
            resources.push({
                urn: resource.urn,
                type: resource.type,
                monthly: toCents(line.monthly),
                ...(line.monthlyMax !== undefined ? { monthlyMax: toCents(line.monthlyMax) } : {}),
                assumptions: line.assumptions,
            });
        } else if (!(resource.type in FREE) && !isLogical(resource.type)) unpriced.add(resource.type);
    }
    const total = toCents(resources.reduce((sum, r) => sum + r.monthly, 0));
    const totalMax = toCents(resources.reduce((sum, r) => sum + (r.monthlyMax ?? r.monthly), 0));
    return { ...base, total, totalMax, resources, unpriced: [...unpriced].sort() };
}

/** Types with a pricer: the test that every created type is priced reads this. */
export const PRICED_TYPES: readonly string[] = Object.keys(PRICERS);
