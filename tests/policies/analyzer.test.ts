// The pack as the Pulumi CLI runs it: policies/index.ts started as its own process serves the
// analyzer gRPC protocol; configured with a stack's config file and sent every resource of the real
// plans (analyze per resource, analyzeStack for the whole stack), it reports exactly what the offline
// check reports, so `pulumi preview --policy-pack policies` and `npm run check` agree.
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as Grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import { type CheckedResource, evaluate, stackSettings, stackUrnOf } from "../../policies/offline";
import { daysAfter, HORIZON_KEY, parseWaivers, todayUtc } from "../../policies/waivers";
import { rules } from "../../policies/rules";
import { planResources } from "../../policies/input/read";
import { projectDir, stackPlan } from "../helpers/plan";
import { resource, T } from "./helpers";
import { TS_HOOK } from "../helpers/hook";
import { eventually } from "../helpers/eventually";

// The SDK's own copies of grpc and the protobuf runtime, as the policy server uses them.
const sdkRequire = createRequire(require.resolve("@pulumi/pulumi"));
const grpc = sdkRequire("@grpc/grpc-js") as typeof Grpc;
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;
const { Empty } = sdkRequire("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;

const LEVEL = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    disabled: pb.EnforcementLevel.DISABLED,
    remediate: pb.EnforcementLevel.REMEDIATE,
};
const LEVEL_NAME = new Map(Object.entries(LEVEL).map(([k, v]) => [v, k]));

/** Plain JSON values (the plan's inputs and outputs are parsed JSON). */
const struct = (value: Record<string, unknown>) => Struct.fromJavaScript(value as Record<string, StructPb.JavaScriptValue>);

/** Settles a promise from a unary call's callback. */
function settle<T>(resolve: (value: T) => void, reject: (err: Error) => void) {
    return (err: Error | null, response: T) => (err ? reject(err) : resolve(response));
}

interface ResourceMessage {
    setType(type: string): void;
    setUrn(urn: string): void;
    setName(name: string): void;
    setProperties(properties: StructPb.Struct): void;
    setOptions(options: pb.AnalyzerResourceOptions): void;
}

/** Fills an AnalyzeRequest (properties: inputs) or a stack's AnalyzerResource (properties: outputs) as the engine does. */
function analyzerMessage<M extends ResourceMessage>(message: M, resource: CheckedResource, properties: Record<string, unknown>): M {
    const options = new pb.AnalyzerResourceOptions();
    options.setProtect(resource.protect);
    if (resource.parent) options.setParent(resource.parent);
    message.setType(resource.type);
    message.setUrn(resource.urn);
    message.setName(resource.name);
    message.setProperties(struct(properties));
    message.setOptions(options);
    return message;
}

/** What the analyzer reports, as "policy enforcement urn message" lines; `extra` adds to a policy's config properties (e.g. waivers). */
async function analyze(
    client: AnalyzerClient,
    stack: string,
    resources: CheckedResource[],
    extra: Record<string, Record<string, unknown>> = {},
): Promise<string[]> {
    const configure = new pb.ConfigureAnalyzerRequest();
    // The CLI resolves "all" and sends every policy its own level and properties, the config's waivers among them.
    const settingsOf = stackSettings(stack);
    for (const [name, settings] of settingsOf) {
        const config = new pb.PolicyConfig();
        config.setEnforcementlevel(LEVEL[settings.enforcementLevel]);
        const waivers = settings.waivers?.length ? { waivers: settings.waivers } : {};
        config.setProperties(struct({ ...settings.properties, ...waivers, ...extra[name] }));
        configure.getPolicyconfigMap().set(name, config);
    }
    // The config file's "waiver-horizon" key goes to the policy of that name.
    const horizon = new pb.PolicyConfig();
    horizon.setEnforcementlevel(LEVEL.mandatory);
    horizon.setProperties(struct({ days: [...settingsOf.values()][0].waiverHorizonDays, ...extra[HORIZON_KEY] }));
    configure.getPolicyconfigMap().set(HORIZON_KEY, horizon);
    await new Promise((resolve, reject) => client.configure(configure, settle(resolve, reject)));
    const lines: string[] = [];
    const record = (diagnostics: pb.AnalyzeDiagnostic[], urn?: string) => {
        for (const d of diagnostics) {
            // The server prefixes the rule's description to the reported message.
            lines.push(
                `${d.getPolicyname()} ${LEVEL_NAME.get(d.getEnforcementlevel())} ${urn ?? d.getUrn()} ${d.getMessage().split("\n").slice(1).join("\n")}`,
            );
        }
    };
    const responses = await Promise.all(
        resources.map((r) => {
            const request = analyzerMessage(new pb.AnalyzeRequest(), r, r.inputs);
            return new Promise<pb.AnalyzeResponse>((resolve, reject) => client.analyze(request, settle(resolve, reject)));
        }),
    );
    responses.forEach((response, i) => record(response.getDiagnosticsList(), resources[i].urn));
    const stackRequest = new pb.AnalyzeStackRequest();
    for (const r of resources) {
        const resource = analyzerMessage(new pb.AnalyzerResource(), r, r.outputs);
        if (r.parent) resource.setParent(r.parent);
        stackRequest.addResources(resource);
    }
    record((await new Promise<pb.AnalyzeResponse>((resolve, reject) => client.analyzeStack(stackRequest, settle(resolve, reject)))).getDiagnosticsList());
    return lines.sort();
}

