// The offline check's inputs and command line: files as the Pulumi CLI writes them (tests/fixtures/pulumi,
// written to its own types), the plan JSON, and the verdict each gives; a bad argument or file exits 2.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { type CheckedResource, evaluate, resolveSettings, RuleError, runRule, stackSettings } from "../../policies/offline";
import type { Rule } from "../../policies/rules";
import { propertyOf } from "../../policies/lib/report";
import { fails } from "../../policies/report/findings";
import { InputError, planResources, readInput, stackOfUrns } from "../../policies/input/read";
import { DEFAULT_HORIZON_DAYS } from "../../policies/waivers";
import type { Plan } from "../../lib/plan-engine";
import { projectDir, stackPlan } from "../helpers/plan";
import { resource, T } from "./helpers";

const FIXTURES = path.join(projectDir, "tests", "fixtures", "pulumi");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");
const SIG = "4dabf18193072939515e22adb298388d";

/** The plan as `pulumi preview --json` prints it: one step per resource, plus a deletion. */
async function asPreview(plan: Plan): Promise<string> {
    const outputs = new Map((await planResources(plan)).map((r) => [r.urn, r.outputs]));
    const steps: unknown[] = plan.resources.map((r) => ({
        op: "create",
        urn: r.urn,
        newState: {
            urn: r.urn,
            custom: !r.type.startsWith("osint:") && r.type !== "pulumi:pulumi:Stack",
            type: r.type,
            inputs: r.inputs,
            parent: r.parent ?? undefined,
            protect: r.options.protect,
            id: outputs.get(r.urn)?.id,
        },
    }));
    steps.push({ op: "delete", urn: "urn:pulumi:prod::osint-platform::aws:s3/bucket:Bucket::old", oldState: { type: T.bucket, urn: "x", custom: true } });
    return JSON.stringify({ steps, changeSummary: { create: plan.resources.length, delete: 1 } });
}

/** The plan as `pulumi stack export` writes it after `pulumi up`: ids, inputs and outputs. */
async function asExport(plan: Plan): Promise<string> {
    const resources = (await planResources(plan)).map(({ outputs: { id, ...outputs }, ...r }) => ({
        urn: r.urn,
        custom: !r.type.startsWith("osint:") && r.type !== "pulumi:pulumi:Stack",
        id,
        type: r.type,
        inputs: r.inputs,
        outputs,
        ...(r.parent ? { parent: r.parent } : {}),
        protect: r.protect,
    }));
    return JSON.stringify({ version: 3, deployment: { manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "v3" }, resources } });
}

/** The findings that fail the check: mandatory and not waived. */
function failing(violations: Awaited<ReturnType<typeof evaluate>>): string[] {
    return violations.filter(fails).map((v) => `${v.policy} ${v.urn}`);
}

const urnsOf = (resources: readonly CheckedResource[]) => resources.map((r) => r.urn).sort();
const findingsOf = async (policy: string, resources: CheckedResource[], stack: string) =>
    (await evaluate(resources, stackSettings(stack)))
        .filter((v) => v.policy === policy)
        .map((v) => v.urn.split("::").pop())
        .sort();

