// The AWS network: a VPC over the configured zones with three subnet tiers (public: the load
// balancer only; private: tasks, out through NAT; isolated: data, no route out), flow logs, and
// security groups that allow exactly the platform's paths. It also lays the rest of the landing
// zone other components attach to: telemetry, the ECS cluster and the second region's provider.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";

import { Cluster } from "../cluster";

import { applicationServices, serviceDefinitions, type ApplicationService, DATABASE_PORT, HTTPS_PORT, HTTP_PORT, REDIS_PORT } from "../service/catalog";
import { assumeRolePolicy, awsArgs, awsPrefix, policyDocument, subnetCidr, type AwsAttachment } from "../aws/platform";
import { SecretsKey } from "../secrets";
import { encryptedLogGroup, Telemetry } from "../telemetry";
import type { NetworkArgs } from "./index";

const ANYWHERE = "0.0.0.0/0";
// Subnets are the VPC block split in 16: public 0-3, private 4-7, isolated 8-11 (one per zone).
const SUBNET_BITS = 4;
const tiers = { public: 0, private: 4, isolated: 8 } as const;
/** What the flow-log role may do, as the VPC user guide lists it for CloudWatch Logs delivery. */
export const FLOW_LOG_ACTIONS = [
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
] as const;

function rule(
    kind: "ingress" | "egress",
    name: string,
    securityGroupId: pulumi.Input<string>,
    port: number,
    peer: { cidr: string } | { group: pulumi.Input<string> } | { prefixList: pulumi.Input<string> },
    description: string,
    parent: pulumi.Resource,
): pulumi.Resource {
    const args = {
        securityGroupId,
        description,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        ...("cidr" in peer ? { cidrIpv4: peer.cidr } : "group" in peer ? { referencedSecurityGroupId: peer.group } : { prefixListId: peer.prefixList }),
    };
    return kind === "ingress" ? new aws.vpc.SecurityGroupIngressRule(name, args, { parent }) : new aws.vpc.SecurityGroupEgressRule(name, args, { parent });
}

/** The AWS APIs tasks call, as interface endpoints: the agent's secrets and logs, ECR's API and registry. */
export const INTERFACE_ENDPOINTS = ["secretsmanager", "logs", "ecr.api", "ecr.dkr"] as const;

interface EndpointArgs {
    readonly vpcId: pulumi.Input<string>;
    readonly region: pulumi.Input<string>;
    readonly privateSubnets: aws.ec2.Subnet[];
    readonly privateRouteTables: aws.ec2.RouteTable[];
    readonly prefix: string;
}

