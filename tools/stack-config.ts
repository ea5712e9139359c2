// Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI does, producing the flat
// key → string map the language host hands the program (PULUMI_CONFIG), plus the secret keys.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const SECRET_PLACEHOLDER = "[secret]";

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

export interface StackConfigMap {
    readonly project: string;
    readonly stack: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

function readYaml(file: string): unknown {
    if (!fs.existsSync(file)) throw new StackFileError(`${path.basename(file)} not found in ${path.dirname(file)}`);
    return parse(fs.readFileSync(file, "utf8"));
}

export function readProjectFile(projectDir: string): ProjectFile {
    const project = readYaml(path.join(projectDir, "Pulumi.yaml")) as ProjectFile;
    if (!project || typeof project.name !== "string") throw new StackFileError("Pulumi.yaml has no project name");
    return project;
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

/** Like the CLI, reads Pulumi.<stack>.yaml beside Pulumi.yaml unless `configFile` names another file. */
export function readStackConfig(projectDir: string, stack: string, configFile?: string): StackConfigMap {
    const project = readProjectFile(projectDir);
    const stackFile = configFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
    const stackDoc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];

    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        const value = typeof declaration === "object" && declaration !== null ? declaration.default : declaration;
        if (value !== undefined) config[qualify(project.name, key)] = asConfigString(value);
    }
    for (const [key, value] of Object.entries(stackDoc.config ?? {})) {
        if (!key.includes(":")) {
            throw new StackFileError(`${path.basename(stackFile)}: config key ${key} has no namespace (write ${project.name}:${key})`);
        }
        if (isSecure(value)) {
            // Ciphertext needs the stack's secrets provider; offline, the value is a marked placeholder.
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            config[key] = asConfigString(value);
        }
    }
    return { project: project.name, stack, config, secretKeys };
}
