// No rule throws, whatever JSON value any property holds: fast-check puts arbitrary JSON, secrets in
// each of their forms (the plan's "[secret]", a stack export's ciphertext object, the plaintext
// signature object) and JSON-looking strings at any path of real resources, for every rule and every
// resource type it validates, and runs the rule as the offline check does (a throw is a RuleError).
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { type CheckedResource, resolveSettings, runRule } from "../../policies/offline";
import { isRecord } from "../../policies/lib/values";
import { rules } from "../../policies/rules";
import { planResources } from "../../policies/input/read";
import { stackPlan } from "../helpers/plan";
import { CASES, type Fixture } from "./fixtures";
import { resource } from "./helpers";

type Json = unknown;

// Pulumi's secret signature (@pulumi/pulumi runtime/rpc.js specialSigKey, specialSecretSig).
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const secretForms = fc.constantFrom<Json>(
    "[secret]",
    "[unknown]",
    { [SIG]: SECRET, ciphertext: "v1:3Fq0iKxk:cGFzc3dvcmQ=" },
    { [SIG]: SECRET, value: "hunter2" },
    { [SIG]: SECRET, value: ["a=b"] },
);
const anyValue: fc.Arbitrary<Json> = fc.oneof(
    secretForms,
    fc.jsonValue({ maxDepth: 3 }),
    fc.json({ maxDepth: 2 }),
    fc.array(fc.oneof(secretForms, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(secretForms, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 3 }),
);

/** Inputs with an ECS task's containerDefinitions opened up, so a mutation can reach inside them. */
function opened(inputs: Record<string, unknown>): Record<string, unknown> {
    if (typeof inputs.containerDefinitions !== "string") return structuredClone(inputs);
    try {
        return { ...structuredClone(inputs), containerDefinitions: JSON.parse(inputs.containerDefinitions) as unknown };
    } catch {
        return structuredClone(inputs);
    }
}

type Path = readonly (string | number)[];

/** The path of every value inside `value` (records, arrays and leaves alike). */
function pathsOf(value: Json, prefix: Path = []): Path[] {
    const children: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : isRecord(value) ? Object.entries(value) : [];
    return children.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** `root` with the value at `path` replaced. */
function replaced(root: Record<string, unknown>, path: Path, value: Json): Record<string, unknown> {
    const copy = structuredClone(root);
    let node = copy as Record<string | number, Json>;
    for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
    node[path[path.length - 1]] = value;
    return copy;
}

const asChecked = (f: Fixture): CheckedResource => resource(f.type, structuredClone(f.inputs), { name: f.name, protect: f.protect });

interface Target {
    readonly set: CheckedResource[];
    readonly victim: CheckedResource;
    readonly path: Path;
}

describe("no rule throws on any JSON value in any property", () => {
    let sets: CheckedResource[][];
    before(async () => {
        const plans = await Promise.all(["dev", "prod"].map(async (stack) => planResources(await stackPlan(stack))));
        // The hardened fixtures and every failing variant of them (which set the properties a hardened
        // resource leaves out), plus the real plans' resources.
        const fixtureSets = CASES.flatMap((c) => [
            c.hardened().map(asChecked),
            ...c.failures.map((failure) => {
                const fixtures = c.hardened();
                failure.apply(fixtures);
                return fixtures.map(asChecked);
            }),
        ]);
        sets = [...fixtureSets, ...plans];
    });

    /** One target per resource type and property path the rule can see, across every set. */
    function targets(types: ReadonlySet<string> | "all"): Target[] {
        const seen = new Set<string>();
        return sets.flatMap((set) =>
            set
                .filter((r) => types === "all" || types.has(r.type))
                .flatMap((victim) =>
                    pathsOf(opened(victim.inputs))
                        .filter((path) => {
                            const id = `${victim.type} ${path.map((p) => (typeof p === "number" ? "[]" : p)).join(".")}`;
                            return !seen.has(id) && Boolean(seen.add(id));
                        })
                        // A counterexample names the resource and path, not the whole set.
                        .map((path) => ({ set, victim, path, [fc.toStringMethod]: () => `${victim.urn} at ${path.join(".")}` })),
                ),
        );
    }

    for (const rule of rules) {
        it(`${rule.name}`, async () => {
            const settings = resolveSettings({}, "tests").get(rule.name);
            assert.ok(settings);
            const validated = new Set(
                ("validateResource" in rule && rule.validateResource ? [rule.validateResource].flat() : []).map(
                    (v) => (v as { __pulumiType?: string }).__pulumiType ?? "",
                ),
            );
            // A stack rule reads resources of any type, so every property of every resource is a target.
            const all = targets("validateStack" in rule ? "all" : validated);
            assert.ok(all.length > 0, `no fixture holds a type ${rule.name} validates`);
            await fc.assert(
                fc.asyncProperty(fc.constantFrom(...all), anyValue, fc.boolean(), async ({ set, victim, path }, value, restring) => {
                    let inputs = replaced(opened(victim.inputs), path, value);
                    if (restring && Array.isArray(inputs.containerDefinitions))
                        inputs = { ...inputs, containerDefinitions: JSON.stringify(inputs.containerDefinitions) };
                    const changed: CheckedResource = { ...victim, inputs, outputs: { ...victim.outputs, ...inputs } };
                    // runRule turns a throw into a RuleError: the property fails on any throw.
                    await runRule(
                        rule,
                        set.map((r) => (r === victim ? changed : r)),
                        settings,
                    );
                }),
                // Stack rules re-read the whole set each run, so they get fewer runs over their (many) targets.
                { numRuns: Math.min(3 * all.length, "validateStack" in rule ? 600 : 1500) },
            );
        });
    }
});