describe("offline check: `pulumi stack export` as the CLI writes it (tests/fixtures/pulumi/stack-export.json)", () => {
    const text = fixture("stack-export.json");
    const document = JSON.parse(text) as { deployment: { resources: Record<string, unknown>[]; pending_operations: unknown[] } };

    it("judges the custom resources only: not the Stack, components, providers, pending deletions or pending operations", async () => {
        const { format, resources, stackUrn } = await readInput(text, "state.json");
        assert.equal(format, "export");
        const judged = (r: Record<string, unknown>) => r.custom === true && !String(r.type).startsWith("pulumi:providers:") && r.delete !== true;
        const expected = document.deployment.resources.filter(judged).map((r) => r.urn as string);
        // The fixture holds each kind that must be left out.
        const skipped = document.deployment.resources.filter((r) => !judged(r)).map((r) => r.type);
        assert.deepEqual(skipped, ["pulumi:pulumi:Stack", "pulumi:providers:aws", "osint:data:Database", T.rds]);
        assert.ok(document.deployment.pending_operations.length > 0);
        assert.deepEqual(urnsOf(resources), [...expected].sort());
        assert.equal(stackUrn, "urn:pulumi:prod::osint-platform::pulumi:pulumi:Stack::osint-platform-prod");
        assert.equal(stackOfUrns({ resources, stackUrn: undefined }), "prod");
    });

    it("judges by inputs, by outputs where a state has none (read or imported), and never the replaced copy awaiting deletion", async () => {
        const { resources } = await readInput(text, "state.json");
        assert.deepEqual(await findingsOf("rds-storage-encrypted", resources, "prod"), ["legacy-postgres", "reports-postgres"]);
        const legacy = resources.find((r) => r.name === "legacy-postgres");
        assert.equal(legacy?.inputs.storageEncrypted, false, "outputs stand in for the missing inputs");
    });

    it("reads secrets (the ciphertext object) as opaque, and the engine's source position as file and line", async () => {
        const { resources } = await readInput(text, "state.json");
        const database = resources.find((r) => r.name === "database-postgres");
        assert.ok(database);
        assert.equal(database.inputs.password, "[secret]");
        assert.equal(database.outputs.password, "[secret]");
        assert.doesNotMatch(JSON.stringify(resources), new RegExp(SIG));
        assert.deepEqual(database.source, { file: "components/database/aws.ts", line: 75 });
        assert.equal(resources.find((r) => r.name === "legacy-postgres")?.source, null);
    });
});

describe("offline check: `pulumi preview --json` as the CLI writes it (tests/fixtures/pulumi/preview.json)", () => {
    const text = fixture("preview.json");
    const steps = (JSON.parse(text) as { steps: { op: string; urn: string; newState?: { custom: boolean; type: string } }[] }).steps;
    const LEAVING = ["delete", "delete-replaced", "discard"];

    it("holds a step of every op the engine writes", () => {
        const ops = new Set(steps.map((s) => s.op));
        for (const op of ["same", "create", "update", "replace", "create-replacement", "delete-replaced", "read", "refresh", "import", "delete", "discard"])
            assert.ok(ops.has(op), op);
    });

    it("judges each resource with a new state once (a replacement's steps together), never one on its way out", async () => {
        const { format, resources, stackUrn } = await readInput(text, "preview.json");
        assert.equal(format, "preview");
        const staying = steps.filter((s) => !LEAVING.includes(s.op) && s.newState?.custom && !s.newState.type.startsWith("pulumi:providers:"));
        assert.deepEqual(urnsOf(resources), [...new Set(staying.map((s) => s.urn))].sort());
        for (const s of steps.filter((s) => LEAVING.includes(s.op) && !steps.some((o) => o.urn === s.urn && !LEAVING.includes(o.op))))
            assert.ok(!resources.some((r) => r.urn === s.urn), `${s.op} ${s.urn} is judged`);
        assert.equal(stackUrn, "urn:pulumi:dev::osint-platform::pulumi:pulumi:Stack::osint-platform-dev");
    });

    it("finds the root containers of every judged op, not the hardened ones, nor the deleted or discarded ones", async () => {
        const { resources } = await readInput(text, "preview.json");
        assert.deepEqual(await findingsOf("container-non-root", resources, "dev"), [
            "created-root",
            "imported-root",
            "read-root",
            "replaced-root",
            "updated-root",
        ]);
    });

    it("reads secrets in the plaintext signature form as opaque", async () => {
        const { resources } = await readInput(text, "preview.json");
        assert.doesNotMatch(JSON.stringify(resources), /s3cr3t|4dabf18193072939515e22adb298388d/);
        assert.equal((resources[0].inputs.uploads as { content: unknown }[])[0].content, "[secret]");
    });
});

