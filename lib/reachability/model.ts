// The network a plan declares, as AWS evaluates a packet's way through it (VPC user guide; each rule's
// page is cited where the model applies it): VPCs and subnets in zones, route tables with their
// associations, network ACLs, security groups and their rules in all three of the provider's shapes,
// internet and NAT gateways, gateway and interface VPC endpoints, and the elastic network interfaces
// of what runs there (ECS tasks, load balancers, RDS, ElastiCache, endpoints, NAT gateways).
// Anything else that is attached to the network is listed as not modelled, never passed over.
import { placementIds, RUN_SECURITY_GROUPS_TAG, RUN_SUBNETS_TAG } from "../on-demand-placement";
import { ALL_ADDRESSES, ALL_PORTS, type Box, cidrRange, type Range } from "./space";

/** A custom resource as the plan, a stack export or a preview gives it: outputs hold its id and ARN. */
export interface NetworkResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent?: string | null;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    /** The URNs it depends on (inputs and dependsOn), where the source records them (the plan); undefined where it does not. */
    readonly dependencies?: readonly string[];
}

export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    vpcCidr: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    mainRouteTableAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    igw: "aws:ec2/internetGateway:InternetGateway",
    igwAttachment: "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    acl: "aws:ec2/networkAcl:NetworkAcl",
    defaultAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    aclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    aclAssociation: "aws:ec2/networkAclAssociation:NetworkAclAssociation",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    prefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
    prefixListEntry: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    endpointRouteTable: "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    endpointSubnet: "aws:ec2/vpcEndpointSubnetAssociation:VpcEndpointSubnetAssociation",
    endpointSecurityGroup: "aws:ec2/vpcEndpointSecurityGroupAssociation:VpcEndpointSecurityGroupAssociation",
    flowLog: "aws:ec2/flowLog:FlowLog",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    command: "command:local:Command",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    rds: "aws:rds/instance:Instance",
    rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    pullThroughCache: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
    secret: "aws:secretsmanager/secret:Secret",
} as const;

/** Types read here, or that name the network without carrying traffic of their own (flow logs record it). */
const MODELLED = new Set<string>([...Object.values(T)]);

export interface Vpc {
    readonly res: NetworkResource;
    readonly cidrs: Range[];
    /** Private DNS of interface endpoints needs both (PrivateLink guide, "Access an AWS service using an interface VPC endpoint", DNS hostnames and DNS resolution). */
    readonly privateDns: boolean;
}

export interface Subnet {
    readonly res: NetworkResource;
    readonly vpc: Vpc;
    readonly cidr: Range;
    readonly zone: string;
}

export type RouteTarget =
    | { readonly kind: "local" }
    | { readonly kind: "igw"; readonly res: NetworkResource; readonly attachedTo: Vpc | undefined }
    | { readonly kind: "nat"; readonly nat: Node }
    | { readonly kind: "gateway-endpoint"; readonly res: NetworkResource }
    | { readonly kind: "other"; readonly what: string };

export interface Route {
    readonly destination: Range | { readonly prefixList: string };
    readonly target: RouteTarget;
    readonly from: string;
}

export interface RouteTable {
    readonly label: string;
    readonly routes: Route[];
}

export interface AclRule {
    readonly number: number;
    readonly egress: boolean;
    readonly allow: boolean;
    readonly box: Box | undefined;
    readonly from: string;
}

export interface Acl {
    readonly label: string;
    readonly rules: AclRule[];
}

export type Peer =
    | { readonly kind: "cidr"; readonly range: Range }
    | { readonly kind: "group"; readonly group: SecurityGroup | undefined; readonly reference: string }
    | { readonly kind: "prefix-list"; readonly id: string; readonly ranges: Range[] | undefined };

export interface SgRule {
    readonly egress: boolean;
    readonly ports: Range | undefined;
    readonly peer: Peer;
    readonly from: string;
}

export interface SecurityGroup {
    readonly label: string;
    readonly rules: SgRule[];
}

export type NodeKind = "task" | "load balancer" | "rds" | "redis" | "interface endpoint" | "nat gateway";

/** What holds network interfaces in the VPC: where a flow starts or ends. */
export interface Node {
    readonly kind: NodeKind;
    readonly label: string;
    readonly res: NetworkResource;
    readonly subnets: Subnet[];
    readonly groups: SecurityGroup[];
    readonly publicIp: boolean;
    /** The source ports it opens connections from (network ACL user guide, "Ephemeral ports"). */
    readonly ephemeral: Range;
    /** The port it listens on, for data stores. */
    readonly port?: number;
}

