// The offline plan: runs a Pulumi program under mocks and records every registration as the
// engine would receive it (type token, parent, options, serialised inputs with secrets marked).
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { mocks as offlineMocks } from "./mocks";
import { ConfigError } from "../config";
import { SECRET_PLACEHOLDER } from "./placeholders";
import { plainValue } from "./property-values";
import { describeProblems, readStackConfig, StackFileError, type UnvalidatedSecret } from "./stack-config";

/** pulumi.getOrganization() offline: the name the CLI gives a local backend's stacks. */
export const OFFLINE_ORGANIZATION = "organization";

export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly inputs: Record<string, unknown>;
    /** The explicit dependencies (`dependsOn`) as the engine receives them, with the resource's options. */
    readonly options: { readonly protect: boolean; readonly retainOnDelete: boolean; readonly dependsOn: string[]; readonly ignoreChanges: string[] };
    /** The implicit ones: every URN an input's value came from (the registration's propertyDependencies). */
    readonly dependencies: string[];
    /** Where the program registered it (the `new` of the resource), for annotations; null outside the repository. */
    readonly source: SourcePosition | null;
}

/** A file of this repository (relative, "/"-separated) and a 1-based line. */
export interface SourcePosition {
    readonly file: string;
    readonly line: number;
}

const REPO_ROOT = path.resolve(__dirname, "..");

interface SourcePositionMessage {
    getUri(): string;
    getLine(): number;
}

// A file of the repository's own code, relative to its root as the engine stores it
// (pulumi/pulumi pkg/resource/deploy/source_eval.go, parseSourcePosition); null for any other file.
// Worked out once per file: every resource's stack names the same few.
const repositoryFiles = new Map<string, string | null>();

function repositoryFile(uri: string): string | null {
    let file = repositoryFiles.get(uri);
    if (file === undefined) {
        const absolute = fileURLToPath(uri);
        const relative = path.relative(REPO_ROOT, absolute);
        // The stack itself is registered here, by the engine's stand-in, not by the program.
        const outside = absolute === __filename || relative.startsWith("..") || path.isAbsolute(relative) || relative.split(path.sep).includes("node_modules");
        file = outside ? null : relative.split(path.sep).join("/");
        repositoryFiles.set(uri, file);
    }
    return file;
}

function repositoryPosition(position: SourcePositionMessage | undefined): SourcePosition | null {
    const uri = position?.getUri();
    const file = uri?.startsWith("file:") ? repositoryFile(uri) : null;
    return file === null ? null : { file, line: position!.getLine() };
}

// The Node SDK sends the constructor's caller (pulumi/pulumi sdk/nodejs/resource.ts, Resource.stackTrace),
// but only for named frames: a `new` inside an arrow function has none, so the nearest caller in the
// repository stands in (the line of the `.map(...)` or helper call that made it).
function sourceOf(req: RegisterRequest): SourcePosition | null {
    // Called for every resource: stop at the first frame in the repository (usually the first).
    const first = repositoryPosition(req.getSourceposition());
    if (first) return first;
    for (const frame of req.getStacktrace()?.getFramesList() ?? []) {
        const position = repositoryPosition(frame.getPc());
        if (position) return position;
    }
    return null;
}

/**
 * A provider function the program called (a data source such as aws:secretsmanager/getSecretVersion),
 * with the names of its arguments only: the SDK sends invoke arguments unmarked, so a secret one
 * could not be told apart and would reach the plan in plaintext.
 */
export interface PlanInvoke {
    readonly token: string;
    readonly arguments: string[];
}

export interface Plan {
    readonly stack: string;
    readonly project: string;
    readonly resources: PlanResource[];
    readonly outputs: Record<string, unknown>;
    /** Secure values the offline plan could not decrypt, so not validate, and what it planned with instead. */
    readonly unvalidatedSecrets?: UnvalidatedSecret[];
    /** Every invoke, in call order: reads happen at preview time too, with the preview's credentials. */
    readonly invokes: PlanInvoke[];
}

const rt = pulumi.runtime;
// Marks provider outputs secret as the engine does for `additionalSecretOutputs`.
function markSecretOutputs(state: Record<string, unknown>, keys: string[]): Record<string, unknown> {
    const marked = { ...state };
    for (const key of keys) {
        if (key in marked) marked[key] = { [rt.specialSigKey]: rt.specialSecretSig, value: marked[key] };
    }
    return marked;
}

type Callback = (err: Error | null, response?: unknown) => void;
interface Struct {
    toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
    getPropertydependenciesMap(): { forEach(fn: (deps: { getUrnsList(): string[] }) => void): void };
    getAdditionalsecretoutputsList(): string[];
    getObject(): Struct;
    getProvider(): string;
    getImportid(): string;
    getSourceposition(): SourcePositionMessage | undefined;
    getStacktrace(): { getFramesList(): { getPc(): SourcePositionMessage | undefined }[] } | undefined;
}
interface MockMonitorInternals {
    resources: Map<string, { urn: string; id: string | null; state: unknown }>;
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
    registerResourceOutputs(req: { getUrn(): string; getOutputs(): Struct }, callback: Callback): void;
    invoke(req: { getTok(): string; getArgs(): Struct }, callback: Callback): Promise<void>;
}

// Internal to the SDK (not in its typings), stable across 3.x: resolves when every RPC has completed.
function waitForRegistrations(): Promise<void> {
    const settings = rt as unknown as { waitForRPCs?: () => Promise<void> };
    if (typeof settings.waitForRPCs !== "function") throw new Error("@pulumi/pulumi no longer provides runtime.waitForRPCs; pin the version in package.json");
    return settings.waitForRPCs();
}

