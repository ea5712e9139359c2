// The flows the plan's tasks need and the flows it must never allow, derived from the plan alone:
// a task needs what its task definition names (image registry, log driver, secrets, every host its
// environment holds) and what its service is wired to (the load balancer's traffic and health
// checks); what must stay unreachable follows from which tasks hold data access.
import { type Network, type Node, type NetworkResource, T } from "./model";
import { ALL_PORTS, type Range } from "./space";

/** Where a flow ends or starts: a network interface in the VPC, or a host outside it. */
export type Place =
    | { readonly kind: "node"; readonly node: Node }
    /** A host on the internet; `prefixList` when it belongs to a gateway endpoint's service (S3). */
    | { readonly kind: "internet"; readonly host: string; readonly prefixList?: string };

export interface Flow {
    readonly kind: "needed" | "forbidden";
    readonly from: Place;
    readonly to: Place;
    readonly ports: Range;
    /** Why the flow is needed or forbidden, with the hostname it was derived from. */
    readonly why: string;
}

export const THE_INTERNET: Place = { kind: "internet", host: "the internet" };
const HTTPS = 443;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const records = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
const port = (n: number): Range => ({ lo: n, hi: n });

/**
 * The hostnames an interface endpoint's private DNS answers inside the VPC (PrivateLink guide, "AWS
 * services that integrate with AWS PrivateLink", private DNS names): `<service>.<region>.amazonaws.com`,
 * except ECR's API (`api.ecr.<region>…`), its registry (`*.dkr.ecr.<region>…`) and S3 (`*.s3.<region>…`).
 */
export function privateDnsNames(serviceName: string): RegExp[] {
    const match = /^com\.amazonaws\.([a-z0-9-]+)\.(.+)$/.exec(serviceName);
    if (!match) return [];
    const [, region, service] = match;
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const exact = (host: string) => new RegExp(`^${escape(host)}$`);
    const wildcard = (suffix: string) => new RegExp(`^[^.]+\\.${escape(suffix)}$`);
    if (service === "ecr.api") return [exact(`api.ecr.${region}.amazonaws.com`)];
    if (service === "ecr.dkr") return [wildcard(`dkr.ecr.${region}.amazonaws.com`)];
    if (service === "s3") return [wildcard(`s3.${region}.amazonaws.com`)];
    return [exact(`${service}.${region}.amazonaws.com`)];
}

/** Hostnames a gateway endpoint's service answers (S3, DynamoDB), in its region. */
function gatewayHosts(serviceName: string): RegExp[] {
    const match = /^com\.amazonaws\.([a-z0-9-]+)\.(s3|dynamodb)$/.exec(serviceName);
    if (!match) return [];
    const suffix = `${match[2]}.${match[1]}.amazonaws.com`.replace(/\./g, "\\.");
    return [new RegExp(`^([^.]+\\.)*${suffix}$`)];
}

/** Where `host` leads from inside `source`'s VPC: a node of the plan, an interface endpoint its private DNS captures, or the internet. */
export function resolveHost(network: Network, host: string, source: Node): Place {
    const lower = host.toLowerCase();
    const byAddress = network.nodes.find((n) =>
        ["address", "endpoint", "primaryEndpointAddress", "readerEndpointAddress", "configurationEndpointAddress", "dnsName"].some(
            (k) => typeof n.res.outputs[k] === "string" && (n.res.outputs[k] as string).toLowerCase() === lower,
        ),
    );
    if (byAddress) return { kind: "node", node: byAddress };
    const vpc = source.subnets[0]?.vpc;
    const endpoint = network.endpoints.find(
        (e) => e.privateDns && vpc?.privateDns === true && e.node.subnets[0]?.vpc === vpc && privateDnsNames(e.service).some((p) => p.test(lower)),
    );
    if (endpoint) return { kind: "node", node: endpoint.node };
    const gateway = network.gatewayEndpoints.find((g) => gatewayHosts(g.service).some((p) => p.test(lower)));
    return { kind: "internet", host, prefixList: gateway?.prefixList };
}

