// AWS on-demand list prices for the regions the stacks run in (aws:region of Pulumi.staging.yaml and
// Pulumi.prod.yaml, and prod's drRegion). Bump `version` and `takenOn` whenever a figure changes: the
// cost tool prints both with every estimate, so an estimate always says which prices it used.
//
// Source: the AWS public pricing pages named per entry (aws.amazon.com/<service>/pricing/, the same
// figures the Price List API serves), as of `takenOn`; this repository's tooling cannot reach AWS. They are list prices (no Savings Plans, Reserved
// Instances, free tier or taxes); us-east-1 and us-west-2 share every figure used here. Confirmed in
// copies read on that date: Fargate, RDS db.t4g micro to medium, gp3 storage and IOPS, backup storage,
// NAT gateway. The rest are AWS's long-standing list figures, not re-read on that date (prod's
// db.m7g.xlarge among them): check them against the AWS pages when next bumping `version`.

export interface RegionPrices {
    /** Fargate, Linux: per vCPU-hour and per GB-hour (aws.amazon.com/fargate/pricing/). */
    readonly fargate: { readonly X86_64: FargateRate; readonly ARM64: FargateRate };
    /** RDS for PostgreSQL single-AZ instance-hour by class; Multi-AZ (one standby) is twice this (aws.amazon.com/rds/postgresql/pricing/). */
    readonly rdsInstanceHour: Readonly<Record<string, number>>;
    /** RDS gp3 per GB-month (single-AZ; Multi-AZ doubles it), and per IOPS-month above the gp3 baseline. */
    readonly rdsGp3GbMonth: number;
    readonly rdsGp3IopsMonth: number;
    /** RDS and AWS Backup snapshot storage per GB-month (RDS: beyond the free allowance of 100% of provisioned storage). */
    readonly backupStorageGbMonth: number;
    /** Inter-region data transfer out per GB (cross-region backup replication and copies). */
    readonly interRegionTransferGb: number;
    /** ElastiCache (Redis OSS) node-hour by node type (aws.amazon.com/elasticache/pricing/). */
    readonly elasticacheNodeHour: Readonly<Record<string, number>>;
    /** NAT gateway hour and per GB processed (aws.amazon.com/vpc/pricing/). */
    readonly natGatewayHour: number;
    readonly natGatewayGb: number;
    /** Public IPv4 address hour, in use or idle, since 2024-02-01 (aws.amazon.com/vpc/pricing/). */
    readonly publicIpv4Hour: number;
    /** VPC interface endpoint hour per AZ and per GB processed (aws.amazon.com/privatelink/pricing/). */
    readonly interfaceEndpointHour: number;
    readonly interfaceEndpointGb: number;
    /** Application Load Balancer hour and LCU-hour (aws.amazon.com/elasticloadbalancing/pricing/). */
    readonly albHour: number;
    readonly albLcuHour: number;
    /** WAF: web ACL per month, rule per month, per million requests (aws.amazon.com/waf/pricing/). */
    readonly wafWebAclMonth: number;
    readonly wafRuleMonth: number;
    readonly wafMillionRequests: number;
    /** KMS customer managed key per month (aws.amazon.com/kms/pricing/). */
    readonly kmsKeyMonth: number;
    /** Secrets Manager: per secret-month and per 10,000 API calls (aws.amazon.com/secrets-manager/pricing/). */
    readonly secretMonth: number;
    readonly secretTenThousandCalls: number;
    /** CloudWatch: standard alarm per metric-month, log ingestion per GB, log storage per GB-month, dashboard per month (aws.amazon.com/cloudwatch/pricing/). */
    readonly alarmMetricMonth: number;
    readonly logIngestionGb: number;
    readonly logStorageGbMonth: number;
    readonly dashboardMonth: number;
    /** S3 Standard per GB-month, first 50 TB (aws.amazon.com/s3/pricing/). */
    readonly s3StandardGbMonth: number;
    /** ECR image storage per GB-month (aws.amazon.com/ecr/pricing/). */
    readonly ecrStorageGbMonth: number;
}

export interface FargateRate {
    readonly vcpuHour: number;
    readonly gbHour: number;
}

export interface PriceTable {
    readonly version: number;
    /** The day the figures were taken (ISO date). */
    readonly takenOn: string;
    readonly source: string;
    readonly currency: "USD";
    readonly regions: Readonly<Record<string, RegionPrices>>;
}

const usEast1: RegionPrices = {
    fargate: { X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 }, ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 } },
    rdsInstanceHour: {
        "db.t4g.micro": 0.016,
        "db.t4g.small": 0.032,
        "db.t4g.medium": 0.065,
        "db.t4g.large": 0.129,
        "db.m7g.large": 0.168,
        "db.m7g.xlarge": 0.337,
        "db.m7g.2xlarge": 0.674,
        "db.r7g.large": 0.239,
        "db.r7g.xlarge": 0.478,
    },
    rdsGp3GbMonth: 0.115,
    rdsGp3IopsMonth: 0.02,
    backupStorageGbMonth: 0.095,
    interRegionTransferGb: 0.02,
    elasticacheNodeHour: {
        "cache.t4g.micro": 0.016,
        "cache.t4g.small": 0.032,
        "cache.t4g.medium": 0.065,
        "cache.m7g.large": 0.158,
        "cache.r7g.large": 0.219,
    },
    natGatewayHour: 0.045,
    natGatewayGb: 0.045,
    publicIpv4Hour: 0.005,
    interfaceEndpointHour: 0.01,
    interfaceEndpointGb: 0.01,
    albHour: 0.0225,
    albLcuHour: 0.008,
    wafWebAclMonth: 5,
    wafRuleMonth: 1,
    wafMillionRequests: 0.6,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
    secretTenThousandCalls: 0.05,
    alarmMetricMonth: 0.1,
    logIngestionGb: 0.5,
    logStorageGbMonth: 0.03,
    dashboardMonth: 3,
    s3StandardGbMonth: 0.023,
    ecrStorageGbMonth: 0.1,
};

export const PRICES: PriceTable = {
    version: 1,
    takenOn: "2026-11-29",
    source: "AWS public pricing pages (aws.amazon.com/<service>/pricing/, as served by the AWS Price List API), on-demand list prices",
    currency: "USD",
    regions: { "us-east-1": usEast1, "us-west-2": usEast1 },
};
