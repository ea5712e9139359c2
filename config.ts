// The stack's configuration as one typed, validated, frozen object.
//
// Defaults live in Pulumi.yaml (the CLI applies them, and so does the offline plan engine); this
// module declares each key's type and range and refuses anything else before a resource exists.
import { isIP } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { Region } from "@pulumi/aws/types/enums";
import { z } from "zod/v3";
import { parseCidr } from "./lib/cidr";
import { nearest } from "./lib/nearest";
import { SECRET_PLACEHOLDER } from "./lib/placeholders";

export const PROJECT = "osint-platform";

/**
 * What the offline plan reads in place of a `secure:` value it cannot decrypt. Under `pulumi up` the
 * program sees the plaintext; offline, such a value is present but unreadable.
 */
export const UNREADABLE_SECRET = SECRET_PLACEHOLDER;

export const targets = ["docker", "aws"] as const;
export const environments = ["development", "staging", "production"] as const;
export type Target = (typeof targets)[number];
export type Environment = (typeof environments)[number];

/** One thing wrong with a stack's config: the key, what was expected and what was found. */
export interface ConfigProblem {
    readonly key: string;
    readonly expected: string;
    readonly found: string;
}

function describeProblem(problem: ConfigProblem): string {
    return `config key ${problem.key}: expected ${problem.expected}, found ${problem.found}`;
}

/** Problems of one stack, one line each, each led by `locate` (its file and line, when known); one problem is one line naming the stack. */
export function describeStackProblems<P extends ConfigProblem>(stack: string, problems: readonly P[], locate: (problem: P) => string = () => ""): string {
    if (problems.length === 1) return `${locate(problems[0])}stack ${stack}: ${describeProblem(problems[0])}`;
    return [`stack ${stack}: ${problems.length} config problems`, ...problems.map((p) => `  ${locate(p)}${describeProblem(p)}`)].join("\n");
}

/**
 * Every problem of a stack's config at once, each naming the key, what was expected and what was
 * found; `key`, `expected` and `found` are the first problem's.
 */
export class ConfigError extends pulumi.RunError {
    readonly problems: readonly ConfigProblem[];

    constructor(
        readonly stack: string,
        readonly key: string,
        readonly expected: string,
        readonly found: string,
        more: readonly ConfigProblem[] = [],
    ) {
        const problems = [{ key, expected, found }, ...more];
        super(describeStackProblems(stack, problems));
        this.name = "ConfigError";
        this.problems = problems;
    }

    static of(stack: string, [first, ...more]: readonly [ConfigProblem, ...ConfigProblem[]]): ConfigError {
        return new ConfigError(stack, first.key, first.expected, first.found, more);
    }
}

// Every value reaches the program as a string (the CLI serialises numbers and booleans), so each
// field parses its own string. `expected` is the sentence shown when it fails.
interface Field<T> {
    readonly type: "string" | "integer" | "boolean";
    readonly expected: string;
    readonly schema: z.ZodType<T, z.ZodTypeDef, string>;
    /** The integer range, for limits that tighten per environment. */
    readonly range?: { readonly min: number; readonly max: number };
    /** Passed through untouched, so an unreadable secret may stand in for it in the offline plan. */
    readonly opaque?: boolean;
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T): Field<T[number]> {
    return { type: "string", expected: `one of ${values.join(", ")}`, schema: z.enum(values) };
}

function integer(min: number, max: number): Field<number> {
    return {
        type: "integer",
        expected: `an integer from ${min} to ${max}`,
        range: { min, max },
        schema: z
            .string()
            .regex(/^-?\d+$/)
            .transform(Number)
            .pipe(z.number().int().min(min).max(max)),
    };
}

const boolean: Field<boolean> = {
    type: "boolean",
    expected: "true or false",
    schema: z.enum(["true", "false"]).transform((v) => v === "true"),
};

function text(expected: string, pattern: RegExp): Field<string> {
    return { type: "string", expected, schema: z.string().regex(pattern), opaque: true };
}

// AWS regions the installed provider knows; "" where a key is optional.
const awsRegions = Object.values(Region) as string[];
const regionPattern = new RegExp(`^(${awsRegions.join("|")})$`);

/** An IPv4 CIDR block whose octets and prefix parse (lib/cidr.ts, shared with the reachability model). */
export { parseCidr };

// An instance class or node type: `db.m7g.xlarge`, `cache.t4g.small`.
const instanceSize = "(nano|micro|small|medium|large|\\d{0,2}xlarge)";

// An image tag that pins a version: anything but empty or `latest`.
const pinnedTag = text("a version tag such as 1.4.2 (not latest)", /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);

