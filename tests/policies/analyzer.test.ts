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
import { type CheckedResource, evaluate, stackSettings } from "../../policies/offline";
import { rules } from "../../policies/rules";
import { planResources } from "../../policies/input/read";
import { projectDir, stackPlan } from "../helpers/plan";
import { resource, T } from "./helpers";
import { TS_HOOK } from "../helpers/hook";

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
    for (const [name, settings] of stackSettings(stack)) {
        const config = new pb.PolicyConfig();
        config.setEnforcementlevel(LEVEL[settings.enforcementLevel]);
        const waivers = settings.waivers?.length ? { waivers: settings.waivers } : {};
        config.setProperties(struct({ ...settings.properties, ...waivers, ...extra[name] }));
        configure.getPolicyconfigMap().set(name, config);
    }
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

/** What the offline check reports that the pack reports too: under the CLI a waived finding is logged, not a violation. */
async function offline(stack: string, resources: CheckedResource[]): Promise<string[]> {
    return (await evaluate(resources, stackSettings(stack)))
        .filter((v) => !v.waived)
        .map((v) => `${v.policy} ${v.enforcement} ${v.urn} ${v.message}`)
        .sort();
}

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
            rules.map((r) => r.name).sort(),
        );
        for (const policy of info.getPoliciesList()) {
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
        for (const policy of info.getPoliciesList()) {
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
        const waiver = { resource: "web", reason: "a sidecar with no port to probe (SEC-9)", expires: "2999-12-31" };
        assert.deepEqual(healthFindings(await analyze(client, "prod", [container], { "health-checks": { waivers: [waiver] } })), []);
        assert.match(serverLog, new RegExp(`policy health-checks: waived on ${container.urn.replace(/[$]/g, "\\$")} until 2999-12-31`));
    });

    it("honours waivers from the policy config: a holding one silences its finding, an expired one waives nothing and says so", async () => {
        const resources = await brokenProd();
        const task = resources.find((r) => r.type === T.task);
        const instance = resources.find((r) => r.type === T.rds);
        assert.ok(task && instance);
        const served = await analyze(client, "prod", resources, {
            "container-non-root": { waivers: [{ resource: task.name, reason: "vendor image, fixed upstream in 2.0 (SEC-7)", expires: "2999-12-31" }] },
            "rds-force-ssl": { waivers: [{ resource: `${instance.name.slice(0, 4)}*`, reason: "migration window", expires: "2020-01-31" }] },
        });
        assert.deepEqual(
            served.map((l) => l.split(" ").slice(0, 3).join(" ")).filter((l) => l.split(" ")[1] === "mandatory"),
            [`rds-force-ssl mandatory ${instance.urn}`],
        );
        // Not a violation (the engine would fail on it), but never dropped silently: the pack logs it.
        assert.match(
            serverLog,
            new RegExp(
                `policy container-non-root: waived on ${task.urn.replace(/[$]/g, "\\$")} until 2999-12-31 \\(vendor image, fixed upstream in 2\\.0 \\(SEC-7\\)\\): (?:\\S+: )?Containers must run as a non-root user`,
            ),
        );
        assert.match(
            served.find((l) => l.startsWith("rds-force-ssl ")) ?? "",
            /\(the waiver for "[^"]+\*" expired on 2020-01-31, so it waives nothing: fix the resource or renew the waiver\)$/,
        );
    });
});