// Interface endpoints in every private subnet's zone, answering the services' public DNS names
// inside the VPC (private DNS), reachable on 443 from the task groups only; a gateway endpoint for
// S3 on the private route tables (ECR serves image layers from S3: ECR user guide, "Amazon ECR
// interface VPC endpoints", which lists these four and S3 for Fargate pulls).
function vpcEndpoints(name: string, args: EndpointArgs, parent: pulumi.Resource) {
    const created: pulumi.Resource[] = [];
    const group = new aws.ec2.SecurityGroup(
        `${name}-endpoints`,
        { vpcId: args.vpcId, description: "VPC endpoints: HTTPS from the platform's tasks", tags: { Name: `${args.prefix}-endpoints` } },
        { parent },
    );
    for (const service of INTERFACE_ENDPOINTS) {
        const endpoint = new aws.ec2.VpcEndpoint(
            `${name}-${service.replace(".", "-")}`,
            {
                vpcId: args.vpcId,
                serviceName: pulumi.interpolate`com.amazonaws.${args.region}.${service}`,
                vpcEndpointType: "Interface",
                subnetIds: args.privateSubnets.map((s) => s.id),
                securityGroupIds: [group.id],
                privateDnsEnabled: true,
                tags: { Name: `${args.prefix}-${service}` },
            },
            { parent },
        );
        created.push(endpoint);
    }
    const s3 = new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        {
            vpcId: args.vpcId,
            serviceName: pulumi.interpolate`com.amazonaws.${args.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: args.privateRouteTables.map((t) => t.id),
            tags: { Name: `${args.prefix}-s3` },
        },
        { parent },
    );
    return { securityGroupId: group.id, s3PrefixListId: s3.prefixListId, resources: [...created, s3] };
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
    const secretsKey = new SecretsKey(`${name}-secrets`, { accountId, protect: args.protectData }, { parent });

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
    const privateRouteTables = privateSubnets.map((s, i) => {
        const nat = natGateways[Math.min(i, natGateways.length - 1)];
        const routes = new aws.ec2.RouteTable(
            `${name}-private-${i}`,
            { vpcId: vpc.id, routes: [{ cidrBlock: ANYWHERE, natGatewayId: nat.id }], tags: { Name: `${prefix}-private-${i}` } },
            { parent },
        );
        new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: s.id, routeTableId: routes.id }, { parent });
        return routes;
    });
    // Isolated subnets get a table with the local route only: the data tier has no way out.
    const isolatedRoutes = new aws.ec2.RouteTable(`${name}-isolated`, { vpcId: vpc.id, tags: { Name: `${prefix}-isolated` } }, { parent });
    isolatedSubnets.forEach(
        (s, i) => new aws.ec2.RouteTableAssociation(`${name}-isolated-${i}`, { subnetId: s.id, routeTableId: isolatedRoutes.id }, { parent }),
    );

    const flowLogGroup = encryptedLogGroup(`${name}-flow-logs`, `/${prefix}/vpc-flow-logs`, logs, parent);
    // Trust and permissions as AWS documents them for flow logs to CloudWatch Logs (VPC user guide,
    // "IAM role for publishing flow logs to CloudWatch Logs"): the service acting for this account's
    // flow logs only, with every action AWS lists, on this one log group only.
    const flowLogRole = new aws.iam.Role(
        `${name}-flow-logs`,
        {
            assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com", {
                account: accountId,
                arn: pulumi.interpolate`arn:aws:ec2:${region}:${accountId}:vpc-flow-log/*`,
            }),
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${name}-flow-logs`,
        {
            role: flowLogRole.id,
            policy: policyDocument([
                {
                    Effect: "Allow",
                    Action: [...FLOW_LOG_ACTIONS],
                    Resource: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
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

    // The VPC's default group allows all traffic between its members and all egress; adopting it with
    // no rules removes them (terraform-provider-aws aws_default_security_group: rules not declared are
    // revoked), so nothing can use it by accident (Security Hub EC2.2).
    new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${prefix}-default-closed` } }, { parent });

    // Security groups without inline rules: the provider removes AWS's default allow-all egress,
    // so each group allows exactly the rules below. Tasks wait for every rule (and the endpoints):
    // a task started before them finds its image pull, logs or database refused.
    const rules: pulumi.Resource[] = [];
    const allow: typeof rule = (...ruleArgs) => {
        const created = rule(...ruleArgs);
        rules.push(created);
        return created;
    };
    const group = (id: string, description: string) =>
        new aws.ec2.SecurityGroup(`${name}-${id}`, { vpcId: vpc.id, description, tags: { Name: `${prefix}-${id}` } }, { parent });
    const alb = group("alb", "Load balancer: HTTPS (and HTTP for the redirect) from the internet");
    const database = group("database", "PostgreSQL: 5432 from the services that hold database credentials");
    const cache = group("cache", "Redis: 6379 from the services that hold Redis credentials");
    const databaseAdmin = group("database-admin", "One-off psql tasks: the database access model and the seed data");
    const services = Object.fromEntries(applicationServices.map((s) => [s, group(s, `${s} tasks`)])) as Record<ApplicationService, aws.ec2.SecurityGroup>;

    allow("ingress", `${name}-alb-https`, alb.id, HTTPS_PORT, { cidr: ANYWHERE }, "HTTPS from the internet", parent);
    allow("ingress", `${name}-alb-http`, alb.id, HTTP_PORT, { cidr: ANYWHERE }, "HTTP from the internet, answered with a redirect to HTTPS", parent);
    for (const service of ["frontend", "backend"] as const) {
        const port = serviceDefinitions[service].port;
        allow("egress", `${name}-alb-to-${service}`, alb.id, port, { group: services[service].id }, `to ${service} tasks`, parent);
        allow("ingress", `${name}-${service}-from-alb`, services[service].id, port, { group: alb.id }, "from the load balancer", parent);
    }
    allow("egress", `${name}-database-admin-to-database`, databaseAdmin.id, DATABASE_PORT, { group: database.id }, "to PostgreSQL", parent);
    allow("ingress", `${name}-database-from-database-admin`, database.id, DATABASE_PORT, { group: databaseAdmin.id }, "from the access-model task", parent);
    // HTTPS out: with vpcEndpoints, to the AWS APIs tasks use (Secrets Manager, CloudWatch Logs, ECR,
    // and S3 where ECR keeps image layers) through endpoints in the VPC, and nowhere else; without,
    // to any host through NAT. Images come from ECR's pull-through cache either way (cluster).
    // playwright researches public sites, so it keeps HTTPS and HTTP to the internet (through NAT).
    const endpoints = args.vpcEndpoints ? vpcEndpoints(name, { vpcId: vpc.id, region, privateSubnets, privateRouteTables, prefix }, parent) : undefined;
    // Private DNS sends every task's ECR, Logs and Secrets Manager calls to the endpoints, whatever its
    // own egress, so the endpoints admit 443 from every task group (ECR user guide, "Amazon ECR
    // interface VPC endpoints", Considerations: the endpoint's security group must allow 443 from the
    // private subnets), playwright's included.
    const endpointsAdmit = (id: string, sg: pulumi.Input<string>) => {
        if (endpoints) allow("ingress", `${name}-endpoints-from-${id}`, endpoints.securityGroupId, HTTPS_PORT, { group: sg }, `from ${id} tasks`, parent);
    };
    const awsApisOut = (id: string, sg: pulumi.Input<string>) => {
        endpointsAdmit(id, sg);
        if (!endpoints) {
            allow("egress", `${name}-${id}-https-out`, sg, HTTPS_PORT, { cidr: ANYWHERE }, "HTTPS: ECR, Secrets Manager, CloudWatch Logs through NAT", parent);
            return;
        }
        allow(
            "egress",
            `${name}-${id}-to-endpoints`,
            sg,
            HTTPS_PORT,
            { group: endpoints.securityGroupId },
            "HTTPS: ECR, Secrets Manager, CloudWatch Logs endpoints",
            parent,
        );
        allow(
            "egress",
            `${name}-${id}-to-s3`,
            sg,
            HTTPS_PORT,
            { prefixList: endpoints.s3PrefixListId },
            "HTTPS: image layers in S3, through the gateway endpoint",
            parent,
        );
    };
    awsApisOut("database-admin", databaseAdmin.id);
    for (const service of applicationServices) {
        const sg = services[service].id;
        if (serviceDefinitions[service].egress) {
            allow(
                "egress",
                `${name}-${service}-https-out`,
                sg,
                HTTPS_PORT,
                { cidr: ANYWHERE },
                "HTTPS: public sites the scraper researches, and AWS APIs",
                parent,
            );
            allow("egress", `${name}-${service}-http-out`, sg, HTTP_PORT, { cidr: ANYWHERE }, "HTTP: public sites the scraper researches", parent);
            endpointsAdmit(service, sg);
        } else awsApisOut(service, sg);
        if (!serviceDefinitions[service].dataAccess) continue;
        allow("egress", `${name}-${service}-to-database`, sg, DATABASE_PORT, { group: database.id }, "to PostgreSQL", parent);
        allow("ingress", `${name}-database-from-${service}`, database.id, DATABASE_PORT, { group: sg }, `from ${service} tasks`, parent);
        allow("egress", `${name}-${service}-to-cache`, sg, REDIS_PORT, { group: cache.id }, "to Redis", parent);
        allow("ingress", `${name}-cache-from-${service}`, cache.id, REDIS_PORT, { group: sg }, `from ${service} tasks`, parent);
    }

    const cluster = new Cluster(`${name}-cluster`, { region, accountId, telemetry: logs, secretRecoveryWindowDays: args.secretRecoveryWindowDays }, { parent });
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
        cluster: { arn: cluster.arn, name: cluster.name, images: cluster.images, registryReady: cluster.registryReady },
        telemetry: { ...logs, alarmTopicArn: telemetry.alarmTopicArn },
        dr: args.drRegion
            ? { region: args.drRegion, provider: new aws.Provider(`${name}-dr`, { region: args.drRegion as aws.Region }, { parent }) }
            : undefined,
        protectData: args.protectData,
        secretRecoveryWindowDays: args.secretRecoveryWindowDays,
        secretsKeyArn: secretsKey.arn,
        taskNetwork: [...(endpoints?.resources ?? []), ...rules],
    };
}
