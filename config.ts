// The stack's configuration as one typed, validated, frozen object.
//
// Defaults live in Pulumi.yaml (the CLI applies them, and so does the offline plan engine); this
// module declares each key's type and range and refuses anything else before a resource exists.
import * as pulumi from "@pulumi/pulumi";
import { Region } from "@pulumi/aws/types/enums";
import { z } from "zod";

export const PROJECT = "osint-platform";

export const targets = ["docker", "aws"] as const;
export const environments = ["development", "staging", "production"] as const;
export type Target = (typeof targets)[number];
export type Environment = (typeof environments)[number];

/** A config error that names the stack, the key, what was expected and what was found. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly key: string,
        readonly expected: string,
        readonly found: string,
    ) {
        super(`stack ${stack}: config key ${key}: expected ${expected}, found ${found}`);
        this.name = "ConfigError";
    }
}

// Every value reaches the program as a string (the CLI serialises numbers and booleans), so each
// field parses its own string. `expected` is the sentence shown when it fails.
interface Field<T> {
    readonly type: "string" | "integer" | "boolean";
    readonly expected: string;
    readonly schema: z.ZodType<T, string>;
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T): Field<T[number]> {
    return { type: "string", expected: `one of ${values.join(", ")}`, schema: z.enum(values) };
}

function integer(min: number, max: number): Field<number> {
    return {
        type: "integer",
        expected: `an integer from ${min} to ${max}`,
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
    return { type: "string", expected, schema: z.string().regex(pattern) };
}

// AWS regions the installed provider knows; "" where a key is optional.
const awsRegions = Object.values(Region) as string[];
const regionPattern = new RegExp(`^(${awsRegions.join("|")})$`);

/** An IPv4 CIDR block whose octets and prefix parse, e.g. 10.0.0.0/16. */
export function parseCidr(cidr: string): { readonly base: number; readonly prefix: number } | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    // The address must be the block's first address (10.0.0.0/16, not 10.0.1.0/16).
    if (base % 2 ** (32 - prefix) !== 0) return undefined;
    return { base, prefix };
}

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
    dbInstanceClass: text("an RDS instance class such as db.m7g.xlarge", new RegExp(`^db\\.[a-z][a-z0-9-]*\\.${instanceSize}$`)),
    dbAllocatedStorageGb: integer(20, 16384),
    cacheNodeType: text("an ElastiCache node type such as cache.t4g.small", new RegExp(`^cache\\.[a-z][a-z0-9-]*\\.${instanceSize}$`)),
    backendMinTasks: integer(1, 20),
    backendMaxTasks: integer(1, 50),
    deploymentStrategy: oneOf(["rolling", "blue-green"] as const),
    databaseAccess: oneOf(["task", "provider"] as const),
    alarmEmail: text("an e-mail address for alarm notifications, or empty for none", /^$|^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i),
} as const;

export type ConfigKey = keyof typeof fields;
type Parsed = { readonly [K in ConfigKey]: z.output<(typeof fields)[K]["schema"]> };
export type StackConfig = Parsed & { readonly stack: string; readonly project: string };

// The design's minimums: backups and logs are kept longer in production.
const minimumRetention: Record<Environment, { backupRetentionDays: number; logRetentionDays: number }> = {
    development: { backupRetentionDays: 7, logRetentionDays: 30 },
    staging: { backupRetentionDays: 7, logRetentionDays: 30 },
    production: { backupRetentionDays: 30, logRetentionDays: 90 },
};

/**
 * Parses raw config (key → string, keys namespaced `osint-platform:`) into a frozen StackConfig.
 * Throws ConfigError on the first missing, mistyped, out-of-range or unknown project key.
 */
export function parseConfig(stack: string, raw: Readonly<Record<string, string>>): StackConfig {
    const prefix = `${PROJECT}:`;
    const known = new Set<string>(Object.keys(fields));
    for (const fullKey of Object.keys(raw).sort()) {
        if (!fullKey.startsWith(prefix)) continue; // provider keys (aws:region, docker:host) belong to providers
        const key = fullKey.slice(prefix.length);
        if (!known.has(key)) {
            throw new ConfigError(stack, fullKey, `one of the keys declared in Pulumi.yaml (${[...known].join(", ")})`, "an unknown key");
        }
    }
    const parsed: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(fields) as [ConfigKey, Field<unknown>][]) {
        const fullKey = prefix + key;
        const value = raw[fullKey];
        if (value === undefined) throw new ConfigError(stack, fullKey, field.expected, "nothing (the key is missing)");
        const result = field.schema.safeParse(value);
        if (!result.success) throw new ConfigError(stack, fullKey, field.expected, JSON.stringify(value));
        parsed[key] = result.data;
    }
    const config = parsed as Parsed;
    checkCombinations(stack, config);
    if (config.target === "aws") checkAws(stack, config, raw);
    return Object.freeze({ ...config, stack, project: PROJECT });
}

function checkCombinations(stack: string, config: Parsed): void {
    const key = (k: ConfigKey) => `${PROJECT}:${k}`;
    const targetFor: Record<Environment, Target> = { development: "docker", staging: "aws", production: "aws" };
    if (targetFor[config.environment] !== config.target) {
        throw new ConfigError(stack, key("target"), `${targetFor[config.environment]} for environment ${config.environment}`, JSON.stringify(config.target));
    }
    if (config.target === "aws" && config.imageSource !== "registry") {
        throw new ConfigError(stack, key("imageSource"), "registry on target aws (ECS pulls images, it cannot build them)", JSON.stringify(config.imageSource));
    }
    if (config.httpPort === config.httpsPort) {
        throw new ConfigError(stack, key("httpsPort"), `a port other than httpPort (${config.httpPort})`, String(config.httpsPort));
    }
    const minimum = minimumRetention[config.environment];
    for (const k of ["backupRetentionDays", "logRetentionDays"] as const) {
        if (config[k] < minimum[k]) {
            throw new ConfigError(stack, key(k), `at least ${minimum[k]} days in ${config.environment} (the design's minimum)`, String(config[k]));
        }
    }
}

function checkAws(stack: string, config: Parsed, raw: Readonly<Record<string, string>>): void {
    const key = (k: ConfigKey) => `${PROJECT}:${k}`;
    const region = raw["aws:region"];
    if (region === undefined || !regionPattern.test(region)) {
        throw new ConfigError(
            stack,
            "aws:region",
            "an AWS region such as us-east-1",
            region === undefined ? "nothing (the key is missing)" : JSON.stringify(region),
        );
    }
    if (config.drRegion === region) {
        throw new ConfigError(stack, key("drRegion"), `a region other than aws:region (${region})`, JSON.stringify(config.drRegion));
    }
    if (config.backendMaxTasks < config.backendMinTasks) {
        throw new ConfigError(stack, key("backendMaxTasks"), `at least backendMinTasks (${config.backendMinTasks})`, String(config.backendMaxTasks));
    }
    if (config.grafana) {
        throw new ConfigError(stack, key("grafana"), "false on target aws (CloudWatch dashboards replace Grafana there)", "true");
    }
}

/** Reads the running stack's configuration. Call before creating any resource. */
export function loadConfig(): StackConfig {
    return parseConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
