// npm run -s diagram -- --stack <s> [--write]
// A Mermaid flowchart of a stack, derived from its offline plan: services with their limits, data
// stores, networks, and who talks to whom. Prints it; --write updates the committed copies
// (docs/diagrams/<stack>.mmd and the block between `<!-- diagram:<stack> -->` markers in docs/architecture.md).
//
// Edges come from the plan alone:
// - Docker: a container that names another's service as `host:port` (config files, commands,
//   environment) or as a `*HOST` variable (with its `*PORT` sibling) calls it; named volumes are its
//   data stores; published ports come from the Internet; a second, routable network without
//   published ports is outbound access.
// - Any other platform: resources of the kinds in NODE_KINDS are nodes (inside the VPC when they
//   carry a security group); security-group ingress rules connect the nodes using the source group
//   to those using the target group, rules open to 0.0.0.0/0 connect the Internet; LINK_KINDS
//   (e.g. a backup selection) connect the two nodes they name.
import * as fs from "node:fs";
import * as path from "node:path";
import { modeTakesOnly, planFromArgs, planOptions, runTool, type ToolSpec } from "./cli";
import { generate, type GeneratedBlock, generatorOptions } from "./generated-page";
import type { Plan, PlanResource } from "../lib/plan-engine";
import { makeFolder } from "../lib/file-problems";
import { STACK_VALUE } from "../lib/stacks";
import { serviceOf, uploadSeedTarget, UPLOADS_VOLUME_LABEL } from "../components/docker/labels";

const CONTAINER = "docker:index/container:Container";
const NETWORK = "docker:index/network:Network";
const VOLUME = "docker:index/volume:Volume";
const INTERNET = "internet";

type Shape = "service" | "store" | "entry";

/** Finds the resource a reference (mock id `<name>-id`, or an ARN ending `:<name>` or `/<name>`) points at. */
type Lookup = (reference: unknown, type: string) => PlanResource | undefined;

function limits(memoryMb: unknown, cpus: unknown): string {
    return `${memoryMb} MiB · ${cpus} CPU`;
}

/** Resource kinds drawn as nodes on platforms other than Docker, with a one-line detail. */
export const NODE_KINDS: Readonly<
    Record<string, { readonly shape: Shape; readonly detail: (inputs: Record<string, unknown>, resources: readonly PlanResource[]) => string }>
> = {
    "aws:ecs/service:Service": {
        shape: "service",
        detail: (i, resources) => {
            // The task definition's ARN names its family and revision (`task-definition/<family>:<n>`).
            const task = resources.find(
                (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && String(i.taskDefinition).includes(`/${r.inputs.family}:`),
            )?.inputs;
            return `ECS Fargate · ${i.desiredCount} task(s)${task ? ` of ${limits(task.memory, Number(task.cpu) / 1024)}` : ""}`;
        },
    },
    "aws:lb/loadBalancer:LoadBalancer": { shape: "entry", detail: (i) => `${i.loadBalancerType ?? "application"} load balancer` },
    "aws:wafv2/webAcl:WebAcl": { shape: "entry", detail: () => "WAF web ACL" },
    "aws:rds/instance:Instance": { shape: "store", detail: (i) => `RDS ${i.engine} ${i.engineVersion} · ${i.instanceClass}${i.multiAz ? " · Multi-AZ" : ""}` },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        shape: "store",
        detail: (i) => `ElastiCache ${i.engine} ${i.engineVersion} · ${i.nodeType} × ${i.numCacheClusters ?? 1}`,
    },
    "aws:s3/bucket:Bucket": { shape: "store", detail: () => "S3 bucket" },
    "aws:backup/plan:Plan": { shape: "store", detail: () => "AWS Backup plan" },
};

/** Resources that only connect two nodes: the input naming each end, and the edge's label. */
const LINK_KINDS: Readonly<Record<string, { readonly from: string; readonly to: string; readonly label: string }>> = {
    "aws:backup/selection:Selection": { from: "planId", to: "resources", label: "backs up" },
    "aws:wafv2/webAclAssociation:WebAclAssociation": { from: "webAclArn", to: "resourceArn", label: "filters" },
};

