// The reachability analysis of a plan, the offline counterpart of VPC Reachability Analyzer (a needed
// flow's path) and Network Access Analyzer (proof that no path exists for a forbidden one): every
// flow each task needs, every flow that must stay closed, and what the model could not read.
// Used by `npm run reachability`, the tests and the pipeline's review job.
//
// A forbidden flow is judged per layer too. No path is not enough: the destination's own security
// groups must refuse it, so that one changed route, public address or subnet group cannot open it.
// A forbidden flow they admit is a finding even while routing or addressing blocks it, naming the
// groups' rules that admit it and what alone still blocks it. Why that layer: it is on every network
// interface and is the control AWS's checks judge (Security Hub FSBP EC2.18, unrestricted incoming
// traffic only on authorized ports; EC2.19, no unrestricted access to high-risk ports; RDS.2); the
// Well-Architected security pillar (SEC05-BP01, "Create network layers") puts a control at each layer
// boundary and says the database must not be reachable from the load balancer; network ACLs are the
// optional subnet layer (VPC user guide, "Control subnet traffic with network access control lists"),
// and the default one admits everything, so they are reported beside the groups but not required.
import { evaluate, type Hop } from "./evaluate";
import { deriveFlows, type Flow, type Place } from "./flows";
import { buildNetwork, type NetworkResource, type NodeKind } from "./model";
import { portText } from "./space";
import { mocks } from "../mocks";
import type { Plan } from "../plan-engine";

export type { NetworkResource } from "./model";

export interface FlowResult {
    readonly kind: "needed" | "forbidden";
    readonly from: string;
    readonly to: string;
    /** What the ends are: a task, the load balancer, a data store, an interface endpoint, or the internet. */
    readonly fromKind: NodeKind | "internet";
    readonly toKind: NodeKind | "internet";
    readonly ports: string;
    readonly why: string;
    readonly reachable: boolean;
    /** Needed and reachable, or forbidden, unreachable and refused by its destination's security groups. */
    readonly ok: boolean;
    readonly placements: number;
    readonly passing: number;
    /** Forbidden flows: placements where the destination's security groups admit it, whatever routing, addressing and ACLs do. */
    readonly admitting: number;
    /** A forbidden flow its destination's groups admit: the groups (with their rules) and ACLs that admit it in the placement shown. */
    readonly admittedBy: string[];
    /** Such a flow, unreachable: the hops that alone keep it closed there (an address, a route, an ACL, the source's egress). */
    readonly blockedOnlyBy: string[];
    /** The placement the path shows (e.g. "backend in network-private-0 (us-east-1a) → database-postgres in network-isolated-1 (us-east-1b)"). */
    readonly placement: string;
    readonly path: readonly Hop[];
}

export interface ReachabilityReport {
    readonly flows: FlowResult[];
    readonly notModelled: { readonly urn: string; readonly reason: string }[];
    readonly notes: string[];
    readonly summary: {
        readonly needed: number;
        readonly unreachable: number;
        readonly forbidden: number;
        readonly reachableForbidden: number;
        /** Forbidden flows that are unreachable but that a security group of their destination admits. */
        readonly admittedForbidden: number;
        readonly notModelled: number;
    };
    /** 0 when every needed flow is reachable, no forbidden one is reachable or admitted by its destination's groups, and everything that carries traffic is modelled; else 1. */
    readonly verdict: 0 | 1;
}

/** A plan with no AWS resources at all (dev runs on Docker): nothing to analyse. */
export class NoAwsResourcesError extends Error {
    constructor(what: string) {
        super(`${what} holds no AWS resources, so there is no network to analyse (the dev stack runs on Docker)`);
        this.name = "NoAwsResourcesError";
    }
}

/** A plan's custom resources with the outputs the program saw (lib/mocks.ts) and their dependencies. */
export async function planResources(plan: Plan): Promise<NetworkResource[]> {
    return Promise.all(
        plan.resources.map(async (r) => {
            const dependencies = [...r.dependencies, ...r.options.dependsOn];
            // Only AWS outputs name the network; a docker image's mock would hash its build context for nothing.
            if (!r.type.startsWith("aws:")) return { ...r, outputs: r.inputs, dependencies };
            const { id, state } = await mocks.newResource({ type: r.type, name: r.name, inputs: r.inputs, custom: true });
            return { ...r, outputs: { ...state, id }, dependencies };
        }),
    );
}

const placeText = (place: Place) => (place.kind === "node" ? `${place.node.label}` : place.host);

export function analyse(resources: readonly NetworkResource[], what = "the plan"): ReachabilityReport {
    if (!resources.some((r) => r.type.startsWith("aws:"))) throw new NoAwsResourcesError(what);
    const network = buildNetwork(resources);
    const { flows, notes } = deriveFlows(network);
    const results = flows.map((flow: Flow): FlowResult => {
        const evaluation = evaluate(network, flow);
        const shown = evaluation.shown;
        const path = shown?.hops ?? [];
        // Defence in depth: a forbidden flow must be refused by its destination's own security groups,
        // not only by the route or the address that happens to block it today (see the file's head).
        const admitted = flow.kind === "forbidden" && evaluation.admitting > 0;
        return {
            kind: flow.kind,
            from: placeText(flow.from),
            to: placeText(flow.to),
            fromKind: flow.from.kind === "node" ? flow.from.node.kind : "internet",
            toKind: flow.to.kind === "node" ? flow.to.node.kind : "internet",
            ports: `tcp/${portText(flow.ports)}`,
            why: flow.why,
            reachable: evaluation.reachable,
            ok: flow.kind === "needed" ? evaluation.reachable : !evaluation.reachable && !admitted,
            placements: evaluation.placements,
            passing: evaluation.passing,
            admitting: flow.kind === "forbidden" ? evaluation.admitting : 0,
            // The groups first, then the ACLs, each once (a reply passes the same ACLs as its request).
            admittedBy: admitted
                ? [...new Set([...path.filter((h) => h.guard), ...path.filter((h) => !h.guard)].filter((h) => h.ok && h.by).map((h) => `${h.layer} ${h.by}`))]
                : [],
            blockedOnlyBy: admitted ? path.filter((h) => !h.ok).map((h) => h.text) : [],
            placement: shown ? `${shown.from} → ${shown.to}` : "no placement: the source or destination is in no subnet",
            path,
        };
    });
    const needed = results.filter((r) => r.kind === "needed");
    const forbidden = results.filter((r) => r.kind === "forbidden");
    const summary = {
        needed: needed.length,
        unreachable: needed.filter((r) => !r.ok).length,
        forbidden: forbidden.length,
        reachableForbidden: forbidden.filter((r) => r.reachable).length,
        admittedForbidden: forbidden.filter((r) => !r.reachable && r.admitting > 0).length,
        notModelled: network.notModelled.length,
    };
    const verdict = summary.unreachable === 0 && summary.reachableForbidden === 0 && summary.admittedForbidden === 0 && summary.notModelled === 0 ? 0 : 1;
    return { flows: results, notModelled: network.notModelled, notes, summary, verdict };
}
