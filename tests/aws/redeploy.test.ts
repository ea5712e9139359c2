// Issue 21, fixes 5 and 7: what a later deploy, a replace or a second destroy meets. ECS native
// blue/green keeps alternating its target groups deploy after deploy: three deploys are replayed,
// after each the state ECS leaves (the target groups swapped), then what the engine sends against the
// program with its resource options applied (tests/helpers/engine-diff.ts). Final snapshots are named
// once per resource instance, so a second destroy or replace never meets the first one's snapshot.
import { strict as assert } from "node:assert";
import { mockRandomHex as mockHex } from "../../lib/mocks";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { applyIgnoreChanges, applyUpdate, updatedPaths } from "../helpers/engine-diff";
import { ofType, stackPlan, stackPlanAs } from "../helpers/plan";
import { awsStacks, one, TYPES } from "./helpers";

type Properties = Record<string, unknown>;
interface LoadBalancer {
    targetGroupArn: string;
    advancedConfiguration: { alternateTargetGroupArn: string };
}
interface Forward {
    forward: { targetGroups: { arn: string; weight: number }[] };
}

/**
 * A successful ECS blue/green deployment leaves the green target group as the service's production one
 * and blue as its alternate, and the listener rule forwarding to green (ECS developer guide, "Amazon ECS
 * blue/green deployments"; the state terraform-provider-aws reads back, hashicorp/terraform-provider-aws#45678).
 */
function afterBlueGreen(state: Properties): Properties {
    const swapped = structuredClone(state);
    if (Array.isArray(swapped.loadBalancers))
        swapped.loadBalancers = (swapped.loadBalancers as LoadBalancer[]).map((lb) => ({
            ...lb,
            targetGroupArn: lb.advancedConfiguration.alternateTargetGroupArn,
            advancedConfiguration: { ...lb.advancedConfiguration, alternateTargetGroupArn: lb.targetGroupArn },
        }));
    if (Array.isArray(swapped.actions))
        for (const action of swapped.actions as Forward[])
            action.forward.targetGroups = action.forward.targetGroups.map((g) => ({ ...g, weight: 100 - g.weight }));
    return swapped;
}

interface Deploy {
    readonly sent: string[];
    readonly state: Properties;
}

/** Creates `resource` (no swap: the first deployment fills the production group), then deploys `releases` new images, ECS swapping after each. */
function replay(resource: PlanResource, ignoreChanges: readonly string[], releases: number): Deploy[] {
    let oldInputs: Properties = resource.inputs;
    let state: Properties = structuredClone(resource.inputs);
    const deploys: Deploy[] = [];
    for (let release = 1; release <= releases; release++) {
        const program =
            resource.type === TYPES.service
                ? { ...resource.inputs, taskDefinition: `${String(resource.inputs.taskDefinition)}:release-${release}` }
                : resource.inputs;
        const inputs = applyIgnoreChanges(program, oldInputs, ignoreChanges);
        const sent = updatedPaths(state, inputs, ignoreChanges);
        state = afterBlueGreen(applyUpdate(state, inputs, sent));
        oldInputs = inputs;
        deploys.push({ sent, state });
    }
    return deploys;
}