/** A waiver's expiry within the horizon. */
const WITHIN = daysAfter(todayUtc(), 30);

/**
 * What the offline check reports that the pack reports too: under the CLI a waived finding, and a
 * waiver that waives nothing, are logged, not violations; a waiver's own finding has its rule's level.
 */
async function offlineWith(stack: string, resources: CheckedResource[], extra: Record<string, Record<string, unknown>> = {}): Promise<string[]> {
    const settings = stackSettings(stack);
    for (const [name, added] of Object.entries(extra)) {
        const base = settings.get(name);
        if (base) settings.set(name, { ...base, waivers: parseWaivers(added.waivers, name, (m) => new Error(m)) });
    }
    const horizon = extra[HORIZON_KEY]?.days;
    if (typeof horizon === "number") for (const [name, s] of settings) settings.set(name, { ...s, waiverHorizonDays: horizon });
    return (await evaluate(resources, settings))
        .filter((v) => !v.waived && !/waives no finding of this check/.test(v.message))
        .map((v) => `${v.policy} ${settings.get(v.policy)?.enforcementLevel ?? v.enforcement} ${v.urn} ${v.message}`)
        .sort();
}

const offline = (stack: string, resources: CheckedResource[]) => offlineWith(stack, resources);

describe("policy pack served to the Pulumi engine (analyzer gRPC)", () => {
    let server: ChildProcess;
    let client: AnalyzerClient;
    /** What the pack wrote to stderr (the CLI keeps it in its logs): waived findings, errors. */
    let serverLog = "";

    before(async () => {
        // As the CLI starts a policy pack: its own directory, PulumiPolicy.yaml's node arguments.
        server = spawn(process.execPath, ["--require", TS_HOOK, "index.ts"], {
            cwd: path.join(projectDir, "policies"),
            stdio: ["ignore", "pipe", "pipe"],
        });
        server.stderr?.on("data", (chunk: Buffer) => (serverLog += chunk.toString()));
        const port = await new Promise<string>((resolve, reject) => {
            server.stdout?.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
            server.once("exit", (code) => reject(new Error(`the policy pack exited with ${code} before serving`)));
        });
        assert.match(port, /^\d+$/);
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });
    after(() => {
        client?.close();
        server?.kill();
    });

    it("describes the pack: its name, every rule and the mandatory default", async () => {
        const info = await new Promise<pb.AnalyzerInfo>((resolve, reject) => client.getAnalyzerInfo(new Empty(), settle(resolve, reject)));
        assert.equal(info.getName(), "osint-platform-security");
        assert.deepEqual(
            info
                .getPoliciesList()
                .map((p) => p.getName())
                .sort(),
            [HORIZON_KEY, ...rules.map((r) => r.name)].sort(),
        );
        for (const policy of info.getPoliciesList().filter((p) => p.getName() !== HORIZON_KEY)) {
            assert.equal(policy.getEnforcementlevel(), LEVEL.mandatory, policy.getName());
            // `pulumi preview` shows the description: it ends with the rule's controls.
            const rule = rules.find((r) => r.name === policy.getName());
            assert.ok(rule && policy.getDescription().endsWith(` Controls: ${rule.controls.join(", ")}.`), policy.getName());
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`reports for the ${stack} plan exactly what the offline check reports`, async () => {
            const resources = await planResources(await stackPlan(stack));
            const served = await analyze(client, stack, resources);
            assert.deepEqual(served, await offline(stack, resources));
            // Only the rules the stack's config makes advisory report at all (dev: some always do).
            const advisory = [...stackSettings(stack)].filter(([, s]) => s.enforcementLevel === "advisory").map(([name]) => `${name} advisory`);
            assert.ok(
                served.every((l) => advisory.includes(l.split(" ").slice(0, 2).join(" "))),
                served.join("\n"),
            );
            if (stack === "dev") assert.ok(served.length > 0);
        });
    }

    /** The prod plan with a root ECS container (container-non-root) and no rds.force_ssl (rds-force-ssl, a stack rule). */
    async function brokenProd(): Promise<CheckedResource[]> {
        const plan = structuredClone(await stackPlan("prod"));
        const group = plan.resources.find((r) => r.type === T.parameterGroup);
        const task = plan.resources.find((r) => r.type === T.task);
        assert.ok(group && task);
        group.inputs.parameters = (group.inputs.parameters as { name: string }[]).filter((p) => p.name !== "rds.force_ssl");
        const containers = JSON.parse(task.inputs.containerDefinitions as string) as { user?: string }[];
        containers[0].user = "root";
        task.inputs.containerDefinitions = JSON.stringify(containers);
        return planResources(plan);
    }

    it("reports a broken resource rule and a broken stack rule as mandatory in prod, as the offline check does", async () => {
        const resources = await brokenProd();
        const served = await analyze(client, "prod", resources);
        assert.deepEqual(served, await offline("prod", resources));
        assert.deepEqual(
            served.map((l) => l.split(" ").slice(0, 2).join(" ")).filter((l) => l.endsWith(" mandatory")),
            ["container-non-root mandatory", "rds-force-ssl mandatory"],
        );
    });

    it("declares `waivers` in every policy's config schema, so `--policy-pack-config` may carry them", async () => {
        const info = await new Promise<pb.AnalyzerInfo>((resolve, reject) => client.getAnalyzerInfo(new Empty(), settle(resolve, reject)));
        for (const policy of info.getPoliciesList().filter((p) => p.getName() !== HORIZON_KEY)) {
            const waivers = policy.getConfigschema()?.getProperties()?.toJavaScript().waivers as { type?: string; items?: { required?: string[] } } | undefined;
            assert.equal(waivers?.type, "array", policy.getName());
            assert.deepEqual(waivers?.items?.required, ["resource", "expires"], policy.getName());
        }
    });

    // health-checks judges containers one by one and task definitions as a stack: waivers must hold on both paths.
    it("honours a waiver in a rule that has both resource and stack validations", async () => {
        const container = resource(T.container, { name: "web", image: "nginx:1.27.3", user: "101:101" }, { name: "web" });
        const healthFindings = (lines: string[]) => lines.filter((l) => l.startsWith("health-checks ")).map((l) => l.split(" ").slice(0, 3).join(" "));
        assert.deepEqual(healthFindings(await analyze(client, "prod", [container])), [`health-checks mandatory ${container.urn}`]);
        const waiver = { resource: "web", reason: "a sidecar with no port to probe (SEC-9)", expires: WITHIN };
        assert.deepEqual(healthFindings(await analyze(client, "prod", [container], { "health-checks": { waivers: [waiver] } })), []);
        // The server writes its log on stderr, which may arrive after the analysis's reply.
        const logged = new RegExp(`policy health-checks: waived on ${container.urn.replace(/[$]/g, "\\$")} until ${WITHIN}`);
        await eventually(
            () => logged.test(serverLog),
            () => `the server's log names the waiver: ${serverLog.slice(-2000)}`,
        );
    });

    it("honours waivers from the policy config: a holding one silences its finding, an expired one waives nothing and says so", async () => {
        const resources = await brokenProd();
        const task = resources.find((r) => r.type === T.task);
        const instance = resources.find((r) => r.type === T.rds);
        assert.ok(task && instance);
        const extra = {
            "container-non-root": { waivers: [{ resource: task.name, reason: "vendor image, fixed upstream in 2.0 (SEC-7)", expires: WITHIN }] },
            "rds-force-ssl": { waivers: [{ resource: `${instance.name.slice(0, 4)}*`, reason: "migration window", expires: "2020-01-31" }] },
        };
        const served = await analyze(client, "prod", resources, extra);
        assert.deepEqual(served, await offlineWith("prod", resources, extra));
        assert.deepEqual(
            served.map((l) => l.split(" ").slice(0, 3).join(" ")).filter((l) => l.split(" ")[1] === "mandatory"),
            [`rds-force-ssl mandatory ${instance.urn}`, `rds-force-ssl mandatory ${stackUrnOf(resources)}`].sort(),
        );
        // Not a violation (the engine would fail on it), but never dropped silently: the pack logs it.
        const logged = new RegExp(
            `policy container-non-root: waived on ${task.urn.replace(/[$]/g, "\\$")} until ${WITHIN} \\(vendor image, fixed upstream in 2\\.0 \\(SEC-7\\)\\): (?:\\S+: )?Containers must run as a non-root user`,
        );
        await eventually(
            () => logged.test(serverLog),
            () => `the server's log names the waiver: ${serverLog.slice(-2000)}`,
        );
        assert.ok(
            served.some((l) => /^rds-force-ssl mandatory \S+ waivers\[0\]: the waiver for "[^"]+\*" expired on 2020-01-31, so it waives nothing/.test(l)),
            served.join("\n"),
        );
    });

    // The same waiver semantics as the offline check, from the same library (policies/waivers judgeWaivers).
    describe("judges waivers over the whole stack, as the offline check does", () => {
        /** Two root containers: container-non-root finds both. */
        const containers = () => [
            resource(T.container, { name: "web", image: "nginx:1.27.3", user: "root" }, { name: "web" }),
            resource(T.container, { name: "worker", image: "nginx:1.27.3", user: "root" }, { name: "worker" }),
        ];
        const lines = (served: string[]) => served.filter((l) => l.startsWith("container-non-root ")).map((l) => l.replace(/ urn:\S+/, ""));
        const waiver = (fields: Record<string, unknown>) => ({
            "container-non-root": { waivers: [{ reason: "vendor images (SEC-7)", expires: WITHIN, ...fields }] },
        });

        it('a waiver naming two resources without "allowMany" waives nothing and is reported; with it, both findings are waived', async () => {
            const resources = containers();
            const many = await analyze(client, "dev", resources, waiver({ resource: "*" }));
            assert.deepEqual(many, await offlineWith("dev", resources, waiver({ resource: "*" })));
            const found = lines(many);
            assert.equal(found.filter((l) => /non-root user/.test(l)).length, 2, found.join("\n"));
            assert.ok(
                found.some((l) => /waivers\[0\]: the waiver for "\*" names 2 resources \(web, worker\), so it waives nothing/.test(l)),
                found.join("\n"),
            );
            const allowed = await analyze(client, "dev", resources, waiver({ resource: "*", allowMany: true }));
            assert.deepEqual(lines(allowed), []);
            assert.deepEqual(allowed, await offlineWith("dev", resources, waiver({ resource: "*", allowMany: true })));
        });

        it("an expiry beyond the horizon waives nothing, as if expired; within it, or with a longer horizon, it holds", async () => {
            const resources = containers().slice(0, 1);
            const far = daysAfter(todayUtc(), 400);
            const beyond = await analyze(client, "dev", resources, waiver({ resource: "web", expires: far }));
            assert.deepEqual(beyond, await offlineWith("dev", resources, waiver({ resource: "web", expires: far })));
            assert.ok(
                lines(beyond).some((l) => /beyond the 365-day horizon/.test(l)),
                beyond.join("\n"),
            );
            assert.equal(lines(beyond).filter((l) => /non-root user/.test(l)).length, 1);
            const longer = { ...waiver({ resource: "web", expires: far }), [HORIZON_KEY]: { days: 500 } };
            assert.deepEqual(lines(await analyze(client, "dev", resources, longer)), []);
            assert.deepEqual(lines(await analyze(client, "dev", resources, waiver({ resource: "web" }))), []);
        });

        it("a waiver that waives no finding is logged, failing nothing; one that waives a finding is not", async () => {
            const resources = containers().slice(0, 1);
            serverLog = "";
            assert.deepEqual(lines(await analyze(client, "dev", resources, waiver({ resource: "nothing-by-this-name" }))).length, 1);
            const unused = /policy container-non-root: waivers\[0\]: the waiver for "nothing-by-this-name" waives no finding of this check/;
            await eventually(
                () => unused.test(serverLog),
                () => `the server's log names the unused waiver: ${serverLog.slice(-2000)}`,
            );
            serverLog = "";
            assert.deepEqual(lines(await analyze(client, "dev", resources, waiver({ resource: "web" }))), []);
            assert.doesNotMatch(serverLog, /waives no finding/);
        });
    });
});
