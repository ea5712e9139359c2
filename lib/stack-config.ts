// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does, producing the flat
// key → string map the language host hands the program (PULUMI_CONFIG), plus the secret keys and
// where each key is written, so config errors can point at file, line and column.
import * as fs from "node:fs";
import * as path from "node:path";
import { FAILSAFE_SCHEMA, load, Type, YAMLException } from "js-yaml";
import type * as Yaml from "yaml";
import { type ConfigProblem, describeStackProblems } from "../config";
import { fileProblem } from "./file-problems";
import { nearest } from "./nearest";
import { SECRET_PLACEHOLDER } from "./placeholders";

export interface ProjectConfigDeclaration {
    readonly type: "string" | "integer" | "boolean" | "array";
    readonly description?: string;
    readonly default?: unknown;
    readonly secret?: boolean;
}

export interface ProjectFile {
    readonly name: string;
    readonly runtime: unknown;
    readonly config?: Record<string, ProjectConfigDeclaration | string | number | boolean>;
}

/** A place in a file, as the user would open it (1-based line and column). */
export interface Position {
    readonly file: string;
    readonly line?: number;
    readonly col?: number;
}

/** A secure value the offline plan cannot decrypt, and what it planned with in its place. */
export interface UnvalidatedSecret {
    readonly key: string;
    readonly plannedWith: string;
}

export interface StackConfigMap {
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    readonly unvalidatedSecrets: UnvalidatedSecret[];
    /** Where each key's value comes from: the stack file, or Pulumi.yaml's default. */
    readonly positions: Readonly<Record<string, Position>>;
    /** The stack file as the user names it. */
    readonly stackFile: string;
    /** Problems of the file's shape that do not stop reading it (reported with the config's own). */
    readonly problems: readonly (ConfigProblem & { readonly at: Position })[];
}

/** A stack or project file that cannot be read; the message names the file (and line and column). */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

/** A file as the user would name it: relative to the working directory when inside it. */
function shown(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

function where(at: Position): string {
    return at.line === undefined ? at.file : `${at.file}:${at.line}:${at.col}`;
}

/** Problems of one stack, one line each, located; the first line names the stack. */
export function describeProblems(stack: string, problems: readonly (ConfigProblem & { readonly at: Position })[]): string {
    // In file order, as an editor lists them; keys without a line (missing ones) last.
    const ordered = [...problems].sort(
        (a, b) => a.at.file.localeCompare(b.at.file) || (a.at.line ?? Infinity) - (b.at.line ?? Infinity) || (a.at.col ?? 0) - (b.at.col ?? 0),
    );
    return describeStackProblems(stack, ordered, (p) => `${where(p.at)}: `);
}

interface ParsedYaml {
    readonly value: unknown;
    /** Keys written twice in one mapping (the last is read): problems to list with the others, not to stop at. */
    readonly duplicates: readonly { key: string; at: Position }[];
    /** Each key of the top-level `config:` map, with its position (found when first asked for). */
    readonly configKeys: ReadonlyMap<string, Position>;
}

// The YAML 1.2 core schema (spec 1.2.2 section 10.3.2), which the `yaml` library reads by default:
// js-yaml's own CORE_SCHEMA also reads 0b binary, signed hex and rejects "+.5", so the spec's
// regular expressions are given here and both readers agree (tests/stack-config.test.ts).
const scalar = (tag: string, pattern: RegExp, construct: (text: string) => unknown) =>
    new Type(`tag:yaml.org,2002:${tag}`, {
        kind: "scalar",
        resolve: (text: string | null) => pattern.test(text ?? ""),
        construct: (text: string | null) => construct(text ?? ""),
    });
export const CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
    implicit: [
        scalar("null", /^(?:~|null|Null|NULL|)$/, () => null),
        scalar("bool", /^(?:true|True|TRUE|false|False|FALSE)$/, (text) => text.toLowerCase() === "true"),
        scalar("int", /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) =>
            text.startsWith("0o") ? parseInt(text.slice(2), 8) : text.startsWith("0x") ? parseInt(text.slice(2), 16) : parseInt(text, 10),
        ),
        scalar("float", /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) =>
            /nan$/i.test(text) ? NaN : /inf$/i.test(text) ? (text.startsWith("-") ? -Infinity : Infinity) : Number(text),
        ),
    ],
});

