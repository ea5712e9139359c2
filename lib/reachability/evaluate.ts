// A packet's way from one network interface to another, hop by hop, as VPC Reachability Analyzer
// walks it (Reachability Analyzer guide, "How Reachability Analyzer works"): the source's security
// groups, its subnet's network ACL and route table, the gateways on the way, the destination's ACL and
// security groups, and the replies through the ACLs again. Security groups are stateful, so replies
// pass them; network ACLs are stateless, so replies to the client's ephemeral port must be allowed
// both ways (VPC user guide, "Control traffic to your AWS resources using security groups"; "Control
// subnet traffic with network access control lists").
//
// A needed flow must pass in every placement (each source subnet to each destination subnet, every
// address of each, the whole ephemeral range); a forbidden flow is reachable if any one placement,
// address and port passes. So "reachable" for a needed flow and "unreachable" for a forbidden one are
// both proofs, never a guess.
//
// Each hop also names its layer, so a forbidden flow is judged per layer as well (defence in depth):
// the destination's own security groups must refuse it, whatever routing and addressing do today.
import type { Flow, Place } from "./flows";
import { type Acl, type Network, type Node, type Peer, type Route, type RouteTable, type SecurityGroup, type Subnet, AWS_EPHEMERAL } from "./model";
import { addressText, boxes, type Box, contains, INTERNET, overlaps, portText, type Range, uncovered } from "./space";

type Mode = "all" | "any";

/** What decides a hop: the filters (security groups, network ACLs), or the way (routes and gateways, addresses). */
export type Layer = "security group" | "network ACL" | "routing" | "addressing";

export interface Hop {
    readonly ok: boolean;
    readonly text: string;
    readonly layer: Layer;
    /** A filter that admits the flow: the groups with the rules that match (e.g. "network-database (database-from-anywhere)"), or the ACL. */
    readonly by?: string;
    /** The destination's own security groups: the layer that must refuse a forbidden flow. */
    readonly guard?: boolean;
}

export interface Placement {
    readonly from: string;
    readonly to: string;
    readonly hops: Hop[];
    readonly ok: boolean;
    /** The destination's security groups admit the flow here, whatever the other hops do. */
    readonly admitted: boolean;
}

/** The addresses and groups a rule is matched against. */
interface Target {
    readonly label: string;
    readonly addresses: readonly Range[];
    readonly groups: readonly SecurityGroup[];
    readonly prefixList?: string;
}

const rangesText = (ranges: readonly Range[]) => (ranges === INTERNET ? "the internet" : ranges.map(addressText).join(", "));

function ruleBoxes(peer: Peer, ports: Range, target: Target): Box[] {
    switch (peer.kind) {
        case "cidr":
            return boxes([peer.range], ports);
        case "group":
            // A group reference matches the interfaces that hold the group (VPC user guide, "Security group rules": source or destination a security group).
            return peer.group && target.groups.includes(peer.group) ? boxes(target.addresses, ports) : [];
        case "prefix-list":
            if (peer.id === target.prefixList) return boxes(target.addresses, ports);
            return boxes(peer.ranges ?? [], ports);
    }
}

function securityGroups(groups: readonly SecurityGroup[], egress: boolean, target: Target, ports: Range, mode: Mode, guard = false): Hop {
    const names = groups.map((g) => g.label).join(", ") || "(none)";
    const space = boxes(target.addresses, ports);
    const matching = groups.flatMap((g) =>
        g.rules.filter((r) => r.egress === egress && r.ports).map((r) => ({ group: g, rule: r, boxes: ruleBoxes(r.peer, r.ports!, target) })),
    );
    const used = matching.filter((m) => overlaps(space, m.boxes));
    const ok =
        mode === "all"
            ? uncovered(
                  space,
                  matching.flatMap((m) => m.boxes),
              ).length === 0
            : used.length > 0;
    const way = egress ? `to ${target.label}` : `from ${target.label}`;
    const what = `${egress ? "egress" : "ingress"} of ${names}`;
    const layer = { layer: "security group" as const, ...(guard ? { guard } : {}) };
    if (ok) {
        const by = [...new Set(used.map((m) => m.group))].map(
            (g) =>
                `${g.label} (${used
                    .filter((m) => m.group === g)
                    .map((m) => m.rule.from)
                    .join(", ")})`,
        );
        return {
            ok,
            ...layer,
            by: by.join(", "),
            text: `security groups: ${what} admits tcp/${portText(ports)} ${way} (${used.map((m) => m.rule.from).join(", ")})`,
        };
    }
    return {
        ok,
        ...layer,
        text: `security groups: no ${what} ${mode === "all" && used.length > 0 ? "fully " : ""}admits tcp/${portText(ports)} ${way}${used.length > 0 ? ` (only part: ${used.map((m) => m.rule.from).join(", ")})` : ""}`,
    };
}

