// Reading the offline plan as the engine orders it: resources by URN, the dependency graph (explicit
// dependsOn and the implicit dependencies of inputs), ECS container definitions, command scripts.
import { readStackConfig } from "../../lib/stack-config";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { projectDir } from "../helpers/plan";

export const TYPE = {
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    command: "command:local:Command",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

export const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);

/** Everything `from` waits for before the engine creates it: dependsOn and dependencies, transitively. */
export function waitsFor(plan: Plan, from: PlanResource): Set<string> {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const pending = [from];
    for (let r = pending.pop(); r; r = pending.pop()) {
        for (const urn of [...r.options.dependsOn, ...r.dependencies]) {
            if (seen.has(urn)) continue;
            seen.add(urn);
            const next = byUrn.get(urn);
            if (next) pending.push(next);
        }
    }
    return seen;
}

/** Removes `urns` from a resource's explicit and implicit dependencies (for mutations). */
export function forget(resource: PlanResource, urns: ReadonlySet<string>): void {
    resource.options.dependsOn.splice(0, Infinity, ...resource.options.dependsOn.filter((u) => !urns.has(u)));
    resource.dependencies.splice(0, Infinity, ...resource.dependencies.filter((u) => !urns.has(u)));
}

export interface ContainerDefinition {
    readonly name: string;
    readonly image: string;
    readonly user?: string;
    readonly readonlyRootFilesystem?: boolean;
    readonly command?: string[];
    readonly mountPoints?: { sourceVolume: string; containerPath: string; readOnly?: boolean }[];
}

/** A task definition's containers (its containerDefinitions JSON). */
export function containersOf(taskDefinition: PlanResource): ContainerDefinition[] {
    return JSON.parse(String(taskDefinition.inputs.containerDefinitions)) as ContainerDefinition[];
}

/** Rewrites a task definition's containers (for mutations). */
export function setContainers(taskDefinition: PlanResource, containers: ContainerDefinition[]): void {
    taskDefinition.inputs.containerDefinitions = JSON.stringify(containers);
}

/** The shell a command resource runs on create, update and delete. */
export function scriptsOf(command: PlanResource): string {
    return ["create", "update", "delete"]
        .map((k) => command.inputs[k])
        .filter((s): s is string => typeof s === "string")
        .join("\n");
}

export function environmentOf(command: PlanResource): Record<string, unknown> {
    return (command.inputs.environment as Record<string, unknown> | undefined) ?? {};
}

/** The stack's provider region (aws:region) as its config file sets it. */
export function stackRegion(plan: Plan): string | undefined {
    return readStackConfig(projectDir, plan.stack).config["aws:region"];
}

export function byName(plan: Plan, type: string, name: string): PlanResource {
    const found = plan.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`the plan has no ${type} named ${name}`);
    return found;
}