describe("prod: ECS native blue/green alternates its target groups on every deploy (issue 21, fix 5)", () => {
    let plan: Plan;
    let blueGreen: PlanResource[];
    before(async () => {
        plan = await stackPlan("prod");
        blueGreen = ofType(plan, TYPES.service).filter((s) => (s.inputs.deploymentConfiguration as { strategy: string }).strategy === "BLUE_GREEN");
    });
    const rulesOf = (service: PlanResource) =>
        ofType(plan, "aws:lb/listenerRule:ListenerRule").filter((r) =>
            (service.inputs.loadBalancers as { advancedConfiguration: { productionListenerRule: string } }[]).some(
                (lb) => lb.advancedConfiguration.productionListenerRule === `arn:aws:lb:us-east-1:123456789012:${r.name}`,
            ),
        );

    it("three deploys of a new image: each reaches the service and none re-sends loadBalancers or the rule's weights", () => {
        assert.deepEqual(blueGreen.map((s) => s.name).sort(), ["backend", "frontend"]);
        for (const service of blueGreen) {
            const deploys = replay(service, service.options.ignoreChanges, 3);
            deploys.forEach(({ sent, state }, i) => {
                assert.ok(sent.includes("taskDefinition"), `${service.name} deploy ${i + 1}: the new image reaches the service (${sent.join(", ")})`);
                assert.deepEqual(
                    sent.filter((p) => p.startsWith("loadBalancers")),
                    [],
                    `${service.name} deploy ${i + 1}`,
                );
                // ECS alternates: production is green after the first update, blue after the second...
                const production = (state.loadBalancers as LoadBalancer[])[0].targetGroupArn;
                assert.match(production, i % 2 === 0 ? /-green$/ : /-blue$/, `${service.name} after update ${i + 1}`);
            });
            const [rule] = rulesOf(service);
            assert.ok(rule, `${service.name}: its production listener rule`);
            for (const { sent } of replay(rule, rule.options.ignoreChanges, 3)) assert.deepEqual(sent, [], `${rule.name}: ECS owns the weights`);
        }
    });

    it("without the option the replay catches the provider re-sending loadBalancers from the third deploy on (the second update)", () => {
        for (const service of blueGreen) {
            const resends = replay(
                service,
                service.options.ignoreChanges.filter((p) => p !== "loadBalancers"),
                3,
            ).map(({ sent }) => sent.some((p) => p.startsWith("loadBalancers[0].targetGroupArn")));
            assert.deepEqual(resends, [false, true, true], service.name);
        }
    });

    it("rolling services keep loadBalancers managed by the program", async () => {
        const staging = await stackPlan("staging");
        for (const service of ofType(staging, TYPES.service)) assert.ok(!service.options.ignoreChanges.includes("loadBalancers"), service.name);
        for (const service of ofType(plan, TYPES.service).filter((s) => !blueGreen.includes(s)))
            assert.ok(!service.options.ignoreChanges.includes("loadBalancers"), service.name);
    });
});

// The inputs whose change replaces each resource (terraform-provider-aws marks them ForceNew), which
// must draw a new final snapshot name; the random provider replaces a RandomId when its keepers change.
const REPLACED_BY = {
    [TYPES.rds]: ["identifier", "kmsKeyId", "dbName", "username"],
    [TYPES.redis]: ["replicationGroupId", "kmsKeyId", "subnetGroupName"],
} as const;
const RANDOM_ID = "random:index/randomId:RandomId";

for (const stack of awsStacks)
    describe(`${stack}: a second destroy or replace finds no snapshot of the same name (issue 21, fix 7)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });

        for (const [type, name] of [
            [TYPES.rds, "database-postgres"],
            [TYPES.redis, "cache-redis"],
        ] as const)
            it(`${name}: its final snapshot is named <base>-<random hex>, drawn again whenever the resource is replaced`, () => {
                const resource = one(plan, type, name);
                const identifier = String(resource.inputs.finalSnapshotIdentifier);
                const ids = ofType(plan, RANDOM_ID).filter((r) => resource.dependencies.includes(r.urn));
                assert.equal(ids.length, 1, `${name}: one random id in its inputs`);
                const [id] = ids;
                assert.equal(id.inputs.byteLength, 4);
                assert.match(identifier, /-[0-9a-f]{8}$/);
                // A resource, not a constant: a stack destroyed and brought up again draws a new one.
                assert.equal(identifier, `${String(resource.inputs.finalSnapshotIdentifier).slice(0, -8)}${mockHex(id.name)}`);
                const keepers = id.inputs.keepers as Record<string, string>;
                for (const input of REPLACED_BY[type]) assert.equal(keepers[input], String(resource.inputs[input]), `${name}: keepers.${input}`);
            });

        it("another stack, or the same one re-identified, draws its own names", async () => {
            const other = await stackPlanAs(stack, `${stack}-copy`);
            for (const [type, name] of [
                [TYPES.rds, "database-postgres"],
                [TYPES.redis, "cache-redis"],
            ] as const) {
                const [a, b] = [one(plan, type, name), one(other, type, name)];
                const keepersOf = (p: Plan, r: PlanResource) =>
                    ofType(p, RANDOM_ID).find((k) => r.dependencies.includes(k.urn))!.inputs.keepers as Record<string, string>;
                assert.notDeepEqual(keepersOf(plan, a), keepersOf(other, b), `${name}: a new identifier replaces the random id`);
            }
        });
    });