describe("offline check: the program's own plan in every shape", () => {
    let prod: Plan;
    before(async () => {
        prod = await stackPlan("prod");
    });

    it("reads the same resources from the plan JSON, a preview and an export of it", async () => {
        // The plan JSON records no `custom` flag, so its components (osint:*) are read too; no rule matches them.
        const custom = (r: CheckedResource) => !r.type.startsWith("osint:");
        const judged = urnsOf(
            (await planResources(prod)).filter((r) => custom(r) && r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")),
        );
        for (const [format, text] of [
            ["plan", JSON.stringify(prod)],
            ["preview", await asPreview(prod)],
            ["export", await asExport(prod)],
        ] as const) {
            const input = await readInput(text, `${format}.json`);
            assert.equal(input.format, format);
            assert.deepEqual(urnsOf(input.resources.filter(custom)), judged, format);
            assert.equal(input.stackUrn, prod.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn, format);
        }
    });

    it("gives each shape the verdict of the program's own plan, and catches the same broken property in each", async () => {
        const settings = stackSettings("prod");
        const broken = structuredClone(prod);
        const instance = broken.resources.find((r) => r.type === T.rds);
        assert.ok(instance, "the prod plan has an RDS instance");
        instance.inputs.storageEncrypted = false;
        for (const [format, write] of [
            ["plan", async (p: Plan) => JSON.stringify(p)],
            ["preview", asPreview],
            ["export", asExport],
        ] as const) {
            assert.deepEqual(failing(await evaluate((await readInput(await write(prod), format)).resources, settings)), [], format);
            assert.deepEqual(
                failing(await evaluate((await readInput(await write(broken), format)).resources, settings)),
                [`rds-storage-encrypted ${instance.urn}`],
                format,
            );
        }
    });

    it("keeps each plan resource's source position: the file and line of the `new` that registered it", async () => {
        const resources = await planResources(prod);
        const instance = resources.find((r) => r.type === T.rds);
        assert.ok(instance?.source);
        const line = fs.readFileSync(path.join(projectDir, instance.source.file), "utf8").split("\n")[instance.source.line - 1];
        assert.match(line, /new aws\.rds\.Instance\(/);
        assert.ok(resources.filter((r) => r.type !== "pulumi:pulumi:Stack").every((r) => r.source && !r.source.file.startsWith("/")));
    });
});

describe("offline check: malformed files", () => {
    it("rejects each with a message naming the file, the JSON path, what was expected and what was found", async () => {
        const state = (resource: unknown) => JSON.stringify({ version: 3, deployment: { resources: [resource] } });
        const cases: [string, RegExp][] = [
            ["{", /^f\.json:1:2: expected "}", found the end of the input$/],
            // JSON.parse's own message for this one quotes the text, newline included: never on stderr.
            ["vm\n", /^f\.json:1:1: expected JSON, found "vm"$/],
            ['{"a":\n  [1, 2,\n   3 4]}', /^f\.json:3:6: expected ",", found "4"$/],
            ['{"a": 1,}', /^f\.json:1:9: expected a property name in double quotes, found "}"$/],
            [
                "\n> osint-platform@ plan\n> node tools/plan.ts --json\n\n{}",
                /^f\.json:2:1: expected JSON, found npm's banner \("> osint-platform@ plan"\); save the output of `npm run -s/,
            ],
            [
                "[]",
                /^f\.json: expected the plan JSON \("resources"\), `pulumi preview --json` output \("steps"\) or `pulumi stack export` \("deployment"\), found \[\]/,
            ],
            ['{"name": "x"}', /found an object with keys name/],
            ['{"resources": "x"}', /^f\.json: key resources: expected a list, found "x"$/],
            ['{"deployment": []}', /^f\.json: key deployment: expected an object, found \[\]$/],
            ['{"resources": [{"urn": "urn:pulumi:dev::p::t::n", "inputs": {}}]}', /^f\.json: resources\[0\]\.type: expected a non-empty string, found nothing/],
            [
                '{"steps": [{"op": "create", "newState": {"type": "t", "urn": "u", "custom": true, "inputs": "x"}}]}',
                /^f\.json: steps\[0\]\.newState\.inputs: expected an object, found "x"/,
            ],
            ['{"steps": [{"op": "create"}]}', /^f\.json: steps\[0\]\.newState: expected the resource's new state for op "create", found nothing/],
            ['{"steps": [{"urn": "u"}]}', /^f\.json: steps\[0\]\.op: expected a non-empty string, found nothing/],
            ['{"version": 2, "deployment": {}}', /^f\.json: version: expected a stack export of version 3 or 4, found 2/],
            [state(42), /^f\.json: deployment\.resources\[0\]: expected a resource object, found 42/],
            [state({ urn: "u", type: "t", custom: true, outputs: [] }), /^f\.json: deployment\.resources\[0\]\.outputs: expected an object, found \[\]/],
        ];
        for (const [text, message] of cases) {
            await assert.rejects(readInput(text, "f.json"), (err: Error) => err instanceof InputError && message.test(err.message), text);
        }
    });
});

describe("offline check: unreadable fields", () => {
    it("reports, naming the rule, the resource and the property, a field whose shape no rule can read (never a crash, never a pass)", async () => {
        const file = JSON.stringify({
            resources: [
                {
                    urn: "urn:pulumi:dev::osint-platform::docker:index/container:Container::odd",
                    type: T.container,
                    name: "odd",
                    inputs: { envs: { DB_PASSWORD: "x" } },
                    options: {},
                },
            ],
        });
        const { resources } = await readInput(file, "odd.json");
        const found = (await evaluate(resources, stackSettings("dev"))).filter((v) => v.policy === "no-plaintext-secrets");
        assert.deepEqual(
            found.map((v) => [v.urn, propertyOf(v.message)]),
            [["urn:pulumi:dev::osint-platform::docker:index/container:Container::odd", "envs"]],
        );
    });
});

describe("offline check: policy-pack config", () => {
    it("ships each stack's enforcement and thresholds (backups 7/7/30 days, logs 30/30/90 days)", () => {
        const days = (stack: string, policy: string) => stackSettings(stack).get(policy)?.properties.minimumDays;
        assert.deepEqual(
            ["dev", "staging", "prod"].map((s) => days(s, "backup-retention")),
            [7, 7, 30],
        );
        assert.deepEqual(
            ["dev", "staging", "prod"].map((s) => days(s, "log-retention")),
            [30, 30, 90],
        );
        const advisory = (stack: string) => [...stackSettings(stack)].filter(([, s]) => s.enforcementLevel !== "mandatory").map(([name]) => name);
        // Production-only controls are off in staging; nothing else is lowered.
        assert.deepEqual(advisory("dev"), ["deletion-protection"]);
        assert.deepEqual(advisory("staging").sort(), ["elasticache-automatic-failover", "rds-multi-az"]);
        assert.deepEqual(advisory("prod"), []);
        // Accepted risks carry a reason and an end date, never a lowered level.
        for (const stack of ["staging", "prod"]) {
            const waived = (policy: string) =>
                stackSettings(stack)
                    .get(policy)
                    ?.waivers?.map((w) => w.resource);
            assert.deepEqual(waived("container-read-only-root"), ["playwright"], stack);
            // secrets-manager-kms: waived only for the secret ECR's pull-through cache reads.
            assert.deepEqual(waived("secrets-manager-kms"), ["network-cluster-ghcr-credentials"], stack);
        }
    });

    it('resolves levels as the CLI does: a rule\'s own entry, then "all", then the pack default (mandatory)', () => {
        const settings = resolveSettings(
            { all: "advisory", "image-pinned": "disabled", "backup-retention": { enforcementLevel: "mandatory", minimumDays: 14 } },
            "t",
        );
        assert.equal(settings.get("image-pinned")?.enforcementLevel, "disabled");
        assert.deepEqual(settings.get("backup-retention"), {
            enforcementLevel: "mandatory",
            properties: { minimumDays: 14 },
            waivers: [],
            waiverHorizonDays: DEFAULT_HORIZON_DAYS,
        });
        assert.equal(settings.get("health-checks")?.enforcementLevel, "advisory");
        assert.equal(resolveSettings({}, "t").get("health-checks")?.enforcementLevel, "mandatory");
    });

    it("rejects a config naming an unknown rule, level or threshold", () => {
        assert.throws(
            () => resolveSettings({ "no-such-rule": "mandatory" }, "c.json"),
            /c.json: key no-such-rule: expected "all", "waiver-horizon" or a policy name/,
        );
        assert.throws(() => resolveSettings({ all: "strict" }, "c.json"), /key all: expected one of advisory, mandatory, remediate, disabled, found "strict"/);
        assert.throws(
            () => resolveSettings({ "backup-retention": { minimumDays: 0 } }, "c.json"),
            /key backup-retention.minimumDays: expected integer >= 1, found 0/,
        );
        assert.throws(() => resolveSettings({ "backup-retention": { minimumDays: "30" } }, "c.json"), /found "30"/);
        assert.throws(
            () => resolveSettings({ "image-pinned": { minimumDays: 3 } }, "c.json"),
            /key image-pinned: expected only enforcementLevel, waivers, found minimumDays/,
        );
        assert.throws(() => stackSettings("qa"), /stack qa: no policy config in policies\/config\/ \(expected one of dev, pr, prod, staging\)/);
    });
});

describe("offline check: every rule reads one frozen copy of each resource", () => {
    /** Whether every object and array under `value` is frozen. */
    const frozenThroughout = (value: unknown): boolean =>
        value === null || typeof value !== "object" || (Object.isFrozen(value) && Object.values(value).every(frozenThroughout));

    // A rule that changes what it reads would change what the rules after it see (the analyzer gives each its own copy).
    const writesProps: Rule = {
        name: "writes-props",
        description: "test rule that changes a resource's properties",
        enforcementLevel: "mandatory",
        controls: [],
        severity: "low",
        validateResource: (args) => {
            (args.props as Record<string, unknown>).storageEncrypted = true;
        },
    };
    const writesStack: Rule = {
        name: "writes-stack",
        description: "test rule that changes a stack resource's properties",
        enforcementLevel: "mandatory",
        controls: [],
        severity: "low",
        validateStack: (args) => {
            for (const r of args.resources) (r.props as Record<string, unknown>).storageEncrypted = true;
        },
    };
    const settings = { enforcementLevel: "mandatory", properties: {} } as const;

    it("reads a file's resources frozen to the leaves, secrets replaced in place", async () => {
        const { resources } = await readInput(fixture("stack-export.json"), "state.json");
        assert.ok(resources.every((r) => frozenThroughout(r.inputs) && frozenThroughout(r.outputs)));
        assert.doesNotMatch(JSON.stringify(resources), new RegExp(SIG));
    });

    it("fails a rule that writes to what it reads, for a file's resources and for resources it was handed", async () => {
        const { resources: fromFile } = await readInput(fixture("stack-export.json"), "state.json");
        const handed = resource(T.rds, { storageEncrypted: false, tags: { team: "data" } });
        for (const resources of [fromFile, [handed]])
            for (const rule of [writesProps, writesStack])
                await assert.rejects(
                    runRule(rule, resources, settings),
                    (err: Error) => err instanceof RuleError && /read.only|not extensible/.test(err.message),
                );
        // What it was handed is copied before freezing: the caller's objects stay as they were, and writable.
        assert.equal(handed.inputs.storageEncrypted, false);
        assert.equal(Object.isFrozen(handed.inputs) || Object.isFrozen(handed.inputs.tags), false);
    });
});
