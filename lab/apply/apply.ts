// Applies a plan's Docker networks, volumes and containers to an engine as `pulumi up` with
// pulumi-docker would (lab/apply/engine-fields.ts maps each input), and re-applies a changed plan
// with the provider's semantics: equal inputs are left alone, a change only to inputs that
// resourceDockerContainerUpdate handles updates in place, any other change replaces.
import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import type Docker from "dockerode";
import * as tar from "tar-stream";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import {
    containerCreateBody,
    CONTAINER_UPDATE_INPUTS,
    containerUpdateBody,
    IN_PLACE_CONTAINER_INPUTS,
    networkCreateBody,
    uploadArchive,
    volumeCreateBody,
    type Upload,
} from "./engine-fields";

const NETWORK = "docker:index/network:Network";
const VOLUME = "docker:index/volume:Volume";
const CONTAINER = "docker:index/container:Container";
const APPLIED = new Set([NETWORK, VOLUME, CONTAINER]);
/** How long a health wait trusts the engine's event stream before it looks anyway. */
const EVENT_FALLBACK_MS = 5000;
/**
 * resourceDockerNetworkDelete's wait (terraform-provider-docker resource_docker_network_funcs.go):
 * the engine may still hold a just-removed container's endpoint, so NetworkRemove is tried after
 * 2 s and again every 5 s while it answers "has active endpoints", for up to 30 s.
 */
interface Wait {
    readonly delayMs: number;
    readonly everyMs: number;
    readonly timeoutMs: number;
}
export const NETWORK_REMOVE: Wait = { delayMs: 2_000, everyMs: 5_000, timeoutMs: 30_000 };

/**
 * Removes a network with the provider's wait. When the wait runs out, the error names what the engine
 * still lists on the network, each as present or gone: a container left behind, or an endpoint the
 * engine kept after its container was removed.
 */
export async function removeNetwork(network: Docker.Network, docker: Docker, wait: Wait = NETWORK_REMOVE): Promise<void> {
    const deadline = Date.now() + wait.timeoutMs;
    await sleep(wait.delayMs);
    for (;;) {
        try {
            return await network.remove();
        } catch (err) {
            if (!/has active endpoints/.test(String((err as Error).message))) throw err;
            if (Date.now() + wait.everyMs > deadline)
                throw new ApplyError(`${(err as Error).message.trim()}; after ${wait.timeoutMs / 1000} s: ${await endpoints(network, docker)}`);
        }
        await sleep(wait.everyMs);
    }
}

/** The containers a network lists, each with whether the engine still has it. */
async function endpoints(network: Docker.Network, docker: Docker): Promise<string> {
    const listed = Object.entries(((await network.inspect()) as { Containers?: Record<string, { Name?: string }> }).Containers ?? {});
    if (listed.length === 0) return "it lists no container";
    const described = await Promise.all(
        listed.map(async ([id, { Name }]) => {
            const present = await docker
                .getContainer(id)
                .inspect()
                .then(
                    () => true,
                    () => false,
                );
            return `${Name ?? "?"} (${id.slice(0, 12)}, ${present ? "a container still there" : "its container gone"})`;
        }),
    );
    return `it lists ${described.join(", ")}`;
}

/** What one `up` did, by resource name: the test compares these with what the provider would do. */
export interface UpResult {
    readonly created: string[];
    readonly replaced: string[];
    readonly updated: string[];
    readonly unchanged: string[];
}

/** A step that failed, naming the container, with what the engine knows of it. */
export class ApplyError extends Error {}

interface Applied {
    readonly resource: PlanResource;
    /** The engine's id (container, network) or name (volume). */
    readonly id: string;
}

/** The resources to apply, dependencies first (the plan's order among those that do not depend on each other). */
export function dependencyOrder(plan: Plan): PlanResource[] {
    const managed = plan.resources.filter((r) => APPLIED.has(r.type));
    const byUrn = new Map(managed.map((r) => [r.urn, r]));
    const done = new Set<string>();
    const ordered: PlanResource[] = [];
    const visit = (resource: PlanResource, path: string[]) => {
        if (done.has(resource.urn)) return;
        if (path.includes(resource.urn)) throw new Error(`dependency cycle: ${[...path, resource.urn].join(" -> ")}`);
        for (const dep of [...resource.options.dependsOn, ...resource.dependencies]) {
            const target = byUrn.get(dep);
            if (target) visit(target, [...path, resource.urn]);
        }
        done.add(resource.urn);
        ordered.push(resource);
    };
    for (const resource of managed) visit(resource, []);
    return ordered;
}

