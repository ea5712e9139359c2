// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does, producing the flat
// key → string map the language host hands the program (PULUMI_CONFIG), plus the secret keys and
// where each key is written, so config errors can point at file, line and column.
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { type ConfigProblem, describeProblem } from "../config";
import { SECRET_PLACEHOLDER } from "./property-values";

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
    if (problems.length === 1) return `${where(problems[0].at)}: stack ${stack}: ${describeProblem(problems[0])}`;
    // In file order, as an editor lists them; keys without a line (missing ones) last.
    const ordered = [...problems].sort(
        (a, b) => a.at.file.localeCompare(b.at.file) || (a.at.line ?? Infinity) - (b.at.line ?? Infinity) || (a.at.col ?? 0) - (b.at.col ?? 0),
    );
    return [`stack ${stack}: ${problems.length} config problems`, ...ordered.map((p) => `  ${where(p.at)}: ${describeProblem(p)}`)].join("\n");
}

interface ParsedYaml {
    readonly value: unknown;
    /** Each key of the top-level `config:` map, with its position. */
    readonly configKeys: ReadonlyMap<string, Position>;
}

// Every syntax error at once (tabs, duplicate keys, bad indentation), each with its position.
function readYaml(file: string): ParsedYaml {
    if (!fs.existsSync(file)) throw new StackFileError(`${shown(file)} not found`);
    const lineCounter = new LineCounter();
    const doc = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const lines = doc.errors.map((e) => {
            const [start] = e.linePos ?? [];
            // The library appends "at line L, column C:" and a code excerpt; the position leads instead.
            const message = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
            return `${where({ file: shown(file), line: start?.line, col: start?.col })}: YAML: ${message}`;
        });
        throw new StackFileError(lines.length === 1 ? lines[0] : [`${shown(file)}: ${lines.length} YAML errors`, ...lines.map((l) => `  ${l}`)].join("\n"));
    }
    const configKeys = new Map<string, Position>();
    const config = doc.get("config", true);
    if (isMap(config)) {
        for (const pair of config.items) {
            if (!isScalar(pair.key) || !pair.key.range) continue;
            const { line, col } = lineCounter.linePos(pair.key.range[0]);
            configKeys.set(String(pair.key.value), { file: shown(file), line, col });
        }
    }
    return { value: doc.toJS(), configKeys };
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
    const stackYaml = readYaml(stackPath);
    const stackDoc = (stackYaml.value ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const unvalidatedSecrets: UnvalidatedSecret[] = [];
    const positions: Record<string, Position> = {};
    const problems: (ConfigProblem & { at: Position })[] = [];
    const declarations = project.config ?? {};
    const declared = (key: string) => {
        const declaration = declarations[key.slice(project.name.length + 1)];
        return typeof declaration === "object" && declaration !== null ? declaration : undefined;
    };

    for (const [key, declaration] of Object.entries(declarations)) {
        const value = typeof declaration === "object" && declaration !== null ? declaration.default : declaration;
        if (value === undefined) continue;
        config[qualify(project.name, key)] = asConfigString(value);
        positions[qualify(project.name, key)] = projectYaml.configKeys.get(key) ?? { file: shown(projectPath) };
    }
    for (const [written, value] of Object.entries(stackDoc.config ?? {})) {
        const at = stackYaml.configKeys.get(written) ?? { file: shown(stackPath) };
        // The CLI refuses a key without its namespace; it is still read as the project's, so its value is checked too.
        if (!written.includes(":")) {
            problems.push({ key: written, expected: `a namespaced key (${project.name}:${written})`, found: "no namespace", at });
        }
        const key = qualify(project.name, written);
        positions[key] = at;
        if (isSecure(value)) {
            const declaration = declared(key);
            const typed = declaration && declaration.type !== "string" && declaration.default !== undefined;
            config[key] = typed ? asConfigString(declaration.default) : SECRET_PLACEHOLDER;
            secretKeys.push(key);
            unvalidatedSecrets.push({ key, plannedWith: config[key] });
        } else {
            config[key] = asConfigString(value);
        }
    }
    return { project: project.name, stack, config, secretKeys, unvalidatedSecrets, positions, stackFile: shown(stackPath), problems };
}