/**
 * How to record: the offline plan's mocks and "[secret]" by default; the lab (lab/apply) passes mocks
 * that return real values and reveals secrets, to hand them to a real engine.
 */
export interface RecordOptions {
    readonly mocks?: pulumi.runtime.Mocks;
    readonly revealSecrets?: boolean;
}

/** Runs `program` under mocks as stack `stack` of `project` and returns what it registered. */
export async function recordProgram(
    project: string,
    stack: string,
    config: Record<string, string>,
    secretKeys: string[],
    program: () => unknown,
    options: RecordOptions = {},
): Promise<Plan> {
    const { mocks = offlineMocks, revealSecrets = false } = options;
    rt.setAllConfig(config, secretKeys);
    await rt.setMocks(mocks, project, stack, true, OFFLINE_ORGANIZATION);
    const monitor = rt.getMonitor() as unknown as MockMonitorInternals;
    const resources: PlanResource[] = [];
    const invokes: PlanInvoke[] = [];

    const invoke = monitor.invoke.bind(monitor);
    monitor.invoke = (req, callback) => {
        if (req.getTok() !== "pulumi:pulumi:getResource") invokes.push({ token: req.getTok(), arguments: Object.keys(req.getArgs().toJavaScript()).sort() });
        return invoke(req, callback);
    };
    let outputs: Record<string, unknown> = {};

    monitor.registerResource = async (req, callback) => {
        try {
            const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
            const serialisedInputs = req.getObject().toJavaScript();
            const propertyDependencies = new Set<string>();
            req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => propertyDependencies.add(u)));
            resources.push({
                urn,
                type: req.getType(),
                name: req.getName(),
                parent: req.getParent() || null,
                inputs: plainValue(serialisedInputs, revealSecrets) as Record<string, unknown>,
                options: {
                    protect: req.getProtect() === true,
                    retainOnDelete: req.getRetainondelete() === true,
                    dependsOn: req.getDependenciesList().filter((d) => !propertyDependencies.has(d)),
                    ignoreChanges: req.getIgnorechangesList(),
                },
                dependencies: [...propertyDependencies].sort(),
                source: sourceOf(req),
            });
            const result = await mocks.newResource({
                type: req.getType(),
                name: req.getName(),
                // The request's properties, converted once above (deserializeProperties only reads them).
                inputs: rt.deserializeProperties({ toJavaScript: () => serialisedInputs } as never),
                provider: req.getProvider(),
                custom: req.getCustom(),
                id: req.getImportid(),
            });
            const state = await rt.serializeProperties("", markSecretOutputs(result.state, req.getAdditionalsecretoutputsList()));
            monitor.resources.set(urn, { urn, id: result.id ?? null, state });
            // The response as the SDK reads it (runtime/resource.js, which builds the same shape itself
            // when it runs without a monitor): the state handed over as it is, not through protobuf.
            callback(null, {
                getUrn: () => urn,
                getId: () => result.id ?? "",
                getObject: () => ({ toJavaScript: () => state }),
                getPropertydependenciesMap: () => undefined,
                getResult: () => 0,
            });
        } catch (err) {
            callback(err as Error);
        }
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
        if (req.getUrn().split("::")[2] === "pulumi:pulumi:Stack") {
            outputs = plainValue(req.getOutputs().toJavaScript(), revealSecrets) as Record<string, unknown>;
        }
        registerOutputs(req, callback);
    };

    // A resource whose inputs fail to resolve never reaches the monitor; its error surfaces as an
    // unhandled rejection, which Node emits only after the current microtasks: collect it too.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    // The SDK formats a stack trace for every promise it makes, kept only to report promise leaks,
    // which the engine reports anyway; that was a third of a prod plan's time. Resources' source
    // positions are unaffected: the SDK lifts the limit while it captures them.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        await rt.runInPulumiStack(async () => program());
        await waitForRegistrations();
        await new Promise((resolve) => setImmediate(resolve));
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        process.off("unhandledRejection", onRejection);
    }
    if (failures.length > 0) throw failures[0];
    return { stack, project, resources, outputs, invokes };
}

/**
 * The plan of a stack of the project in `projectDir`, as `pulumi preview` would see it. Config
 * problems of the stack file and of the program's validation come out together, each at its file,
 * line and column.
 */
export async function buildPlan(projectDir: string, stack: string, configFile?: string, options: RecordOptions = {}): Promise<Plan> {
    const read = readStackConfig(projectDir, stack, configFile);
    const { project, config, secretKeys, unvalidatedSecrets, stackFile } = read;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(projectDir, "index.ts")) as () => unknown;
    const standIns = new Map(unvalidatedSecrets.map((s) => [s.key, s.plannedWith]));
    const located = (problems: ConfigError["problems"]) =>
        problems.map((p) => ({
            ...p,
            found:
                standIns.has(p.key) && standIns.get(p.key) !== SECRET_PLACEHOLDER
                    ? `${p.found} (Pulumi.yaml's default, planned in place of the secure value)`
                    : p.found,
            // Read only here: locating keys loads a second YAML reader (lib/stack-config.ts).
            at: read.positions[p.key] ?? { file: stackFile },
        }));
    let plan: Plan;
    try {
        plan = await recordProgram(project, stack, config, secretKeys, program, options);
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        throw new StackFileError(describeProblems(stack, [...read.problems, ...located(err.problems)]));
    }
    if (read.problems.length > 0) throw new StackFileError(describeProblems(stack, read.problems));
    return { ...plan, unvalidatedSecrets };
}
