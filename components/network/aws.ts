// The AWS network: a VPC over the configured zones with three subnet tiers (public: the load
// balancer only; private: tasks, out through NAT; isolated: data, no route out), flow logs, and
// security groups that allow exactly the platform's paths. It also lays the rest of the landing
// zone other components attach to: telemetry, the ECS cluster and the second region's provider.
import * as aws from "../shared/aws-sdk";
import * as pulumi from "@pulumi/pulumi";
import { REDIS_PORT } from "../cache";
import { Cluster } from "../cluster";
import { DATABASE_PORT } from "../database";
import { applicationServices, serviceDefinitions, type ApplicationService } from "../service/catalog";
import { assumeRolePolicy, awsArgs, awsPrefix, HTTP_PORT, HTTPS_PORT, policyDocument, subnetCidr, type AwsAttachment } from "../shared/aws-platform";
import { encryptedLogGroup, Telemetry } from "../telemetry";
import type { NetworkArgs } from "./index";

const ANYWHERE = "0.0.0.0/0";
// Subnets are the VPC block split in 16: public 0-3, private 4-7, isolated 8-11 (one per zone).
const SUBNET_BITS = 4;
const tiers = { public: 0, private: 4, isolated: 8 } as const;

function rule(
    kind: "ingress" | "egress",
    name: string,
    securityGroupId: pulumi.Input<string>,
    port: number,
    peer: { cidr: string } | { group: pulumi.Input<string> },
    description: string,
    parent: pulumi.Resource,
) {
    const args = {
        securityGroupId,
        description,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        ...("cidr" in peer ? { cidrIpv4: peer.cidr } : { referencedSecurityGroupId: peer.group }),
    };
    if (kind === "ingress") new aws.vpc.SecurityGroupIngressRule(name, args, { parent });
    else new aws.vpc.SecurityGroupEgressRule(name, args, { parent });
}

