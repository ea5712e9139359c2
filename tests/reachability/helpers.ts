// The AWS stacks' plans as the reachability analysis reads them (outputs from the same mocks as the
// plan), and mutations of them: a rule added or removed, a resource's inputs changed.
import { strict as assert } from "node:assert";
import { type NetworkResource, planResources, type ReachabilityReport } from "../../lib/reachability";
import { stackPlan } from "../helpers/plan";

export type Resources = readonly NetworkResource[];

export async function stackResources(stack: string): Promise<Resources> {
    return planResources(await stackPlan(stack));
}

export function named(resources: Resources, type: string, name: string): NetworkResource {
    const found = resources.filter((r) => r.type === type && r.name === name);
    assert.equal(found.length, 1, `one ${type} named ${name}`);
    return found[0];
}

/** A new resource as the plan would hold it: the mocks' id is `<name>-id`. */
export function added(type: string, name: string, inputs: Record<string, unknown>): NetworkResource {
    return { urn: `urn:pulumi:test::osint-platform::${type}::${name}`, type, name, parent: null, inputs, outputs: { ...inputs, id: `${name}-id` } };
}

export function without(resources: Resources, type: string, name: string): NetworkResource[] {
    const gone = named(resources, type, name);
    return resources.filter((r) => r !== gone);
}

/** `resources` with one resource's inputs (and outputs) changed. */
export function changed(resources: Resources, type: string, name: string, inputs: Record<string, unknown>): NetworkResource[] {
    const target = named(resources, type, name);
    return resources.map((r) => (r === target ? { ...r, inputs: { ...r.inputs, ...inputs }, outputs: { ...r.outputs, ...inputs } } : r));
}

export const groupId = (resources: Resources, name: string) => String(named(resources, "aws:ec2/securityGroup:SecurityGroup", name).outputs.id);

export const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** "from → to ports" of each flow that fails its expectation (a needed one unreachable, a forbidden one reachable). */
export const failing = (report: ReachabilityReport) =>
    report.flows
        .filter((f) => !f.ok)
        .map((f) => `${f.from} → ${f.to} ${f.ports}`)
        .sort();