function networkAcl(acl: Acl, subnet: Subnet, egress: boolean, peer: readonly Range[], ports: Range, mode: Mode, why: string): Hop {
    let undecided = boxes(peer, ports);
    let allowed = false;
    let denied = false;
    const decided: string[] = [];
    for (const rule of acl.rules) {
        if (rule.egress !== egress || !rule.box || !overlaps(undecided, [rule.box])) continue;
        decided.push(`${rule.allow ? "allow" : "deny"} ${rule.number}`);
        if (rule.allow) allowed = true;
        else denied = true;
        undecided = uncovered(undecided, [rule.box]);
    }
    // What no rule matches meets the final "*" deny.
    if (undecided.length > 0) {
        denied = true;
        decided.push("deny *");
    }
    const ok = mode === "all" ? !denied : allowed;
    const direction = egress ? `out to ${rangesText(peer)}` : `in from ${rangesText(peer)}`;
    return {
        ok,
        layer: "network ACL",
        ...(ok ? { by: `${acl.label} of ${subnet.res.name} (${decided.join(", ")})` } : {}),
        text: `network ACL ${acl.label} of ${subnet.res.name}: ${why} tcp/${portText(ports)} ${direction}: ${ok ? "allowed" : "denied"} (${decided.join(", ")})`,
    };
}

/** The route a table takes to `destination` (VPC user guide, "How route priority works": the longest prefix; a gateway endpoint's prefix list for its service). */
function lookup(table: RouteTable, subnet: Subnet, destination: readonly Range[], prefixList: string | undefined): Route | undefined {
    if (prefixList) {
        const viaList = table.routes.find((r) => "prefixList" in r.destination && r.destination.prefixList === prefixList);
        if (viaList) return viaList;
    }
    // Every table holds a local route for each of the VPC's CIDR blocks (VPC user guide, "Route tables", local route).
    const local: Route[] = subnet.vpc.cidrs.map((range) => ({ destination: range, target: { kind: "local" }, from: `local ${addressText(range)}` }));
    const candidates = [...table.routes, ...local].filter((r): r is Route & { destination: Range } => !("prefixList" in r.destination));
    const covering = candidates.filter((r) => destination.every((d) => contains(r.destination, d)));
    return covering.sort((a, b) => a.destination.hi - a.destination.lo - (b.destination.hi - b.destination.lo))[0];
}

function routeText(table: RouteTable, subnet: Subnet, route: Route | undefined, destination: string): string {
    if (!route) return `route table ${table.label} of ${subnet.res.name}: no route to ${destination}`;
    const where = "prefixList" in route.destination ? route.destination.prefixList : addressText(route.destination);
    const target =
        route.target.kind === "local"
            ? "local"
            : route.target.kind === "igw" || route.target.kind === "gateway-endpoint"
              ? route.target.res.name
              : route.target.kind === "nat"
                ? route.target.nat.label
                : route.target.what;
    return `route table ${table.label} of ${subnet.res.name}: ${where} → ${target}`;
}

const subnetText = (s: Subnet) => `${s.res.name} (${s.zone})`;