/** A value that is a hostname or URL: host and port (scheme default, else undefined). */
function hostIn(value: string): { host: string; port?: number } | undefined {
    const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:[^@/\s]+@)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?::(\d{1,5}))?(?:[/?#]\S*)?$/.exec(value);
    if (!match) return undefined;
    const schemes: Record<string, number> = { https: 443, http: 80, postgres: 5432, postgresql: 5432, redis: 6379, rediss: 6379, wss: 443, ws: 80 };
    const explicit = match[3] ? Number(match[3]) : undefined;
    return { host: match[2], port: explicit ?? (match[1] ? schemes[match[1].toLowerCase()] : undefined) };
}

export interface TaskNeeds {
    readonly flows: Flow[];
    /** Data stores (RDS, Redis nodes) the task definition names, by host or by secret. */
    readonly dataStores: Set<Node>;
    readonly notes: string[];
}

function containers(definition: NetworkResource): Record<string, unknown>[] | undefined {
    const value = definition.inputs.containerDefinitions;
    try {
        const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
        return Array.isArray(parsed) ? parsed.filter(isRecord) : undefined;
    } catch {
        return undefined;
    }
}

/** The flows one placed task needs, from its task definition and its service. */
export function taskNeeds(network: Network, task: Network["tasks"][number]): TaskNeeds {
    const source = task.node;
    const flows: Flow[] = [];
    const notes: string[] = [];
    const dataStores = new Set<Node>();
    const seen = new Set<string>();
    const need = (host: string, ports: Range, why: string) => {
        const to = resolveHost(network, host, source);
        if (to.kind === "node" && (to.node.kind === "rds" || to.node.kind === "redis")) dataStores.add(to.node);
        const key = `${to.kind === "node" ? to.node.res.urn : host}:${ports.lo}`;
        if (seen.has(key)) return;
        seen.add(key);
        flows.push({ kind: "needed", from: { kind: "node", node: source }, to, ports, why: `${why} (${host})` });
    };
    const defs = containers(task.definition);
    if (!defs) {
        notes.push(`${task.definition.name}: containerDefinitions cannot be read, so its flows are unknown`);
        return { flows, dataStores, notes };
    }
    const cacheRules = network.ofType(T.pullThroughCache);
    for (const c of defs) {
        const image = String(c.image ?? "");
        // A private ECR image: Fargate calls ECR's API and registry and fetches the layers from S3 (ECR
        // user guide, "Amazon ECR interface VPC endpoints": Fargate platform 1.4.0 and later need
        // ecr.api, ecr.dkr and the S3 gateway endpoint; layers live in prod-<region>-starport-layer-bucket).
        const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?/.exec(image);
        if (ecr) {
            const [, account, region, repository, tag] = ecr;
            need(`api.ecr.${region}.amazonaws.com`, port(HTTPS), "image pull: ECR API");
            need(`${account}.dkr.ecr.${region}.amazonaws.com`, port(HTTPS), "image pull: ECR registry");
            need(`prod-${region}-starport-layer-bucket.s3.${region}.amazonaws.com`, port(HTTPS), "image pull: layers in S3");
            // The first pull through a cache rule, over interface endpoints, needs the way to the internet
            // (ECR user guide, "Amazon ECR interface VPC endpoints", Considerations: "When an image is pulled
            // using a pull through cache rule for the first time ... route all outbound traffic to the
            // internet from their private subnet to the NAT gateway"; aws/containers-roadmap#2304).
            for (const rule of cacheRules) {
                const prefix = String(rule.inputs.ecrRepositoryPrefix ?? "");
                const upstream = String(rule.inputs.upstreamRegistryUrl ?? "");
                if (!prefix || !upstream || !repository.startsWith(`${prefix}/`)) continue;
                const host = upstream.replace(/^https?:\/\//, "").split("/")[0];
                const warm = warmedBy(network, task.definition, repository, tag);
                if (warm)
                    notes.push(
                        `${task.definition.name}: ${image} is cached by ${warm.name} before the task definition exists, so its first pull needs no way to ${host}`,
                    );
                else need(host, port(HTTPS), `first pull through cache rule ${rule.name}`);
            }
        } else if (image) {
            // A registry is the reference's first component when it holds a dot or a port (Docker's reference grammar), else Docker Hub.
            const first = image.split("/")[0];
            need(image.includes("/") && /[.:]/.test(first) ? first.split(":")[0] : "registry-1.docker.io", port(HTTPS), "image pull");
        }
        const log = isRecord(c.logConfiguration) ? c.logConfiguration : undefined;
        if (log?.logDriver === "awslogs") {
            const region = isRecord(log.options) ? String(log.options["awslogs-region"] ?? "") : "";
            need(`logs.${region}.amazonaws.com`, port(HTTPS), "awslogs log driver: CloudWatch Logs");
        } else if (log) notes.push(`${task.definition.name}: log driver ${String(log.logDriver)} is not modelled`);
        for (const secret of records(c.secrets)) {
            const from = String(secret.valueFrom ?? "");
            const arn = /^arn:aws[a-z-]*:(secretsmanager|ssm):([a-z0-9-]+):/.exec(from);
            if (arn)
                need(
                    `${arn[1]}.${arn[2]}.amazonaws.com`,
                    port(HTTPS),
                    `secret ${String(secret.name)}: ${arn[1] === "ssm" ? "Systems Manager" : "Secrets Manager"}`,
                );
            for (const store of storesOfSecret(network, from)) need(storeHost(store), port(store.port!), `secret ${String(secret.name)} is ${store.label}'s`);
        }
        const environment = records(c.environment);
        const named = new Map(environment.map((e) => [String(e.name), String(e.value ?? "")]));
        for (const [name, value] of named) {
            const found = hostIn(value);
            if (!found) continue;
            const target = resolveHost(network, found.host, source);
            // The port: the URL's, else the HOST variable's PORT sibling, else the data store's own.
            const sibling = Number(named.get(name.replace(/HOST$/, "PORT")) ?? NaN);
            const portNumber =
                found.port ?? (name.endsWith("HOST") && Number.isInteger(sibling) ? sibling : target.kind === "node" ? target.node.port : undefined);
            if (portNumber === undefined) {
                notes.push(`${task.definition.name}: ${name} names ${found.host} without a port, so its flow is not checked`);
                continue;
            }
            need(found.host, port(portNumber), `environment ${name}`);
        }
    }

    // A service behind a load balancer: the balancer's traffic and its health checks reach each target
    // (ELB user guide, "Target groups": health checks go to the traffic port unless one is set).
    if (task.via.type === T.service) {
        for (const lb of records(task.via.inputs.loadBalancers)) {
            const containerPort = Number(lb.containerPort);
            const groups = [lb.targetGroupArn, isRecord(lb.advancedConfiguration) ? lb.advancedConfiguration.alternateTargetGroupArn : undefined];
            for (const groupRef of groups) {
                const group = network.resolve(groupRef, T.targetGroup);
                if (!group) continue;
                for (const balancer of balancersForwardingTo(network, group)) {
                    const from: Place = { kind: "node", node: balancer };
                    flows.push({
                        kind: "needed",
                        from,
                        to: { kind: "node", node: source },
                        ports: port(containerPort),
                        why: `load balancer traffic to target group ${group.name}`,
                    });
                    const health = isRecord(group.inputs.healthCheck) ? group.inputs.healthCheck : {};
                    const healthPort = health.port === undefined || health.port === "traffic-port" ? containerPort : Number(health.port);
                    flows.push({
                        kind: "needed",
                        from,
                        to: { kind: "node", node: source },
                        ports: port(healthPort),
                        why: `health check of target group ${group.name}`,
                    });
                }
            }
        }
    }
    return { flows, dataStores, notes };
}

/**
 * The command that caches `repository:tag` in ECR before the task definition is registered: it makes a
 * pull's manifest request (`aws ecr batch-get-image`, which starts the cache's import) with that
 * repository and tag in its environment (components/cluster/image-mirror.ts), and the task definition
 * depends on it where the source records dependencies. Such an image is in ECR when a task pulls it,
 * so the task needs no first-pull flow (issue 21, fix 2).
 */
function warmedBy(network: Network, definition: NetworkResource, repository: string, tag: string | undefined): NetworkResource | undefined {
    if (!tag) return undefined;
    return network.ofType(T.command).find((command) => {
        const environment = Object.values(isRecord(command.inputs.environment) ? command.inputs.environment : {});
        return (
            /\becr batch-get-image\b/.test(String(command.inputs.create ?? "")) &&
            environment.includes(repository) &&
            environment.includes(tag) &&
            (definition.dependencies === undefined || definition.dependencies.includes(command.urn))
        );
    });
}

/** The host a data store is reached by. */
function storeHost(store: Node): string {
    return String(store.res.outputs.address ?? store.res.outputs.primaryEndpointAddress ?? store.label);
}

/** The data stores a secret belongs to: RDS's managed master secret, or a secret kept by the component that holds the store. */
function storesOfSecret(network: Network, valueFrom: string): Node[] {
    const arn = valueFrom.replace(/:[^:]+::$/, "");
    const stores = network.nodes.filter((n) => n.kind === "rds" || n.kind === "redis");
    const managed = stores.filter((n) => records(n.res.outputs.masterUserSecrets).some((s) => s.secretArn === arn));
    if (managed.length > 0) return managed;
    const secret = network.resolve(arn, T.secret);
    if (!secret?.parent) return [];
    return stores.filter((n) => n.res.parent === secret.parent);
}

/** The load balancers with a listener (default action or rule) forwarding to `group`. */
function balancersForwardingTo(network: Network, group: NetworkResource): Node[] {
    const forwardsTo = (actions: unknown) =>
        records(actions).some(
            (a) =>
                network.resolve(a.targetGroupArn, T.targetGroup) === group ||
                (isRecord(a.forward) && records(a.forward.targetGroups).some((g) => network.resolve(g.arn, T.targetGroup) === group)),
        );
    const listeners = new Set(network.ofType(T.listener).filter((l) => forwardsTo(l.inputs.defaultActions)));
    for (const rule of network.ofType(T.listenerRule)) {
        const listener = network.resolve(rule.inputs.listenerArn, T.listener);
        if (listener && forwardsTo(rule.inputs.actions)) listeners.add(listener);
    }
    const balancers = new Set([...listeners].map((l) => network.resolve(l.inputs.loadBalancerArn, T.loadBalancer, T.albLoadBalancer)));
    return network.nodes.filter((n) => n.kind === "load balancer" && balancers.has(n.res));
}

/** Every flow to check: each task's needs, the internet to each listener, and the forbidden flows. */
export function deriveFlows(network: Network): { flows: Flow[]; notes: string[] } {
    const flows: Flow[] = [];
    const notes: string[] = [];
    const stores = network.nodes.filter((n) => n.kind === "rds" || n.kind === "redis");
    for (const task of network.tasks) {
        const needs = taskNeeds(network, task);
        flows.push(...needs.flows);
        notes.push(...needs.notes);
        // A task that names no data store has no business reaching it.
        for (const store of stores)
            if (!needs.dataStores.has(store))
                flows.push({
                    kind: "forbidden",
                    from: { kind: "node", node: task.node },
                    to: { kind: "node", node: store },
                    ports: port(store.port!),
                    why: `${task.definition.name} holds no access to ${store.label}`,
                });
    }
    for (const balancer of network.nodes.filter((n) => n.kind === "load balancer")) {
        if (balancer.publicIp)
            for (const listener of network
                .ofType(T.listener)
                .filter((l) => network.resolve(l.inputs.loadBalancerArn, T.loadBalancer, T.albLoadBalancer) === balancer.res))
                flows.push({
                    kind: "needed",
                    from: THE_INTERNET,
                    to: { kind: "node", node: balancer },
                    ports: port(Number(listener.inputs.port)),
                    why: `clients reach listener ${listener.name}`,
                });
        for (const store of stores)
            flows.push({
                kind: "forbidden",
                from: { kind: "node", node: balancer },
                to: { kind: "node", node: store },
                ports: port(store.port!),
                why: "the load balancer never talks to a data store",
            });
    }
    for (const store of stores)
        flows.push({ kind: "forbidden", from: THE_INTERNET, to: { kind: "node", node: store }, ports: port(store.port!), why: "data stores are private" });
    for (const task of network.tasks)
        flows.push({
            kind: "forbidden",
            from: THE_INTERNET,
            to: { kind: "node", node: task.node },
            ports: ALL_PORTS,
            why: "tasks take no connection from the internet",
        });
    return { flows, notes };
}