// A plan reads Pulumi.yaml and a stack file on every run: js-yaml, which @pulumi/pulumi loads anyway,
// reads them in a few milliseconds. The `yaml` library (about 50 ms to load and run) is loaded only to
// locate: every syntax error at once, and each config key's line and column when a problem names it.
function readYaml(file: string): ParsedYaml {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new StackFileError(
            (err as NodeJS.ErrnoException).code === "ENOENT" ? `${shown(file)} not found` : `${shown(file)}: cannot be read: ${fileProblem(err)}`,
        );
    }
    let value: unknown;
    let duplicates: { key: string; at: Position }[] = [];
    try {
        value = load(text, { schema: CORE_SCHEMA, filename: file });
    } catch (err) {
        if (!(err instanceof YAMLException)) throw err;
        const { LineCounter, parseDocument } = locating();
        const located = parseDocument(text, { uniqueKeys: true, lineCounter: new LineCounter() });
        // A document whose only errors are repeated keys is read (the last of each wins, as js-yaml's
        // json mode reads it), so its other problems are listed in the same run.
        duplicates = duplicateKeys(file, text, located) ?? [];
        if (duplicates.length === 0) throw syntaxErrors(file, located, err);
        value = load(text, { schema: CORE_SCHEMA, filename: file, json: true });
    }
    let configKeys: Map<string, Position> | undefined;
    return {
        value,
        duplicates,
        get configKeys() {
            return (configKeys ??= configKeyPositions(file, text));
        },
    };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only to locate (see readYaml)
const locating = () => require("yaml") as typeof Yaml;