/** Every project key, its type and its range. Pulumi.yaml declares the same keys with their defaults. */
export const fields = {
    target: oneOf(targets),
    environment: oneOf(environments),
    imageSource: oneOf(["registry", "build"] as const),
    imageRegistry: text("a registry path such as ghcr.io/owner", /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/),
    imageTag: pinnedTag,
    buildContextRoot: text(
        "a directory holding backend/, frontend/, playwright/, ai-processor/ (no surrounding spaces), or empty for the stand-in images",
        /^$|^[^\s\p{Cc}][^\p{Cc}]*(?<!\s)$/u,
    ),
    buildTarget: oneOf(["development", "production"] as const),
    domainName: text(
        "a DNS name such as localhost or osint.example.org",
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    ),
    httpPort: integer(1, 65535),
    httpsPort: integer(1, 65535),
    publishAddress: {
        type: "string",
        expected: "an IP address such as 127.0.0.1 or 0.0.0.0",
        schema: z.string().refine((v) => isIP(v) !== 0),
    } satisfies Field<string>,
    rateLimitPerSecond: integer(1, 10000),
    rateLimitBurst: integer(0, 100000),
    backupRetentionDays: integer(1, 35),
    logRetentionDays: integer(1, 3653),
    grafana: boolean,
    drRegion: text("an AWS region for cross-region backup copies (e.g. us-west-2), or empty for none", new RegExp(`^$|${regionPattern.source}`)),
    vpcCidr: {
        type: "string",
        expected: "an IPv4 CIDR block from /16 to /20 such as 10.0.0.0/16",
        schema: z.string().refine((v) => {
            const cidr = parseCidr(v);
            return cidr !== undefined && cidr.prefix >= 16 && cidr.prefix <= 20;
        }),
    } satisfies Field<string>,
    availabilityZoneCount: integer(2, 3),
    multiAz: boolean,
    vpcEndpoints: boolean,
    dbInstanceClass: text("an RDS instance class such as db.m7g.xlarge", new RegExp(`^db\\.[a-z][a-z0-9-]*\\.${instanceSize}$`)),
    dbAllocatedStorageGb: integer(20, 16384),
    cacheNodeType: text("an ElastiCache node type such as cache.t4g.small", new RegExp(`^cache\\.[a-z][a-z0-9-]*\\.${instanceSize}$`)),
    backendMinTasks: integer(1, 20),
    backendMaxTasks: integer(1, 50),
    deploymentStrategy: oneOf(["rolling", "blue-green"] as const),
    databaseAccess: oneOf(["task", "provider"] as const),
    databaseQueryTask: boolean,
    alarmEmail: text("an e-mail address for alarm notifications, or empty for none", /^$|^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i),
    reviewStackTtlHours: integer(0, 720),
} as const;

export type ConfigKey = keyof typeof fields;
type Parsed = { readonly [K in ConfigKey]: z.output<(typeof fields)[K]["schema"]> };
export type StackConfig = Parsed & { readonly stack: string; readonly project: string };

// The design's minimums per environment, tightening a key's general range (backups and logs are kept
// longer in production). A value below one fails with the environment's own range, on the first try.
export const environmentMinimums: Readonly<Record<Environment, Partial<Record<ConfigKey, number>>>> = {
    development: { backupRetentionDays: 7, logRetentionDays: 30 },
    staging: { backupRetentionDays: 7, logRetentionDays: 30 },
    production: { backupRetentionDays: 30, logRetentionDays: 90 },
};

/** What `key` must hold in `environment` (the general expectation when the environment is unknown). */
export function expectedOf(key: ConfigKey, environment?: Environment): string {
    const field: Field<unknown> = fields[key];
    const minimum = environment && environmentMinimums[environment][key];
    if (minimum === undefined || !field.range) return field.expected;
    return `an integer from ${minimum} to ${field.range.max} (at least ${minimum} days in ${environment}, the design's minimum)`;
}

/** A stack's config values by key; keys not yet valid are absent. */
type ValidSoFar = { -readonly [K in ConfigKey]?: z.output<(typeof fields)[K]["schema"]> };

/**
 * Parses raw config (key → string, keys namespaced `osint-platform:`) into a frozen StackConfig.
 * Throws one ConfigError listing every missing, mistyped, out-of-range, unknown or misspelled key
 * and every forbidden combination. A value equal to UNREADABLE_SECRET (a secure value the offline
 * plan cannot decrypt) is accepted where the program passes it through, and its checks are skipped.
 */