/** Every hop of one placement: all of them, not only up to the first that blocks, so a report names every cause at once. */
function placement(
    network: Network,
    flow: Flow,
    from: Node | undefined,
    fromSubnet: Subnet | undefined,
    to: Place,
    toSubnet: Subnet | undefined,
    mode: Mode,
): Placement {
    const hops: Hop[] = [];
    const ports = flow.ports;
    if (from && fromSubnet && to.kind === "node" && toSubnet) {
        // Inside the VPC.
        const source: Target = { label: `${from.label} (${addressText(fromSubnet.cidr)})`, addresses: [fromSubnet.cidr], groups: from.groups };
        const dest: Target = { label: `${to.node.label} (${addressText(toSubnet.cidr)})`, addresses: [toSubnet.cidr], groups: to.node.groups };
        if (from.kind !== "nat gateway") hops.push(securityGroups(from.groups, true, dest, ports, mode));
        if (fromSubnet.vpc !== toSubnet.vpc)
            hops.push({
                ok: false,
                layer: "routing",
                text: `${fromSubnet.res.name} and ${toSubnet.res.name} are in different VPCs, and the model follows no peering`,
            });
        const table = network.routeTableOf(fromSubnet);
        const route = lookup(table, fromSubnet, [toSubnet.cidr], undefined);
        hops.push({ ok: route?.target.kind === "local", layer: "routing", text: routeText(table, fromSubnet, route, addressText(toSubnet.cidr)) });
        // Network ACLs filter traffic entering and leaving a subnet, not within it.
        const crossing = fromSubnet !== toSubnet;
        if (crossing) {
            hops.push(networkAcl(network.aclOf(fromSubnet), fromSubnet, true, [toSubnet.cidr], ports, mode, "request"));
            hops.push(networkAcl(network.aclOf(toSubnet), toSubnet, false, [fromSubnet.cidr], ports, mode, "request"));
        }
        hops.push(securityGroups(to.node.groups, false, source, ports, mode, true));
        if (crossing) {
            hops.push(networkAcl(network.aclOf(toSubnet), toSubnet, true, [fromSubnet.cidr], from.ephemeral, mode, "reply"));
            hops.push(networkAcl(network.aclOf(fromSubnet), fromSubnet, false, [toSubnet.cidr], from.ephemeral, mode, "reply"));
        }
    } else if (from && fromSubnet && to.kind === "internet") {
        // Out of the VPC: to a host on the internet, or to a gateway endpoint's service.
        const dest: Target = { label: to.host, addresses: INTERNET, groups: [], prefixList: to.prefixList };
        hops.push(securityGroups(from.groups, true, dest, ports, mode));
        hops.push(networkAcl(network.aclOf(fromSubnet), fromSubnet, true, INTERNET, ports, mode, "request"));
        const table = network.routeTableOf(fromSubnet);
        const route = lookup(table, fromSubnet, INTERNET, to.prefixList);
        const target = route?.target;
        hops.push({
            ok: target !== undefined && target.kind !== "local" && target.kind !== "other",
            layer: "routing",
            text: routeText(table, fromSubnet, route, to.host),
        });
        hops.push(networkAcl(network.aclOf(fromSubnet), fromSubnet, false, INTERNET, from.ephemeral, mode, "reply"));
        if (target?.kind === "igw") {
            hops.push(attached(target.res.name, target.attachedTo === fromSubnet.vpc));
            // An internet gateway passes only traffic from a public address (VPC user guide, "Enable VPC internet access using internet gateways").
            hops.push({ ok: from.publicIp, layer: "addressing", text: `${from.label} ${from.publicIp ? "has" : "has no"} public IPv4 address` });
        } else if (target?.kind === "nat") {
            // Through a NAT gateway: into its subnet, out of it through its own route table to an internet gateway (VPC user guide, "NAT gateways").
            const nat = target.nat;
            const natSubnet = nat.subnets[0];
            if (natSubnet !== fromSubnet) {
                hops.push(networkAcl(network.aclOf(natSubnet), natSubnet, false, [fromSubnet.cidr], ports, mode, "request to the NAT gateway"));
                hops.push(networkAcl(network.aclOf(natSubnet), natSubnet, true, [fromSubnet.cidr], from.ephemeral, mode, "reply through the NAT gateway"));
            }
            hops.push(networkAcl(network.aclOf(natSubnet), natSubnet, true, INTERNET, ports, mode, "NAT gateway's request"));
            hops.push(networkAcl(network.aclOf(natSubnet), natSubnet, false, INTERNET, nat.ephemeral, mode, "reply to the NAT gateway"));
            const natTable = network.routeTableOf(natSubnet);
            const natRoute = lookup(natTable, natSubnet, INTERNET, to.prefixList);
            hops.push({
                ok: natRoute?.target.kind === "igw" && natRoute.target.attachedTo === natSubnet.vpc,
                layer: "routing",
                text: routeText(natTable, natSubnet, natRoute, to.host),
            });
            hops.push({
                ok: nat.publicIp,
                layer: "addressing",
                text: `NAT gateway ${nat.label} is ${nat.publicIp ? "public" : "private (no way to the internet)"}`,
            });
        }
    } else if (!from && to.kind === "node" && toSubnet) {
        // From the internet: a public address, a way back through an internet gateway, then the ACL and the groups.
        const source: Target = { label: "the internet", addresses: INTERNET, groups: [] };
        hops.push({ ok: to.node.publicIp, layer: "addressing", text: `${to.node.label} ${to.node.publicIp ? "has" : "has no"} public IPv4 address` });
        const table = network.routeTableOf(toSubnet);
        const route = lookup(table, toSubnet, INTERNET, undefined);
        hops.push({
            ok: route?.target.kind === "igw" && route.target.attachedTo === toSubnet.vpc,
            layer: "routing",
            text: `${routeText(table, toSubnet, route, "the internet")}${route?.target.kind === "igw" ? "" : " (no internet gateway, so no way in)"}`,
        });
        hops.push(networkAcl(network.aclOf(toSubnet), toSubnet, false, INTERNET, ports, mode, "request"));
        hops.push(securityGroups(to.node.groups, false, source, ports, mode, true));
        hops.push(networkAcl(network.aclOf(toSubnet), toSubnet, true, INTERNET, AWS_EPHEMERAL, mode, "reply"));
    }
    const fromText = from && fromSubnet ? `${from.label} in ${subnetText(fromSubnet)}` : "the internet";
    const toText = to.kind === "node" && toSubnet ? `${to.node.label} in ${subnetText(toSubnet)}` : to.kind === "internet" ? to.host : "?";
    return { from: fromText, to: toText, hops, ok: hops.length > 0 && hops.every((h) => h.ok), admitted: hops.some((h) => h.guard && h.ok) };
}