export interface Task {
    readonly node: Node;
    readonly definition: NetworkResource;
    /** The ECS service or the command that runs it, or the task definition itself when it declares an on-demand placement. */
    readonly via: NetworkResource;
}

export interface NotModelled {
    readonly urn: string;
    readonly reason: string;
}

export interface Network {
    readonly resources: readonly NetworkResource[];
    readonly vpcs: Vpc[];
    readonly subnets: Subnet[];
    readonly routeTableOf: (subnet: Subnet) => RouteTable;
    readonly aclOf: (subnet: Subnet) => Acl;
    readonly nodes: Node[];
    readonly endpoints: { readonly node: Node; readonly service: string; readonly privateDns: boolean }[];
    readonly gatewayEndpoints: { readonly res: NetworkResource; readonly service: string; readonly prefixList: string }[];
    /** ECS tasks where a service, a run-task command or an on-demand placement declaration places them, with the task definition they run. */
    readonly tasks: Task[];
    readonly notModelled: NotModelled[];
    /** The resource of one of `types` a reference (id, ARN, address) names: ids alone may repeat across types (the offline plan's `<name>-id`). */
    readonly resolve: (reference: unknown, ...types: string[]) => NetworkResource | undefined;
    readonly ofType: (...types: string[]) => NetworkResource[];
}

// The source ports of Linux (Fargate tasks), and of NAT gateways and Elastic Load Balancing
// (VPC user guide, "Network ACLs", Ephemeral ports: 32768-60999 Linux, 1024-65535 NAT gateway and ELB).
export const LINUX_EPHEMERAL: Range = { lo: 32768, hi: 60999 };
export const AWS_EPHEMERAL: Range = { lo: 1024, hi: 65535 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const records = (v: unknown) => list(v).filter(isRecord);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined);

/** The protocol of a rule: "all" (-1), "tcp" (6), or another one no TCP flow matches. */
function protocolOf(value: unknown): "all" | "tcp" | "other" {
    const text = String(value ?? "").toLowerCase();
    return text === "-1" || text === "all" ? "all" : text === "tcp" || text === "6" ? "tcp" : "other";
}

/** A rule's TCP ports: every port for protocol -1, none for a protocol that is not TCP. */
function portsOf(protocol: unknown, from: unknown, to: unknown): Range | undefined {
    const kind = protocolOf(protocol);
    if (kind === "all") return ALL_PORTS;
    if (kind === "other") return undefined;
    const lo = num(from) ?? 0;
    return { lo, hi: num(to) ?? lo };
}