// Every syntax error at once (tabs, duplicate keys, bad indentation), each with its position.
/** The keys written twice when those are a document's only YAML errors; undefined when it has others. */
function duplicateKeys(file: string, text: string, doc: Yaml.Document): { key: string; at: Position }[] | undefined {
    if (doc.errors.length === 0 || doc.errors.some((e) => e.code !== "DUPLICATE_KEY")) return undefined;
    return doc.errors.map((e) => {
        const [start] = e.linePos ?? [];
        // The key as written from its first character: quoted, or plain up to the ": " that ends it.
        const written = /^("[^"]*"|'[^']*'|[^\s#]+?)\s*:(\s|$)/.exec(text.slice(e.pos[0]))?.[1] ?? text.slice(e.pos[0], e.pos[1]);
        return { key: written.replace(/^["']|["']$/g, ""), at: { file: shown(file), line: start?.line, col: start?.col } };
    });
}

/** Every YAML error of `doc` (the locating reader's reading of `file`), once a line. */
function syntaxErrors(file: string, doc: Yaml.Document, first: YAMLException): StackFileError {
    // The first error of a line: a tab there also breaks the line's mapping, said in two more ways.
    const seen = new Set<number | undefined>();
    const firsts = doc.errors.filter((e) => !seen.has(e.linePos?.[0].line) && Boolean(seen.add(e.linePos?.[0].line)));
    const lines = firsts.map((e) => {
        const [start] = e.linePos ?? [];
        // The library appends "at line L, column C:" and a code excerpt; the position leads instead.
        const message = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return `${where({ file: shown(file), line: start?.line, col: start?.col })}: YAML: ${message}`;
    });
    // Should the two readers ever disagree, js-yaml's own message still names the place.
    if (lines.length === 0) lines.push(`${where({ file: shown(file), line: first.mark.line + 1, col: first.mark.column + 1 })}: YAML: ${first.reason}`);
    return new StackFileError(lines.length === 1 ? lines[0] : [`${shown(file)}: ${lines.length} YAML errors`, ...lines.map((l) => `  ${l}`)].join("\n"));
}

function configKeyPositions(file: string, text: string): Map<string, Position> {
    const { isMap, isScalar, LineCounter, parseDocument } = locating();
    const lineCounter = new LineCounter();
    const config = parseDocument(text, { lineCounter }).get("config", true);
    const configKeys = new Map<string, Position>();
    if (isMap(config)) {
        for (const pair of config.items) {
            if (!isScalar(pair.key) || !pair.key.range) continue;
            const { line, col } = lineCounter.linePos(pair.key.range[0]);
            configKeys.set(String(pair.key.value), { file: shown(file), line, col });
        }
    }
    return configKeys;
}

// The keys of a stack file (pulumi/pulumi sdk/go/common/workspace, ProjectStack).
const STACK_FILE_KEYS = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

/** The stack file's document: empty is a stack without config; not a mapping, or a mapping of none of its keys, is another file. */
function stackDocument(file: string, value: unknown): { config?: Record<string, unknown> } {
    if (value === null || value === undefined) return {};
    const found = Array.isArray(value) ? "a list" : typeof value !== "object" ? `${JSON.stringify(value)}` : undefined;
    const keys = found === undefined ? Object.keys(value as object) : [];
    const config = (value as { config?: unknown }).config;
    if (found !== undefined || (keys.length > 0 && !keys.some((k) => STACK_FILE_KEYS.includes(k))))
        throw new StackFileError(
            `${shown(file)}:1:1: expected a stack file (a mapping of ${STACK_FILE_KEYS.join(", ")}), found ${found ?? `keys ${keys.join(", ")}`}`,
        );
    if (config !== undefined && config !== null && (typeof config !== "object" || Array.isArray(config)))
        throw new StackFileError(
            `${shown(file)}: key config: expected a mapping of config keys, found ${Array.isArray(config) ? "a list" : JSON.stringify(config)}`,
        );
    return value as { config?: Record<string, unknown> };
}

function projectOf(projectPath: string, parsed: ParsedYaml): ProjectFile {
    const project = parsed.value as ProjectFile | null;
    if (!project || typeof project.name !== "string") throw new StackFileError(`${shown(projectPath)}: no project name`);
    return project;
}

export function readProjectFile(projectDir: string): ProjectFile {
    const projectPath = path.join(projectDir, "Pulumi.yaml");
    return projectOf(projectPath, readYaml(projectPath));
}

// The CLI hands every value to the program as a string; structured values as JSON.
function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function isSecure(value: unknown): value is { secure: string } {
    return typeof value === "object" && value !== null && "secure" in value && Object.keys(value).length === 1;
}

/** Project keys without a namespace belong to the project, as in Pulumi.yaml's `config:` block. */
function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Like the CLI, reads Pulumi.<stack>.yaml beside Pulumi.yaml unless `configFile` names another file.
 * A `secure:` value needs the stack's secrets provider, so offline it is present but unreadable: a
 * typed key (integer, boolean) plans with its Pulumi.yaml default, anything else with the placeholder,
 * and `unvalidatedSecrets` lists them.
 */
export function readStackConfig(projectDir: string, stack: string, configFile?: string): StackConfigMap {
    const projectPath = path.join(projectDir, "Pulumi.yaml");
    const projectYaml = readYaml(projectPath);
    const project = projectOf(projectPath, projectYaml);
    const stackPath = configFile ? path.resolve(configFile) : path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!configFile && !fs.existsSync(stackPath)) {
        const stacks = fs.readdirSync(projectDir).flatMap((file) => /^Pulumi\.([\w.-]+)\.yaml$/.exec(file)?.[1] ?? []);
        const guess = nearest(stack, stacks);
        throw new StackFileError(`${shown(stackPath)} not found: the stacks here are ${stacks.join(", ")}${guess ? `; did you mean ${guess}?` : ""}`);
    }
    const stackYaml = readYaml(stackPath);
    const stackDoc = stackDocument(stackPath, stackYaml.value);
    const config: Record<string, string> = {};
    const unvalidatedSecrets: UnvalidatedSecret[] = [];
    // Where each key's value is written, found only if asked for (a problem to point at): [key, file, its YAML, the key as written].
    const origins: [string, string, ParsedYaml, string][] = [];
    // The CLI refuses a file with a key written twice; listed here with whatever else is wrong.
    const problems: (ConfigProblem & { at: Position })[] = [...projectYaml.duplicates, ...stackYaml.duplicates].map(({ key, at }) => ({
        key,
        expected: "each key once in its mapping",
        found: "it written again here",
        at,
    }));
    const declarations = project.config ?? {};
    const declared = (key: string) => {
        const declaration = declarations[key.slice(project.name.length + 1)];
        return typeof declaration === "object" && declaration !== null ? declaration : undefined;
    };

    for (const [key, declaration] of Object.entries(declarations)) {
        const value = typeof declaration === "object" && declaration !== null ? declaration.default : declaration;
        if (value === undefined) continue;
        config[qualify(project.name, key)] = asConfigString(value);
        origins.push([qualify(project.name, key), projectPath, projectYaml, key]);
    }
    for (const [written, value] of Object.entries(stackDoc.config ?? {})) {
        // The CLI refuses a key without its namespace; it is still read as the project's, so its value is checked too.
        if (!written.includes(":")) {
            const at = stackYaml.configKeys.get(written) ?? { file: shown(stackPath) };
            problems.push({ key: written, expected: `a namespaced key (${project.name}:${written})`, found: "no namespace", at });
        }
        const key = qualify(project.name, written);
        origins.push([key, stackPath, stackYaml, written]);
        if (isSecure(value)) {
            const declaration = declared(key);
            const typed = declaration && declaration.type !== "string" && declaration.default !== undefined;
            config[key] = typed ? asConfigString(declaration.default) : SECRET_PLACEHOLDER;
            unvalidatedSecrets.push({ key, plannedWith: config[key] });
        } else {
            config[key] = asConfigString(value);
        }
    }
    let positions: Record<string, Position> | undefined;
    return {
        project: project.name,
        stack,
        config,
        // Every secure value is one the offline plan cannot decrypt.
        secretKeys: unvalidatedSecrets.map((s) => s.key),
        unvalidatedSecrets,
        get positions() {
            // A stack file's key overrides Pulumi.yaml's default (it comes later).
            return (positions ??= Object.fromEntries(
                origins.map(([key, file, yaml, written]) => [key, yaml.configKeys.get(written) ?? { file: shown(file) }]),
            ));
        },
        stackFile: shown(stackPath),
        problems,
    };
}