const attached = (name: string, ok: boolean): Hop => ({
    ok,
    layer: "routing",
    text: `internet gateway ${name} ${ok ? "is attached to the VPC" : "is not attached to this VPC"}`,
});

export interface Evaluation {
    readonly reachable: boolean;
    readonly placements: number;
    readonly passing: number;
    /** Placements where the destination's security groups admit the flow. */
    readonly admitting: number;
    /** The placement shown: the first that fails a needed flow, else for a forbidden one the first that passes, else the first its destination's groups admit; else the first. */
    readonly shown: Placement | undefined;
}

const endpoints = (place: Place): [Node | undefined, (Subnet | undefined)[]] =>
    place.kind === "node" ? [place.node, place.node.subnets] : [undefined, [undefined]];

export function evaluate(network: Network, flow: Flow): Evaluation {
    const mode: Mode = flow.kind === "needed" ? "all" : "any";
    const [from, fromSubnets] = endpoints(flow.from);
    const [, toSubnets] = endpoints(flow.to);
    const results: Placement[] = [];
    for (const fromSubnet of fromSubnets) for (const toSubnet of toSubnets) results.push(placement(network, flow, from, fromSubnet, flow.to, toSubnet, mode));
    const passing = results.filter((r) => r.ok).length;
    const reachable = mode === "all" ? results.length > 0 && passing === results.length : passing > 0;
    const admitting = results.filter((r) => r.admitted).length;
    const shown = (mode === "all" ? results.find((r) => !r.ok) : (results.find((r) => r.ok) ?? results.find((r) => r.admitted))) ?? results[0];
    return { reachable, placements: results.length, passing, admitting, shown };
}