export function awsNetwork(name: string, networkArgs: NetworkArgs, parent: pulumi.ComponentResource): AwsAttachment {
    const args = awsArgs(networkArgs.aws, "osint:network:Network");
    const prefix = awsPrefix();
    const region = aws.getRegionOutput({}, { parent }).region;
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent }).names;
    const zoneIndexes = Array.from({ length: args.availabilityZoneCount }, (_, i) => i);

    const telemetry = new Telemetry(`${name}-telemetry`, { region, accountId, alarmEmail: args.alarmEmail || undefined }, { parent });
    const logs = { logKeyArn: telemetry.logKeyArn, logRetentionDays: args.logRetentionDays };

    const vpc = new aws.ec2.Vpc(
        `${name}-vpc`,
        { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: prefix } },
        { parent },
    );
    const subnets = (tier: keyof typeof tiers) =>
        zoneIndexes.map(
            (i) =>
                new aws.ec2.Subnet(
                    `${name}-${tier}-${i}`,
                    {
                        vpcId: vpc.id,
                        cidrBlock: subnetCidr(args.vpcCidr, SUBNET_BITS, tiers[tier] + i),
                        availabilityZone: zones.apply((z) => z[i]),
                        mapPublicIpOnLaunch: false,
                        tags: { Name: `${prefix}-${tier}-${i}`, tier },
                    },
                    { parent },
                ),
        );
    const publicSubnets = subnets("public");
    const privateSubnets = subnets("private");
    const isolatedSubnets = subnets("isolated");

    const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: prefix } }, { parent });
    const publicRoutes = new aws.ec2.RouteTable(
        `${name}-public`,
        { vpcId: vpc.id, routes: [{ cidrBlock: ANYWHERE, gatewayId: gateway.id }], tags: { Name: `${prefix}-public` } },
        { parent },
    );
    publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, { parent }));

    // One NAT gateway per zone with multiAz (a zone outage leaves the others their way out), else one.
    const natGateways = (args.multiAz ? zoneIndexes : [0]).map((i) => {
        const address = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${prefix}-nat-${i}` } }, { parent });
        return new aws.ec2.NatGateway(
            `${name}-nat-${i}`,
            { allocationId: address.id, subnetId: publicSubnets[i].id, tags: { Name: `${prefix}-nat-${i}` } },
            { parent, dependsOn: [gateway] },
        );
    });
    privateSubnets.forEach((s, i) => {
        const nat = natGateways[Math.min(i, natGateways.length - 1)];
        const routes = new aws.ec2.RouteTable(
            `${name}-private-${i}`,
            { vpcId: vpc.id, routes: [{ cidrBlock: ANYWHERE, natGatewayId: nat.id }], tags: { Name: `${prefix}-private-${i}` } },
            { parent },
        );
        new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: s.id, routeTableId: routes.id }, { parent });
    });
    // Isolated subnets get a table with the local route only: the data tier has no way out.
    const isolatedRoutes = new aws.ec2.RouteTable(`${name}-isolated`, { vpcId: vpc.id, tags: { Name: `${prefix}-isolated` } }, { parent });
    isolatedSubnets.forEach(
        (s, i) => new aws.ec2.RouteTableAssociation(`${name}-isolated-${i}`, { subnetId: s.id, routeTableId: isolatedRoutes.id }, { parent }),
    );

    const flowLogGroup = encryptedLogGroup(`${name}-flow-logs`, `/${prefix}/vpc-flow-logs`, logs, parent);
    const flowLogRole = new aws.iam.Role(`${name}-flow-logs`, { assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com") }, { parent });
    new aws.iam.RolePolicy(
        `${name}-flow-logs`,
        {
            role: flowLogRole.id,
            policy: policyDocument([
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: pulumi.interpolate`${flowLogGroup.arn}:*`,
                },
            ]),
        },
        { parent },
    );
    new aws.ec2.FlowLog(
        `${name}-flow-log`,
        { vpcId: vpc.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: flowLogGroup.arn, iamRoleArn: flowLogRole.arn },
        { parent },
    );

    // Security groups without inline rules: the provider removes AWS's default allow-all egress,
    // so each group allows exactly the rules below.
    const group = (id: string, description: string) =>
        new aws.ec2.SecurityGroup(`${name}-${id}`, { vpcId: vpc.id, description, tags: { Name: `${prefix}-${id}` } }, { parent });
    const alb = group("alb", "Load balancer: HTTPS (and HTTP for the redirect) from the internet");
    const database = group("database", "PostgreSQL: 5432 from the services that hold database credentials");
    const cache = group("cache", "Redis: 6379 from the services that hold Redis credentials");
    const databaseAdmin = group("database-admin", "One-off psql tasks: the database access model and the seed data");
    const services = Object.fromEntries(applicationServices.map((s) => [s, group(s, `${s} tasks`)])) as Record<ApplicationService, aws.ec2.SecurityGroup>;

    rule("ingress", `${name}-alb-https`, alb.id, HTTPS_PORT, { cidr: ANYWHERE }, "HTTPS from the internet", parent);
    rule("ingress", `${name}-alb-http`, alb.id, HTTP_PORT, { cidr: ANYWHERE }, "HTTP from the internet, answered with a redirect to HTTPS", parent);
    for (const service of ["frontend", "backend"] as const) {
        const port = serviceDefinitions[service].port;
        rule("egress", `${name}-alb-to-${service}`, alb.id, port, { group: services[service].id }, `to ${service} tasks`, parent);
        rule("ingress", `${name}-${service}-from-alb`, services[service].id, port, { group: alb.id }, "from the load balancer", parent);
    }
    rule("egress", `${name}-database-admin-to-database`, databaseAdmin.id, DATABASE_PORT, { group: database.id }, "to PostgreSQL", parent);
    rule("ingress", `${name}-database-from-database-admin`, database.id, DATABASE_PORT, { group: databaseAdmin.id }, "from the access-model task", parent);
    rule(
        "egress",
        `${name}-database-admin-https-out`,
        databaseAdmin.id,
        HTTPS_PORT,
        { cidr: ANYWHERE },
        "HTTPS: image registry, Secrets Manager, CloudWatch Logs",
        parent,
    );
    for (const service of applicationServices) {
        const sg = services[service].id;
        // Image pulls (GHCR), Secrets Manager and CloudWatch Logs are HTTPS endpoints reached through NAT.
        rule("egress", `${name}-${service}-https-out`, sg, HTTPS_PORT, { cidr: ANYWHERE }, "HTTPS: image registry, Secrets Manager, CloudWatch Logs", parent);
        if (serviceDefinitions[service].egress)
            rule("egress", `${name}-${service}-http-out`, sg, HTTP_PORT, { cidr: ANYWHERE }, "HTTP: public sites the scraper researches", parent);
        if (!serviceDefinitions[service].dataAccess) continue;
        rule("egress", `${name}-${service}-to-database`, sg, DATABASE_PORT, { group: database.id }, "to PostgreSQL", parent);
        rule("ingress", `${name}-database-from-${service}`, database.id, DATABASE_PORT, { group: sg }, `from ${service} tasks`, parent);
        rule("egress", `${name}-${service}-to-cache`, sg, REDIS_PORT, { group: cache.id }, "to Redis", parent);
        rule("ingress", `${name}-cache-from-${service}`, cache.id, REDIS_PORT, { group: sg }, `from ${service} tasks`, parent);
    }

    const cluster = new Cluster(`${name}-cluster`, { region, telemetry: logs, secretRecoveryWindowDays: args.secretRecoveryWindowDays }, { parent });
    return {
        platform: "aws",
        region,
        accountId,
        vpcId: vpc.id,
        subnetIds: { public: publicSubnets.map((s) => s.id), private: privateSubnets.map((s) => s.id), isolated: isolatedSubnets.map((s) => s.id) },
        securityGroupIds: {
            alb: alb.id,
            database: database.id,
            databaseAdmin: databaseAdmin.id,
            cache: cache.id,
            services: Object.fromEntries(applicationServices.map((s) => [s, services[s].id])) as Record<ApplicationService, pulumi.Output<string>>,
        },
        cluster: { arn: cluster.arn, name: cluster.name, registryCredentialsArn: cluster.registryCredentialsArn, registryReady: cluster.registryReady },
        telemetry: { ...logs, alarmTopicArn: telemetry.alarmTopicArn },
        dr: args.drRegion
            ? { region: args.drRegion, provider: new aws.Provider(`${name}-dr`, { region: args.drRegion as aws.Region }, { parent }) }
            : undefined,
        protectData: args.protectData,
        secretRecoveryWindowDays: args.secretRecoveryWindowDays,
    };
}
