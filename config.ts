// The stack's configuration as one typed, validated, frozen object.
//
// Defaults live in Pulumi.yaml (the CLI applies them, and so does the offline plan engine); this
// module declares each key's type and range and refuses anything else before a resource exists.
import * as pulumi from "@pulumi/pulumi";
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

// An image tag that pins a version: anything but empty or `latest`.
const pinnedTag = text("a version tag such as 1.4.2 (not latest)", /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);

/** Every project key, its type and its range. Pulumi.yaml declares the same keys with their defaults. */
export const fields = {
    target: oneOf(targets),
    environment: oneOf(environments),
    imageSource: oneOf(["registry", "build"] as const),
    imageRegistry: text("a registry path such as ghcr.io/owner", /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/),
    imageTag: pinnedTag,
    buildContextRoot: text("a relative directory holding backend/, frontend/, playwright/, ai-processor/", /^[^\0]+$/),
    buildTarget: oneOf(["development", "production"] as const),
    domainName: text("a DNS name such as localhost or osint.example.org", /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/),
    httpPort: integer(1, 65535),
    httpsPort: integer(1, 65535),
    rateLimitPerSecond: integer(1, 10000),
    rateLimitBurst: integer(0, 100000),
    backupRetentionDays: integer(1, 35),
    logRetentionDays: integer(1, 3653),
    grafana: boolean,
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

/** Reads the running stack's configuration. Call before creating any resource. */
export function loadConfig(): StackConfig {
    return parseConfig(pulumi.getStack(), pulumi.runtime.allConfig());
}