export function parseConfig(stack: string, raw: Readonly<Record<string, string>>): StackConfig {
    const problems: ConfigProblem[] = [...namespaceProblems(raw)];
    const key = (k: ConfigKey) => `${PROJECT}:${k}`;
    const environment = fields.environment.schema.safeParse(raw[key("environment")]).data;
    const parsed: ValidSoFar = {};
    const readable = new Set<ConfigKey>();
    for (const [name, field] of Object.entries(fields) as [ConfigKey, Field<unknown>][]) {
        const value = raw[key(name)];
        const expected = expectedOf(name, environment);
        if (value === undefined) {
            problems.push({ key: key(name), expected, found: "nothing (the key is missing)" });
        } else if (value === UNREADABLE_SECRET) {
            if (field.opaque) (parsed as Record<string, unknown>)[name] = value;
            else problems.push({ key: key(name), expected: `${expected}, readable offline`, found: "a secure value, which the offline plan cannot decrypt" });
        } else {
            const result = field.schema.safeParse(value);
            const minimum = environment && environmentMinimums[environment][name];
            if (!result.success || (minimum !== undefined && (result.data as number) < minimum)) {
                problems.push({ key: key(name), expected, found: JSON.stringify(value) });
            } else {
                (parsed as Record<string, unknown>)[name] = result.data;
                readable.add(name);
            }
        }
    }
    problems.push(...combinationProblems(parsed, readable, raw));
    const [first, ...more] = problems;
    if (first) throw ConfigError.of(stack, [first, ...more]);
    return Object.freeze({ ...(parsed as Parsed), stack, project: PROJECT });
}

/** Unknown project keys and near misses of the project's namespace, with "did you mean". */
function namespaceProblems(raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const known = Object.keys(fields);
    return Object.keys(raw)
        .sort()
        .flatMap((fullKey) => {
            const namespace = fullKey.includes(":") ? fullKey.slice(0, fullKey.indexOf(":")) : "";
            const name = fullKey.slice(namespace.length + 1);
            if (namespace === PROJECT) {
                if (name in fields) return [];
                const guess = nearest(name, known);
                return [
                    {
                        key: fullKey,
                        expected: guess ? "a key declared in Pulumi.yaml" : `one of the keys declared in Pulumi.yaml (${known.join(", ")})`,
                        found: `an unknown key${guess ? ` (did you mean ${PROJECT}:${guess}?)` : ""}`,
                    },
                ];
            }
            // Another namespace is a provider's (aws:region, docker:host); only a near miss of ours is a typo.
            if (!nearest(namespace, [PROJECT])) return [];
            const guess = name in fields ? `${PROJECT}:${name}` : `${PROJECT}:${nearest(name, known) ?? name}`;
            return [{ key: fullKey, expected: `the project's namespace ${PROJECT}`, found: `namespace ${namespace} (did you mean ${guess}?)` }];
        });
}

/** Rules across keys, each checked once the keys it reads are valid and readable. */
function combinationProblems(config: ValidSoFar, readable: ReadonlySet<ConfigKey>, raw: Readonly<Record<string, string>>): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const key = (k: ConfigKey) => `${PROJECT}:${k}`;
    const known = (...keys: ConfigKey[]) => keys.every((k) => readable.has(k));
    const targetFor: Record<Environment, Target> = { development: "docker", staging: "aws", production: "aws" };
    const { environment, target } = config;
    if (known("environment", "target") && environment && targetFor[environment] !== target) {
        problems.push({ key: key("target"), expected: `${targetFor[environment]} for environment ${environment}`, found: JSON.stringify(target) });
    }
    if (known("target", "imageSource") && target === "aws" && config.imageSource !== "registry") {
        problems.push({
            key: key("imageSource"),
            expected: "registry on target aws (ECS pulls images, it cannot build them)",
            found: JSON.stringify(config.imageSource),
        });
    }
    if (known("httpPort", "httpsPort") && config.httpPort === config.httpsPort) {
        problems.push({ key: key("httpsPort"), expected: `a port other than httpPort (${config.httpPort})`, found: String(config.httpsPort) });
    }
    if (target !== "aws" || !known("target")) return problems;

    const region = raw["aws:region"];
    if (region !== UNREADABLE_SECRET) {
        if (region === undefined || !regionPattern.test(region)) {
            problems.push({
                key: "aws:region",
                expected: "an AWS region such as us-east-1",
                found: region === undefined ? "nothing (the key is missing)" : JSON.stringify(region),
            });
        } else if (known("drRegion") && config.drRegion === region) {
            problems.push({ key: key("drRegion"), expected: `a region other than aws:region (${region})`, found: JSON.stringify(config.drRegion) });
        }
    }
    if (known("backendMinTasks", "backendMaxTasks") && config.backendMaxTasks! < config.backendMinTasks!) {
        problems.push({ key: key("backendMaxTasks"), expected: `at least backendMinTasks (${config.backendMinTasks})`, found: String(config.backendMaxTasks) });
    }
    if (known("grafana") && config.grafana) {
        problems.push({ key: key("grafana"), expected: "false on target aws (CloudWatch dashboards replace Grafana there)", found: "true" });
    }
    return problems;
}

/** Reads the running stack's configuration. Call before creating any resource. */
export function loadConfig(): StackConfig {
    return parseConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