export function buildNetwork(resources: readonly NetworkResource[]): Network {
    const byRef = new Map<string, NetworkResource[]>();
    const byType = new Map<string, NetworkResource[]>();
    for (const r of resources) {
        byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
        for (const key of ["id", "arn", "prefixListId", "address", "primaryEndpointAddress", "dnsName"]) {
            const value = str(r.outputs[key]);
            if (value) byRef.set(value, [...(byRef.get(value) ?? []), r]);
        }
    }
    const ofType = (...types: string[]) => types.flatMap((t) => byType.get(t) ?? []);
    const resolve = (reference: unknown, ...types: string[]) =>
        typeof reference === "string" ? byRef.get(reference)?.find((r) => types.length === 0 || types.includes(r.type)) : undefined;
    const notModelled: NotModelled[] = [];
    const skip = (res: NetworkResource, reason: string): void => void notModelled.push({ urn: res.urn, reason });

    // VPCs and subnets (VPC user guide, "Subnets": a subnet is one CIDR block in one zone).
    const vpcs = new Map<NetworkResource, Vpc>();
    for (const r of ofType(T.vpc)) {
        const cidr = cidrRange(String(r.inputs.cidrBlock ?? ""));
        if (!cidr) skip(r, `VPC without an IPv4 CIDR block the model reads (${JSON.stringify(r.inputs.cidrBlock)})`);
        if (r.inputs.assignGeneratedIpv6CidrBlock === true || str(r.inputs.ipv6CidrBlock) || str(r.inputs.ipv6IpamPoolId))
            skip(r, "IPv6 in the VPC: the model evaluates IPv4 flows only");
        // enable_dns_support defaults to true, enable_dns_hostnames to false (terraform-provider-aws, aws_vpc).
        const privateDns = r.inputs.enableDnsSupport !== false && r.inputs.enableDnsHostnames === true;
        vpcs.set(r, { res: r, cidrs: cidr ? [cidr] : [], privateDns });
    }
    const vpcOf = (reference: unknown) => {
        const res = resolve(reference, T.vpc);
        return res ? vpcs.get(res) : undefined;
    };
    for (const r of ofType(T.vpcCidr)) {
        const range = cidrRange(String(r.inputs.cidrBlock ?? ""));
        const vpc = vpcOf(r.inputs.vpcId);
        if (range && vpc) vpc.cidrs.push(range);
        else skip(r, "secondary CIDR block of a VPC the plan does not hold");
    }
    const subnets = new Map<NetworkResource, Subnet>();
    for (const r of ofType(T.subnet)) {
        const vpc = vpcOf(r.inputs.vpcId);
        const cidr = cidrRange(String(r.inputs.cidrBlock ?? ""));
        if (!vpc || !cidr) {
            skip(r, "subnet whose VPC or IPv4 CIDR block is not in the plan");
            continue;
        }
        subnets.set(r, { res: r, vpc, cidr, zone: str(r.inputs.availabilityZone) ?? str(r.inputs.availabilityZoneId) ?? "?" });
    }
    const subnetOf = (reference: unknown) => {
        const res = resolve(reference, T.subnet);
        return res ? subnets.get(res) : undefined;
    };
    const subnetsOf = (references: unknown, owner: NetworkResource) =>
        list(references).flatMap((ref) => {
            const subnet = subnetOf(ref);
            if (!subnet) skip(owner, `names subnet ${JSON.stringify(ref)}, which is not in the plan`);
            return subnet ? [subnet] : [];
        });

    // Security groups: inline rules, ec2.SecurityGroupRule and vpc.SecurityGroup{Ingress,Egress}Rule.
    // A group declared without inline egress has none: the provider removes the allow-all rule AWS
    // adds (terraform-provider-aws, aws_security_group: "Terraform will remove this default rule").
    const groups = new Map<NetworkResource, SecurityGroup>();
    for (const r of ofType(T.securityGroup, T.defaultSecurityGroup)) groups.set(r, { label: r.name, rules: [] });
    const groupOf = (reference: unknown) => {
        const res = resolve(reference, T.securityGroup, T.defaultSecurityGroup);
        return res ? groups.get(res) : undefined;
    };
    const prefixLists = new Map<string, Range[]>();
    for (const r of ofType(T.prefixList)) {
        const id = str(r.outputs.id);
        if (id)
            prefixLists.set(
                id,
                records(r.inputs.entries).flatMap((e) => cidrRange(String(e.cidr)) ?? []),
            );
    }
    for (const r of ofType(T.prefixListEntry)) {
        const ranges = prefixLists.get(String(r.inputs.prefixListId));
        const range = cidrRange(String(r.inputs.cidr ?? ""));
        if (ranges && range) ranges.push(range);
    }
    const prefixListPeer = (id: string): Peer => ({ kind: "prefix-list", id, ranges: prefixLists.get(id) });
    const groupPeer = (reference: unknown): Peer => ({ kind: "group", group: groupOf(reference), reference: String(reference) });
    const addRules = (group: SecurityGroup | undefined, owner: NetworkResource, egress: boolean, ports: Range | undefined, peers: Peer[], from: string) => {
        if (!group) return skip(owner, "rule of a security group the plan does not hold");
        for (const peer of peers) group.rules.push({ egress, ports, peer, from });
    };
    const cidrPeers = (values: unknown): Peer[] =>
        list(values).flatMap((c) => (cidrRange(String(c)) ? [{ kind: "cidr", range: cidrRange(String(c))! } as Peer] : []));
    for (const r of ofType(T.securityGroup, T.defaultSecurityGroup)) {
        for (const egress of [false, true])
            records(r.inputs[egress ? "egress" : "ingress"]).forEach((rule, i) => {
                const peers = [
                    ...cidrPeers(rule.cidrBlocks),
                    ...list(rule.prefixListIds).map((id) => prefixListPeer(String(id))),
                    ...list(rule.securityGroups).map(groupPeer),
                    ...(rule.self === true ? [groupPeer(r.outputs.id)] : []),
                ];
                addRules(
                    groups.get(r),
                    r,
                    egress,
                    portsOf(rule.protocol, rule.fromPort, rule.toPort),
                    peers,
                    `${r.name} ${egress ? "egress" : "ingress"}[${i}]`,
                );
            });
    }
    for (const r of ofType(T.securityGroupRule)) {
        const egress = r.inputs.type === "egress";
        const peers = [
            ...cidrPeers(r.inputs.cidrBlocks),
            ...list(r.inputs.prefixListIds).map((id) => prefixListPeer(String(id))),
            ...(str(r.inputs.sourceSecurityGroupId) ? [groupPeer(r.inputs.sourceSecurityGroupId)] : []),
            ...(r.inputs.self === true ? [groupPeer(r.inputs.securityGroupId)] : []),
        ];
        addRules(groupOf(r.inputs.securityGroupId), r, egress, portsOf(r.inputs.protocol, r.inputs.fromPort, r.inputs.toPort), peers, r.name);
    }
    for (const r of ofType(T.ingressRule, T.egressRule)) {
        const i = r.inputs;
        const peers: Peer[] = [
            ...cidrPeers(i.cidrIpv4),
            ...(str(i.prefixListId) ? [prefixListPeer(String(i.prefixListId))] : []),
            ...(str(i.referencedSecurityGroupId) ? [groupPeer(i.referencedSecurityGroupId)] : []),
        ];
        addRules(groupOf(i.securityGroupId), r, r.type === T.egressRule, portsOf(i.ipProtocol, i.fromPort, i.toPort), peers, r.name);
    }
    // A network interface given no group gets the VPC's default one, which admits its own members and
    // sends anywhere unless the plan adopts it (VPC user guide, "Default security groups for your VPCs").
    const declaredDefault = ofType(T.defaultSecurityGroup)[0];
    const awsDefault: SecurityGroup = { label: "the VPC's default security group", rules: [] };
    awsDefault.rules.push(
        { egress: true, ports: ALL_PORTS, peer: { kind: "cidr", range: ALL_ADDRESSES }, from: "default egress" },
        { egress: false, ports: ALL_PORTS, peer: { kind: "group", group: awsDefault, reference: "default" }, from: "default ingress" },
    );
    const groupsOf = (references: unknown, owner: NetworkResource) => {
        const given = list(references);
        if (given.length === 0) return [declaredDefault ? groups.get(declaredDefault)! : awsDefault];
        return given.flatMap((ref) => {
            const group = groupOf(ref);
            if (!group) skip(owner, `names security group ${JSON.stringify(ref)}, which is not in the plan`);
            return group ? [group] : [];
        });
    };

    const nodes: Node[] = [];
    const node = (n: Node) => (nodes.push(n), n);

    // Internet and NAT gateways (VPC user guide, "Connect to the internet using an internet gateway"; "NAT gateways").
    const igwVpc = new Map<NetworkResource, Vpc | undefined>();
    for (const r of ofType(T.igw)) igwVpc.set(r, vpcOf(r.inputs.vpcId));
    for (const r of ofType(T.igwAttachment)) {
        const igw = resolve(r.inputs.internetGatewayId, T.igw);
        if (igw) igwVpc.set(igw, vpcOf(r.inputs.vpcId));
    }
    const nats = new Map<NetworkResource, Node>();
    for (const r of ofType(T.nat)) {
        const subnet = subnetOf(r.inputs.subnetId);
        if (!subnet) {
            skip(r, "NAT gateway whose subnet is not in the plan");
            continue;
        }
        const isPublic = r.inputs.connectivityType !== "private";
        if (!isPublic) skip(r, "private NAT gateway: the model routes through public NAT gateways only");
        // A NAT gateway has no security group (VPC user guide, "NAT gateways": "you cannot associate a security group with a NAT gateway").
        nats.set(r, node({ kind: "nat gateway", label: r.name, res: r, subnets: [subnet], groups: [], publicIp: isPublic, ephemeral: AWS_EPHEMERAL }));
    }
    for (const r of ofType(T.eip))
        if (r.inputs.instance !== undefined || r.inputs.networkInterface !== undefined) skip(r, "Elastic IP on an instance or interface");

    // Route tables (VPC user guide, "Configure route tables"): explicit association, else the VPC's main table.
    const gatewayEndpoints: Network["gatewayEndpoints"] = [];
    const tables = new Map<NetworkResource, RouteTable>();
    const targetOf = (route: Record<string, unknown>): RouteTarget => {
        if (route.gatewayId === "local" || route.localGatewayId === "local") return { kind: "local" };
        const gateway = resolve(route.gatewayId, T.igw);
        if (gateway) return { kind: "igw", res: gateway, attachedTo: igwVpc.get(gateway) };
        const nat = resolve(route.natGatewayId, T.nat);
        if (nat && nats.has(nat)) return { kind: "nat", nat: nats.get(nat)! };
        const endpoint = resolve(route.vpcEndpointId, T.endpoint);
        if (endpoint && endpoint.inputs.vpcEndpointType === "Gateway") return { kind: "gateway-endpoint", res: endpoint };
        const key = Object.keys(route).find((k) => /Id$|Arn$/.test(k) && route[k] !== undefined && route[k] !== null && route[k] !== "");
        return { kind: "other", what: key ? `${key} ${JSON.stringify(route[key])}` : "no target" };
    };
    const addRoute = (table: RouteTable, route: Record<string, unknown>, owner: NetworkResource, from: string) => {
        const prefixList = str(route.destinationPrefixListId);
        const range = cidrRange(String(route.cidrBlock ?? route.destinationCidrBlock ?? ""));
        if (!range && !prefixList) {
            if (str(route.ipv6CidrBlock) || str(route.destinationIpv6CidrBlock)) return; // IPv6 routes carry no IPv4 flow
            return skip(owner, `route without an IPv4 destination the model reads (${from})`);
        }
        const target = targetOf(route);
        if (target.kind === "other") skip(owner, `route to ${target.what}: a target the model does not follow`);
        table.routes.push({ destination: range ?? { prefixList: prefixList! }, target, from });
    };
    for (const r of ofType(T.routeTable, T.defaultRouteTable)) {
        const table: RouteTable = { label: r.name, routes: [] };
        tables.set(r, table);
        records(r.inputs.routes).forEach((route, i) => addRoute(table, route, r, `${r.name} routes[${i}]`));
    }
    for (const r of ofType(T.route)) {
        const table = tables.get(resolve(r.inputs.routeTableId, T.routeTable, T.defaultRouteTable)!);
        if (table) addRoute(table, r.inputs, r, r.name);
        else skip(r, "route in a table the plan does not hold");
    }
    const subnetTable = new Map<Subnet, RouteTable>();
    for (const r of ofType(T.routeTableAssociation)) {
        if (r.inputs.gatewayId !== undefined) skip(r, "edge association of a route table with a gateway");
        const subnet = subnetOf(r.inputs.subnetId);
        const table = tables.get(resolve(r.inputs.routeTableId, T.routeTable, T.defaultRouteTable)!);
        if (subnet && table) subnetTable.set(subnet, table);
    }
    const mainTables = new Map<Vpc, RouteTable>();
    for (const r of ofType(T.mainRouteTableAssociation)) {
        const vpc = vpcOf(r.inputs.vpcId);
        const table = tables.get(resolve(r.inputs.routeTableId, T.routeTable, T.defaultRouteTable)!);
        if (vpc && table) mainTables.set(vpc, table);
    }
    // A DefaultRouteTable adopts the main table; it names it by the VPC's defaultRouteTableId, which a plan does not resolve.
    for (const r of ofType(T.defaultRouteTable)) {
        const vpc =
            [...vpcs.values()].find((v) => v.res.outputs.defaultRouteTableId === r.inputs.defaultRouteTableId) ??
            (vpcs.size === 1 ? [...vpcs.values()][0] : undefined);
        if (vpc) mainTables.set(vpc, tables.get(r)!);
    }
    // The main table AWS creates holds the local route only (VPC user guide, "Main route table").
    const awsMain: RouteTable = { label: "the VPC's main route table (local route only)", routes: [] };

    // Gateway endpoints add a route to the service's prefix list in each table they name (PrivateLink guide, "Gateway endpoints", Routing).
    const endpoints: Network["endpoints"] = [];
    const endpointTables = new Map<NetworkResource, unknown[]>();
    for (const r of ofType(T.endpointRouteTable)) {
        const endpoint = resolve(r.inputs.vpcEndpointId, T.endpoint);
        if (endpoint) endpointTables.set(endpoint, [...(endpointTables.get(endpoint) ?? []), r.inputs.routeTableId]);
    }
    const endpointExtra = (type: string, key: string) => {
        const extra = new Map<NetworkResource, unknown[]>();
        for (const r of ofType(type)) {
            const endpoint = resolve(r.inputs.vpcEndpointId, T.endpoint);
            if (endpoint) extra.set(endpoint, [...(extra.get(endpoint) ?? []), r.inputs[key]]);
        }
        return extra;
    };
    const endpointSubnets = endpointExtra(T.endpointSubnet, "subnetId");
    const endpointGroups = endpointExtra(T.endpointSecurityGroup, "securityGroupId");
    for (const r of ofType(T.endpoint)) {
        const kind = String(r.inputs.vpcEndpointType ?? "Gateway");
        const service = String(r.inputs.serviceName ?? "");
        if (kind === "Gateway") {
            const prefixList = str(r.outputs.prefixListId) ?? `prefix list of ${service}`;
            gatewayEndpoints.push({ res: r, service, prefixList });
            for (const ref of [...list(r.inputs.routeTableIds), ...(endpointTables.get(r) ?? [])]) {
                const table = tables.get(resolve(ref, T.routeTable, T.defaultRouteTable)!);
                if (table)
                    table.routes.push({ destination: { prefixList }, target: { kind: "gateway-endpoint", res: r }, from: `${r.name} (gateway endpoint)` });
                else skip(r, `gateway endpoint on route table ${JSON.stringify(ref)}, which is not in the plan`);
            }
        } else if (kind === "Interface") {
            const endpointNode = node({
                kind: "interface endpoint",
                label: r.name,
                res: r,
                subnets: subnetsOf([...list(r.inputs.subnetIds), ...(endpointSubnets.get(r) ?? [])], r),
                groups: groupsOf([...list(r.inputs.securityGroupIds), ...(endpointGroups.get(r) ?? [])], r),
                publicIp: false,
                ephemeral: AWS_EPHEMERAL,
            });
            endpoints.push({ node: endpointNode, service, privateDns: r.inputs.privateDnsEnabled === true });
        } else skip(r, `VPC endpoint of type ${kind}: the model knows gateway and interface endpoints`);
    }

    // Network ACLs (VPC user guide, "Control subnet traffic with network access control lists"):
    // rules in rule-number order, the first match decides, then the implicit deny. A subnet without an
    // association has the VPC's default ACL, which allows all traffic unless the plan adopts it.
    const acls = new Map<NetworkResource, Acl>();
    const aclRule = (rule: Record<string, unknown>, egress: boolean, from: string, number: unknown, action: unknown): AclRule => {
        const ports = portsOf(rule.protocol, rule.fromPort, rule.toPort);
        const range = cidrRange(String(rule.cidrBlock ?? ""));
        return {
            number: num(number) ?? 0,
            egress,
            allow: String(action).toLowerCase() === "allow",
            box: ports && range ? { addresses: range, ports } : undefined,
            from,
        };
    };
    for (const r of ofType(T.acl, T.defaultAcl)) {
        const rules = [false, true].flatMap((egress) =>
            records(r.inputs[egress ? "egress" : "ingress"]).map((rule, i) =>
                aclRule(rule, egress, `${r.name} ${egress ? "egress" : "ingress"}[${i}]`, rule.ruleNo, rule.action),
            ),
        );
        acls.set(r, { label: r.name, rules });
    }
    for (const r of ofType(T.aclRule)) {
        const acl = acls.get(resolve(r.inputs.networkAclId, T.acl, T.defaultAcl)!);
        if (acl) acl.rules.push(aclRule(r.inputs, r.inputs.egress === true, r.name, r.inputs.ruleNumber, r.inputs.ruleAction));
        else skip(r, "rule of a network ACL the plan does not hold");
    }
    for (const acl of acls.values()) acl.rules.sort((a, b) => a.number - b.number);
    const subnetAcl = new Map<Subnet, Acl>();
    for (const r of ofType(T.acl, T.defaultAcl)) for (const s of subnetsOf(r.inputs.subnetIds, r)) subnetAcl.set(s, acls.get(r)!);
    for (const r of ofType(T.aclAssociation)) {
        const subnet = subnetOf(r.inputs.subnetId);
        const acl = acls.get(resolve(r.inputs.networkAclId, T.acl, T.defaultAcl)!);
        if (subnet && acl) subnetAcl.set(subnet, acl);
    }
    const declaredDefaultAcl = ofType(T.defaultAcl)[0];
    const allowAll = (egress: boolean): AclRule => ({
        number: 100,
        egress,
        allow: true,
        box: { addresses: ALL_ADDRESSES, ports: ALL_PORTS },
        from: "default ACL rule 100",
    });
    const awsDefaultAcl: Acl = { label: "the VPC's default network ACL (allows all)", rules: [allowAll(false), allowAll(true)] };

    // What runs in the network: ECS tasks are placed by a service or by a run-task command; the rest by their own resource.
    for (const r of ofType(T.loadBalancer, T.albLoadBalancer)) {
        if ((r.inputs.loadBalancerType ?? "application") !== "application") {
            skip(r, `load balancer of type ${String(r.inputs.loadBalancerType)}: the model knows application load balancers`);
            continue;
        }
        const subnetRefs = [...list(r.inputs.subnets), ...records(r.inputs.subnetMappings).map((m) => m.subnetId)];
        // An internet-facing ALB's nodes have public addresses (ELB user guide, "Application Load Balancers", Load balancer scheme).
        node({
            kind: "load balancer",
            label: r.name,
            res: r,
            subnets: subnetsOf(subnetRefs, r),
            groups: groupsOf(r.inputs.securityGroups, r),
            publicIp: r.inputs.internal !== true,
            ephemeral: AWS_EPHEMERAL,
        });
    }
    const subnetGroupSubnets = (type: string, name: unknown, owner: NetworkResource) => {
        const group = ofType(type).find((g) => g.outputs.name === name || g.inputs.name === name || g.outputs.id === name);
        if (!group) {
            skip(owner, `subnet group ${JSON.stringify(name)} is not in the plan`);
            return [];
        }
        return subnetsOf(group.inputs.subnetIds, group);
    };
    for (const r of ofType(T.rds)) {
        // Ports by engine when none is set (RDS user guide, "DB instance port": PostgreSQL 5432, MySQL/MariaDB 3306...).
        const engine = String(r.inputs.engine ?? "");
        const port = num(r.inputs.port) ?? (/postgres/.test(engine) ? 5432 : /oracle/.test(engine) ? 1521 : /sqlserver/.test(engine) ? 1433 : 3306);
        node({
            kind: "rds",
            label: r.name,
            res: r,
            subnets: subnetGroupSubnets(T.rdsSubnetGroup, r.inputs.dbSubnetGroupName, r),
            groups: groupsOf(r.inputs.vpcSecurityGroupIds, r),
            publicIp: r.inputs.publiclyAccessible === true,
            ephemeral: AWS_EPHEMERAL,
            port,
        });
    }
    for (const r of ofType(T.redis)) {
        // ElastiCache nodes have no public address (ElastiCache user guide, "Accessing your cache": from inside the VPC only).
        node({
            kind: "redis",
            label: r.name,
            res: r,
            subnets: subnetGroupSubnets(T.cacheSubnetGroup, r.inputs.subnetGroupName, r),
            groups: groupsOf(r.inputs.securityGroupIds, r),
            publicIp: false,
            ephemeral: AWS_EPHEMERAL,
            port: num(r.inputs.port) ?? 6379,
        });
    }

    // ECS tasks in awsvpc mode get their own interface in the subnets and groups their service or
    // RunTask call names (ECS developer guide, "Amazon ECS task networking options for Fargate"); a task
    // gets a public address only when assignPublicIp is ENABLED, and RunTask's default is DISABLED
    // (ECS API reference, AwsVpcConfiguration).
    const tasks: Task[] = [];
    const definitions = ofType(T.taskDefinition);
    const placed = new Set<NetworkResource>();
    const placeTask = (via: NetworkResource, definitionRef: unknown, subnetRefs: unknown[], groupRefs: unknown[], publicIp: boolean) => {
        // An on-demand placement is declared by the task definition itself.
        const definition = via.type === T.taskDefinition ? via : resolve(definitionRef, T.taskDefinition);
        if (!definition) return skip(via, `runs task definition ${JSON.stringify(definitionRef)}, which is not in the plan`);
        if ((definition.inputs.networkMode ?? "bridge") !== "awsvpc")
            return skip(definition, `task network mode ${String(definition.inputs.networkMode ?? "bridge")}: the model knows awsvpc`);
        placed.add(definition);
        const taskNode = node({
            kind: "task",
            label:
                via.type === T.service
                    ? `${definition.name} (service ${via.name})`
                    : via === definition
                      ? `${definition.name} (on-demand task)`
                      : `${definition.name} (one-off task run by ${via.name})`,
            res: definition,
            subnets: subnetsOf(subnetRefs, via),
            groups: groupsOf(groupRefs, via),
            publicIp,
            ephemeral: LINUX_EPHEMERAL,
        });
        tasks.push({ node: taskNode, definition, via });
    };
    for (const r of ofType(T.service)) {
        const config = isRecord(r.inputs.networkConfiguration) ? r.inputs.networkConfiguration : undefined;
        if (!config) {
            skip(r, "ECS service without an awsvpc network configuration");
            continue;
        }
        placeTask(r, r.inputs.taskDefinition, list(config.subnets), list(config.securityGroups), config.assignPublicIp === true);
    }
    // A command that calls `aws ecs run-task` places its task by the values its environment hands the
    // call: a task definition ARN, subnet ids and security group ids of the plan (components/aws/migration.ts).
    for (const r of ofType(T.command)) {
        const script = [r.inputs.create, r.inputs.update].filter((s) => typeof s === "string").join("\n");
        if (!/\becs run-task\b/.test(script)) continue;
        const values = Object.values(isRecord(r.inputs.environment) ? r.inputs.environment : {}).flatMap((v) => (typeof v === "string" ? v.split(",") : []));
        const definitionRef = values.find((v) => resolve(v, T.taskDefinition) !== undefined);
        const subnetRefs = values.filter((v) => subnetOf(v) !== undefined);
        const groupRefs = values.filter((v) => groupOf(v) !== undefined);
        if (!definitionRef || subnetRefs.length === 0 || groupRefs.length === 0) {
            skip(r, "runs an ECS task whose task definition, subnets or security groups its environment does not name");
            continue;
        }
        placeTask(r, definitionRef, subnetRefs, groupRefs, /assignPublicIp=ENABLED/.test(script));
    }
    // A task definition the deployment never runs but an operator does declares where it runs in its
    // tags (lib/on-demand-placement.ts); RunTask's default public address is DISABLED, as the runbooks keep it.
    for (const d of definitions) {
        const subnetRefs = placementIds(d.inputs.tags, RUN_SUBNETS_TAG);
        const groupRefs = placementIds(d.inputs.tags, RUN_SECURITY_GROUPS_TAG);
        if (subnetRefs.length > 0 && groupRefs.length > 0) placeTask(d, undefined, subnetRefs, groupRefs, false);
        else if (subnetRefs.length > 0 || groupRefs.length > 0)
            skip(d, `declares an on-demand placement without both its subnets (${RUN_SUBNETS_TAG}) and its security groups (${RUN_SECURITY_GROUPS_TAG})`);
    }
    for (const d of definitions)
        if (!placed.has(d))
            skip(
                d,
                `task definition that no ECS service or run-task command of the plan runs, and that declares no on-demand placement (${RUN_SUBNETS_TAG}, ${RUN_SECURITY_GROUPS_TAG}): where its tasks run is unknown`,
            );

    // Anything else that names the VPC, a subnet or a security group could carry traffic the model cannot see.
    const networkIds = new Set(
        [...vpcs.keys(), ...subnets.keys(), ...groups.keys(), ...tables.keys(), ...acls.keys()].map((r) => str(r.outputs.id)).filter((id) => id !== undefined),
    );
    const namesNetwork = (value: unknown): boolean =>
        typeof value === "string"
            ? networkIds.has(value)
            : Array.isArray(value)
              ? value.some(namesNetwork)
              : isRecord(value) && Object.values(value).some(namesNetwork);
    for (const r of resources) {
        if (MODELLED.has(r.type) || !r.type.startsWith("aws:")) continue;
        if (r.type.startsWith("aws:ec2/") || r.type.startsWith("aws:ec2transitgateway/") || r.type.startsWith("aws:networkfirewall/") || namesNetwork(r.inputs))
            skip(r, `${r.type} is attached to the network, and the model does not know what traffic it carries`);
    }

    return {
        resources,
        vpcs: [...vpcs.values()],
        subnets: [...subnets.values()],
        routeTableOf: (subnet) => subnetTable.get(subnet) ?? mainTables.get(subnet.vpc) ?? awsMain,
        aclOf: (subnet) => subnetAcl.get(subnet) ?? (declaredDefaultAcl ? acls.get(declaredDefaultAcl)! : awsDefaultAcl),
        nodes,
        endpoints,
        gatewayEndpoints,
        tasks,
        notModelled,
        resolve,
        ofType,
    };
}