/** Docker's multiplexed log stream (8-byte frame headers, non-TTY containers) as text. */
function demux(buffer: Buffer): string {
    const parts: Buffer[] = [];
    for (let offset = 0; offset + 8 <= buffer.length;) {
        const size = buffer.readUInt32BE(offset + 4);
        parts.push(buffer.subarray(offset + 8, offset + 8 + size));
        offset += 8 + size;
    }
    return Buffer.concat(parts).toString("utf8");
}

/** How much of a failed container's log a failure quotes. */
export const LAST_LOG_LINES = 20;

/** The last `lines` lines a container logged (stdout and stderr). */
export async function lastLogLines(docker: Docker, name: string, lines = LAST_LOG_LINES): Promise<string> {
    try {
        const raw = (await docker.getContainer(name).logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
        return demux(raw).trimEnd();
    } catch (err) {
        return `(no logs: ${(err as Error).message})`;
    }
}

function isOneShot(resource: PlanResource): boolean {
    return resource.inputs.attach === true;
}

export class LabStack {
    private readonly applied = new Map<string, Applied>();

    constructor(
        private readonly docker: Docker,
        /** The engine image for a plan's `image` input (the lab image for an upstream reference). */
        private readonly imageFor: (reference: string) => string,
        private readonly log: (line: string) => void,
    ) {}

    /** The container names this stack holds, by their plan resource name. */
    containerNames(): Map<string, string> {
        return new Map([...this.applied.values()].filter((a) => a.resource.type === CONTAINER).map((a) => [a.resource.name, String(a.resource.inputs.name)]));
    }

    /**
     * Applies `plan`: creates what is new, replaces or updates what changed, removes what is gone.
     * Like Pulumi's step executor, each resource's step starts as soon as the steps of everything it
     * depends on are done, so independent resources are applied side by side, and nothing is
     * applied after a resource it depends on failed (pulumi/pulumi pkg/resource/deploy/step_executor.go).
     */
    async up(plan: Plan): Promise<UpResult> {
        const ordered = dependencyOrder(plan);
        const wanted = new Set(ordered.map((r) => r.urn));
        for (const [urn, old] of [...this.applied].reverse()) {
            if (!wanted.has(urn)) await this.remove(old);
        }
        const outcome = new Map<string, keyof UpResult>();
        const steps = new Map<string, Promise<void>>();
        for (const resource of ordered) {
            const dependencies = [...resource.options.dependsOn, ...resource.dependencies].flatMap((urn) => steps.get(urn) ?? []);
            steps.set(
                resource.urn,
                Promise.all(dependencies).then(async () => {
                    outcome.set(resource.urn, await this.step(resource));
                }),
            );
        }
        const settled = await Promise.allSettled(steps.values());
        // The first failure in dependency order is the cause; what depends on it failed with it.
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failed) throw failed.reason;
        const result: UpResult = { created: [], replaced: [], updated: [], unchanged: [] };
        for (const resource of ordered) result[outcome.get(resource.urn)!].push(resource.name);
        return result;
    }

    /** One resource's step: what it did. */
    private async step(resource: PlanResource): Promise<keyof UpResult> {
        const old = this.applied.get(resource.urn);
        if (!old) {
            await this.create(resource);
            return "created";
        }
        const changed = Object.keys({ ...old.resource.inputs, ...resource.inputs }).filter(
            (k) => !isDeepStrictEqual(old.resource.inputs[k], resource.inputs[k]),
        );
        if (changed.length === 0) return "unchanged";
        if (resource.type === CONTAINER && changed.every((k) => IN_PLACE_CONTAINER_INPUTS.has(k))) {
            // resourceDockerContainerUpdate: a must_run that went from false to true starts the
            // container when `start` is set; a change to its attrs list calls ContainerUpdate.
            const container = this.docker.getContainer(old.id);
            if (changed.includes("mustRun") && old.resource.inputs.mustRun === false && resource.inputs.mustRun !== false && resource.inputs.start !== false)
                await container.start();
            if (changed.some((k) => CONTAINER_UPDATE_INPUTS.has(k))) await container.update(containerUpdateBody(resource.inputs));
            this.applied.set(resource.urn, { resource, id: old.id });
            return "updated";
        }
        // ForceNew: the old one goes first, as Pulumi replaces these with the provider's settings:
        // pulumi-docker marks docker_container DeleteBeforeReplace (provider/resources.go), and its
        // SetAutonaming makes the bridge replace a network or volume whose name the program set
        // delete-first too (pulumi-terraform-bridge nameRequiresDeleteBeforeReplace). Docker would
        // refuse a second one of the same name.
        await this.remove(old);
        await this.create(resource);
        return "replaced";
    }

    private async create(resource: PlanResource): Promise<void> {
        const inputs = resource.inputs;
        if (resource.type === NETWORK) {
            const network = await this.docker.createNetwork(networkCreateBody(inputs));
            this.applied.set(resource.urn, { resource, id: network.id });
        } else if (resource.type === VOLUME) {
            const body = volumeCreateBody(inputs);
            await this.docker.createVolume(body);
            this.applied.set(resource.urn, { resource, id: body.Name });
        } else {
            await this.createContainer(resource);
        }
    }

    private async createContainer(resource: PlanResource): Promise<void> {
        const inputs = resource.inputs;
        const name = String(inputs.name);
        const container = await this.docker.createContainer(containerCreateBody(inputs, this.imageFor(String(inputs.image))));
        this.applied.set(resource.urn, { resource, id: container.id });
        // networks_advanced: off the default bridge, onto each network with its aliases.
        const networks = (inputs.networksAdvanced ?? []) as { name: string; aliases?: string[] }[];
        if (networks.length > 0) {
            await this.docker.getNetwork("bridge").disconnect({ Container: container.id, Force: false });
            for (const n of networks) await this.docker.getNetwork(n.name).connect({ Container: container.id, EndpointConfig: { Aliases: n.aliases ?? [] } });
        }
        // upload: one archive per file, extracted at "/" as C does (see uploadArchive).
        for (const upload of (inputs.uploads ?? []) as Upload[]) {
            const header = uploadArchive(upload);
            const pack = tar.pack();
            pack.entry(
                { name: header.name, mode: header.mode, uid: header.uid, gid: header.gid, size: header.content.length, mtime: new Date() },
                header.content,
            );
            pack.finalize();
            const chunks: Buffer[] = [];
            for await (const chunk of pack) chunks.push(chunk as Buffer);
            try {
                await container.putArchive(Buffer.concat(chunks), { path: header.directory });
            } catch (err) {
                throw new ApplyError(`${name}: Unable to upload volume content: ${(err as Error).message} (upload ${upload.file})`);
            }
        }
        // C: `start` (default true) starts it; without it the container is only created.
        if (inputs.start !== false) await container.start();
        if (isOneShot(resource)) await this.awaitJob(container, name);
        // C ends with resourceDockerContainerRead, which records must_run false for a container that is
        // not running while must_run (default true) is set; the next `up` then sees must_run change.
        if (inputs.mustRun !== false && !(await container.inspect()).State.Running) {
            this.applied.set(resource.urn, { resource: { ...resource, inputs: { ...inputs, mustRun: false } }, id: container.id });
        }
    }

    private async awaitJob(container: Docker.Container, name: string): Promise<void> {
        // attach: ContainerWait(WaitConditionNotRunning); the program's succeeded() then fails the
        // rollout on any exit code but 0 (components/docker/container.ts).
        const { StatusCode } = (await container.wait({ condition: "not-running" })) as { StatusCode: number };
        this.log(`lab: ${name} exited ${StatusCode}`);
        if (StatusCode !== 0) {
            throw new ApplyError(
                `${name}: the one-shot job exited with ${StatusCode}; its last ${LAST_LOG_LINES} log lines:\n${await lastLogLines(this.docker, name)}`,
            );
        }
    }

    private async remove(applied: Applied): Promise<void> {
        const { resource, id } = applied;
        try {
            // resourceDockerContainerDelete: stop (unless attached), then ContainerRemove with
            // RemoveVolumes (remove_volumes defaults to true) and Force.
            if (resource.type === CONTAINER) await this.docker.getContainer(id).remove({ force: true, v: true });
            else if (resource.type === NETWORK) await removeNetwork(this.docker.getNetwork(id), this.docker);
            else await this.docker.getVolume(id).remove();
        } catch (err) {
            if ((err as { statusCode?: number }).statusCode !== 404) throw err;
        }
        this.applied.delete(resource.urn);
    }

    /**
     * Removes everything applied (`pulumi destroy`): each resource once everything that depends on
     * it is gone, independent ones side by side, as Pulumi's step executor deletes.
     */
    async destroy(): Promise<void> {
        const applied = [...this.applied.values()];
        const removals = new Map<string, Promise<void>>();
        const removal = (entry: Applied): Promise<void> => {
            const known = removals.get(entry.resource.urn);
            if (known) return known;
            const dependents = applied.filter((other) => [...other.resource.options.dependsOn, ...other.resource.dependencies].includes(entry.resource.urn));
            const started = Promise.allSettled(dependents.map(removal)).then(() => this.remove(entry));
            removals.set(entry.resource.urn, started);
            return started;
        };
        applied.forEach(removal);
        const failed = (await Promise.allSettled(removals.values())).find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) throw failed.reason;
    }

    /**
     * Waits until every long-running container with a health check reports healthy (one created
     * with `start: false`, an upload seed, never runs and is never waited for). Each gets its own
     * budget from its plan (start period, then `retries` failing probes `interval` apart, each up
     * to `timeout`); one that does not make it fails, named with its last health output and logs.
     * It looks again when the engine reports a change of the container (its health_status, die or
     * start events), not on a timer.
     */
    async waitHealthy(names?: string[]): Promise<number> {
        const started = Date.now();
        const containers = [...this.applied.values()].filter((a) => {
            const h = a.resource.inputs.healthcheck as { tests?: string[] } | undefined;
            return (
                a.resource.type === CONTAINER &&
                !isOneShot(a.resource) &&
                a.resource.inputs.start !== false &&
                h !== undefined &&
                h.tests?.[0] !== "NONE" &&
                (!names || names.includes(String(a.resource.inputs.name)))
            );
        });
        // Subscribed before the first look, so no change between a look and the wait is missed.
        const events = (await this.docker.getEvents({ filters: { type: ["container"] } })) as NodeJS.ReadableStream & { destroy(): void };
        const changes = new EventEmitter();
        changes.setMaxListeners(0);
        let pending = "";
        events.on("data", (chunk: Buffer) => {
            const lines = (pending + chunk.toString("utf8")).split("\n");
            pending = lines.pop() ?? "";
            for (const line of lines.filter((l) => l.trim())) changes.emit((JSON.parse(line) as { id?: string }).id ?? "");
        });
        events.on("error", () => {});
        try {
            await Promise.all(containers.map((a) => this.waitOne(a, changes)));
        } finally {
            events.destroy();
        }
        return Date.now() - started;
    }

    private async waitOne(applied: Applied, changes: EventEmitter): Promise<void> {
        const inputs = applied.resource.inputs;
        const name = String(inputs.name);
        const create = containerCreateBody(inputs, "");
        const h = create.Healthcheck!;
        const budgetMs = ((h.StartPeriod ?? 0) + (h.Interval ?? 0) * ((h.Retries ?? 0) + 1) + (h.Timeout ?? 0)) / 1e6;
        const deadline = Date.now() + budgetMs;
        let changed = false;
        let wake = () => {};
        const onChange = () => {
            changed = true;
            wake();
        };
        changes.on(applied.id, onChange);
        let last: Docker.ContainerInspectInfo | undefined;
        try {
            while (Date.now() < deadline) {
                changed = false;
                last = await this.docker.getContainer(applied.id).inspect();
                const status = last.State.Health?.Status;
                if (status === "healthy") return;
                // "unhealthy" is not final: Docker marks a container healthy again on its next passing probe
                // (one that failed through a dependency's outage recovers); one that has stopped never will.
                if (!last.State.Running) break;
                if (changed) continue;
                // Until the next event for it; a look every EVENT_FALLBACK_MS besides, should the event stream stall.
                await new Promise<void>((resolve) => {
                    const timer = setTimeout(resolve, Math.max(0, Math.min(deadline - Date.now(), EVENT_FALLBACK_MS)));
                    wake = () => {
                        clearTimeout(timer);
                        resolve();
                    };
                });
            }
        } finally {
            changes.off(applied.id, onChange);
        }
        const probes = last?.State.Health?.Log ?? [];
        const output = probes.length ? probes[probes.length - 1].Output.trim() : "(no probe ran)";
        throw new ApplyError(
            `${name} is not healthy within its health budget (${Math.round(budgetMs / 1000)} s): state ${last?.State.Status ?? "unknown"}, health ${last?.State.Health?.Status ?? "none"}; last health output: ${output}\nlast ${LAST_LOG_LINES} log lines:\n${await lastLogLines(this.docker, name)}`,
        );
    }
}