interface Edge {
    readonly from: string;
    readonly to: string;
    readonly label: string;
    readonly dotted?: boolean;
}

interface Graph {
    /** Subgraph title → node lines; "" for top-level nodes. */
    readonly groups: Map<string, string[]>;
    readonly edges: Edge[];
}

function id(text: string): string {
    return text.replace(/[^A-Za-z0-9_]/g, "_");
}

function node(key: string, label: string, shape: Shape): string {
    const text = `"${label.replace(/"/g, "'")}"`;
    return shape === "store" ? `${id(key)}[(${text})]` : shape === "entry" ? `${id(key)}([${text}])` : `${id(key)}[${text}]`;
}

function addToGroup(graph: Graph, group: string, line: string): void {
    graph.groups.set(group, [...(graph.groups.get(group) ?? []), line]);
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface ContainerInputs {
    /** The service it runs (its label), the name others reach it by (its network alias). */
    service: string;
    memory?: number;
    cpus?: string;
    envs?: string[];
    command?: string[];
    entrypoints?: string[];
    uploads?: { content?: unknown }[];
    volumes?: { volumeName?: string; containerPath: string }[];
    networksAdvanced?: { name: string }[];
    ports?: { internal: number; external: number }[];
}

const labelsOf = (r: PlanResource) => (r.inputs.labels ?? []) as { label: string; value: string }[];

function dockerGraph(plan: Plan, graph: Graph): void {
    // An upload seed (created, never started) is drawn as part of the container it serves: its
    // uploads are that container's files, its volumes hold only them (components/docker/container.ts).
    const seeds = plan.resources.filter((r) => r.type === CONTAINER && uploadSeedTarget(r.inputs.labels) !== undefined);
    const uploadsFor = (name: unknown) =>
        seeds.filter((s) => uploadSeedTarget(s.inputs.labels) === name).flatMap((s) => (s.inputs as unknown as ContainerInputs).uploads ?? []);
    const containers = plan.resources
        .filter((r) => r.type === CONTAINER && !seeds.includes(r))
        .map((r) => ({ ...(r.inputs as unknown as Omit<ContainerInputs, "service">), service: String(serviceOf(r)), uploads: uploadsFor(r.inputs.name) }));
    const networks = new Map(plan.resources.filter((r) => r.type === NETWORK).map((r) => [String(r.inputs.name), r.inputs.internal === true]));
    const prefix = `${plan.project}-${plan.stack}-`;
    const shortName = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
    const services = containers.map((c) => c.service);
    const volumeNames = new Set(
        plan.resources.filter((r) => r.type === VOLUME && !labelsOf(r).some((l) => l.label === UPLOADS_VOLUME_LABEL)).map((r) => String(r.inputs.name)),
    );

    for (const c of containers) {
        const [first, ...others] = (c.networksAdvanced ?? []).map((n) => n.name);
        const group = first ? `${shortName(first)} network${networks.get(first) ? " (internal, no route out)" : ""}` : "";
        // Every container has both limits (hardenedContainer requires a size).
        addToGroup(graph, group, node(c.service, `${c.service}<br/>${limits(c.memory, c.cpus)}`, "service"));

        for (const other of others.filter((n) => networks.get(n) === false)) {
            if (c.ports?.length) {
                graph.edges.push({ from: INTERNET, to: c.service, label: c.ports.map((p) => `${p.external}→${p.internal}`).join(", ") });
            } else {
                graph.edges.push({ from: c.service, to: INTERNET, label: `network ${shortName(other)}`, dotted: true });
            }
        }
        for (const v of c.volumes ?? []) {
            if (!v.volumeName || !volumeNames.has(v.volumeName)) continue;
            addToGroup(graph, "", node(`volume_${v.volumeName}`, `volume ${v.volumeName}`, "store"));
            graph.edges.push({ from: c.service, to: `volume_${v.volumeName}`, label: v.containerPath, dotted: true });
        }

        const texts = [
            ...(c.command ?? []),
            ...(c.entrypoints ?? []),
            ...(c.envs ?? []),
            ...(c.uploads ?? []).map((u) => (typeof u.content === "string" ? u.content : "")),
        ];
        const env = new Map((c.envs ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
        for (const target of services.filter((s) => s !== c.service)) {
            const ports = new Set<string>();
            // A port, not a version tag (`.../backend:0.1.0` is an image reference).
            const hostPort = new RegExp(`(?<![\\w.-])${escapeRegExp(target)}:(\\d+)(?![\\d.])`, "g");
            for (const text of texts) for (const match of text.matchAll(hostPort)) ports.add(`:${match[1]}`);
            for (const [key, value] of env) {
                if (value === target && /HOST$/.test(key)) ports.add(env.has(key.replace(/HOST$/, "PORT")) ? `:${env.get(key.replace(/HOST$/, "PORT"))}` : key);
            }
            for (const port of ports) graph.edges.push({ from: c.service, to: target, label: port });
        }
    }
}

interface SecurityGroupRule {
    readonly group: string;
    readonly direction: "in" | "out";
    readonly peerGroup?: string;
    readonly cidr?: string;
    readonly port: string;
}

function securityGroupRules(plan: Plan): SecurityGroupRule[] {
    return plan.resources.flatMap((r) => {
        const i = r.inputs;
        const direction =
            r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
                ? "in"
                : r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
                  ? "out"
                  : undefined;
        if (!direction) return [];
        const port = i.fromPort === i.toPort ? `:${i.fromPort}` : `:${i.fromPort}-${i.toPort}`;
        return [
            {
                group: String(i.securityGroupId),
                direction,
                peerGroup: i.referencedSecurityGroupId as string | undefined,
                cidr: i.cidrIpv4 as string | undefined,
                port,
            },
        ];
    });
}

function cloudGraph(plan: Plan, graph: Graph): void {
    // The engine's mocks give every resource the id `<name>-id` and ARNs ending in `:<name>` (or `/<name>`).
    const lookup: Lookup = (reference, type) =>
        plan.resources.find(
            (r) =>
                r.type === type &&
                typeof reference === "string" &&
                (reference === `${r.name}-id` || reference.endsWith(`:${r.name}`) || reference.endsWith(`/${r.name}`)),
        );
    const nodes = plan.resources.filter((r) => NODE_KINDS[r.type]);
    const references = (n: PlanResource, value: string) => JSON.stringify(n.inputs).includes(`"${value}"`);
    const users = (groupId: string) => nodes.filter((n) => references(n, groupId)).map((n) => n.name);
    const vpc = plan.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
    const inVpc = new Set(plan.resources.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup").flatMap((g) => users(`${g.name}-id`)));
    for (const n of nodes) {
        const kind = NODE_KINDS[n.type];
        const group = vpc && inVpc.has(n.name) ? `VPC ${vpc.inputs.cidrBlock}` : "";
        addToGroup(graph, group, node(n.name, `${n.name}<br/>${kind.detail(n.inputs, plan.resources)}`, kind.shape));
    }
    // Who may talk to whom: ingress rules between groups, and rules open to the Internet either way.
    for (const rule of securityGroupRules(plan)) {
        const members = users(rule.group);
        if (rule.peerGroup && rule.direction === "in") {
            for (const from of users(rule.peerGroup)) for (const to of members) graph.edges.push({ from, to, label: rule.port });
        } else if (rule.cidr === "0.0.0.0/0") {
            for (const member of members) {
                graph.edges.push(
                    rule.direction === "in"
                        ? { from: INTERNET, to: member, label: rule.port }
                        : { from: member, to: INTERNET, label: `out ${rule.port}`, dotted: true },
                );
            }
        }
    }
    for (const link of plan.resources.filter((r) => LINK_KINDS[r.type])) {
        const kind = LINK_KINDS[link.type];
        const ends = (input: unknown) => nodes.filter((n) => [input].flat().some((ref) => lookup(ref, n.type) === n)).map((n) => n.name);
        for (const from of ends(link.inputs[kind.from]))
            for (const to of ends(link.inputs[kind.to])) graph.edges.push({ from, to, label: kind.label, dotted: true });
    }
}

/** The stack's diagram as Mermaid flowchart source, deterministic for a given plan. */
export function renderDiagram(plan: Plan): string {
    const graph: Graph = { groups: new Map(), edges: [] };
    if (plan.resources.some((r) => r.type === CONTAINER)) dockerGraph(plan, graph);
    else cloudGraph(plan, graph);

    const usesInternet = graph.edges.some((e) => e.from === INTERNET || e.to === INTERNET);
    const lines = ["flowchart LR"];
    if (usesInternet) lines.push(`    ${INTERNET}((Internet))`);
    for (const [group, members] of [...graph.groups].sort(([a], [b]) => a.localeCompare(b))) {
        const unique = [...new Set(members)].sort();
        if (group === "") {
            lines.push(...unique.map((m) => `    ${m}`));
        } else {
            lines.push(`    subgraph ${id(group)}["${group}"]`, ...unique.map((m) => `        ${m}`), "    end");
        }
    }
    // One arrow per pair and style, carrying every label (e.g. both ports of a rule pair).
    const labels = new Map<string, Set<string>>();
    for (const e of graph.edges) {
        const arrow = `${id(e.from)} ${e.dotted ? "-.->" : "-->"} ${id(e.to)}`;
        labels.set(arrow, (labels.get(arrow) ?? new Set()).add(e.label));
    }
    const byNumber = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
    const edges = [...labels].map(([arrow, set]) => {
        const [from, style, to] = arrow.split(" ");
        return `    ${from} ${style}|"${[...set].sort(byNumber).join(", ")}"| ${to}`;
    });
    lines.push(...edges.sort());
    return `${lines.join("\n")}\n`;
}

export const projectDir = path.resolve(__dirname, "..");

export function diagramFile(stack: string): string {
    return path.join(projectDir, "docs", "diagrams", `${stack}.mmd`);
}

/** The block of docs/architecture.md that carries the stack's diagram. */
export function diagramBlock(stack: string): GeneratedBlock {
    return { page: "docs/architecture.md", begin: `<!-- diagram:${stack} -->`, end: `<!-- /diagram:${stack} -->` };
}

/** The block's content for `stack`: the diagram between its markers. */
export function pageBlock(stack: string, diagram: string): string {
    const { begin, end } = diagramBlock(stack);
    return `${begin}\n\`\`\`mermaid\n${diagram}\`\`\`\n${end}`;
}

const options = {
    ...planOptions,
    ...generatorOptions,
    write: { type: "boolean", description: "update docs/diagrams/<stack>.mmd and the stack's block in docs/architecture.md instead of printing" },
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "diagram",
    summary: "draws a stack's offline plan as a Mermaid flowchart: services with their limits, data stores, networks, who talks to whom",
    usage: [`--stack ${STACK_VALUE} [--out <file>] [--config-file <file>]`, `--stack ${STACK_VALUE} --write`],
    options,
    examples: ["npm run -s diagram -- --stack dev", "npm run -s diagram -- --stack prod --out out/prod.mmd", "npm run -s diagram -- --stack staging --write"],
    exitCodes: { 0: "the diagram was printed or written" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        // The page's blocks are each stack's own file: another config would put another stack's picture there.
        modeTakesOnly(spec, values, "write", ["stack"]);
        const plan = await planFromArgs(values);
        const diagram = renderDiagram(plan);
        generate(values, diagramBlock(plan.stack), pageBlock(plan.stack, diagram), diagram);
        if (values.write) {
            makeFolder(path.dirname(diagramFile(plan.stack)));
            fs.writeFileSync(diagramFile(plan.stack), diagram);
        }
        return 0;
    });
