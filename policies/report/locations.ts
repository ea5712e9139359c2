// Where a report points a reader: a file of the repository (never outside it, percent-encoded for a
// URI), the line of a waiver in its stack's policy config, and the rules' documentation on GitHub.
import * as fs from "node:fs";
import * as path from "node:path";
import { findNodeAtLocation, parseTree } from "jsonc-parser";
import { load } from "js-yaml";

const REPOSITORY_ROOT = path.join(__dirname, "..", "..");
// A stack name as Pulumi allows it (letters, digits, "-", "_", "."), so it can name no other folder.
const STACK_NAME = /^(?!\.{1,2}$)[\w.-]+$/;

/**
 * A repository-relative path as a relative URI reference: each segment percent-encoded (RFC 3986,
 * what the SARIF schema's uri-reference format requires: spaces and non-ASCII fail it raw); undefined
 * for a path that is absolute, leaves the repository, or holds a control character.
 */
export function repositoryUri(file: string): string | undefined {
    // eslint-disable-next-line no-control-regex
    if (file === "" || /[\u0000-\u001f\u007f]/.test(file) || file.includes("\\")) return undefined;
    const normal = path.posix.normalize(file);
    if (path.posix.isAbsolute(normal) || normal === "." || normal === ".." || normal.startsWith("../")) return undefined;
    return normal
        .split("/")
        .map((segment) => encodeURIComponent(segment))
        .join("/");
}

/** The stack a URN names (urn:pulumi:<stack>::...), when it is a usable stack name. */
export function stackOfUrn(urn: string): string | undefined {
    const stack = /^urn:pulumi:([^:]*)::/.exec(urn)?.[1];
    return stack !== undefined && STACK_NAME.test(stack) ? stack : undefined;
}

/** The stack's settings file (the project's, for a stack name that cannot be a file name). */
export function stackFile(stack: string | undefined): string {
    return stack !== undefined && STACK_NAME.test(stack) ? `Pulumi.${stack}.yaml` : "Pulumi.yaml";
}

/** The policy config of a stack, as the repository names it. */
export function policyConfigFile(stack: string): string | undefined {
    return STACK_NAME.test(stack) ? `policies/config/${stack}.json` : undefined;
}

/**
 * The 1-based line of `<policy>.waivers[<index>]` in the stack's policy config (policies/config/<stack>.json,
 * read only for a valid stack name), or undefined when the file or the entry is not there.
 */
export function waiverLine(stack: string, policy: string, index: number): number | undefined {
    const file = policyConfigFile(stack);
    if (file === undefined) return undefined;
    let text: string;
    try {
        text = fs.readFileSync(path.join(REPOSITORY_ROOT, file), "utf8");
    } catch {
        return undefined;
    }
    const node = findNodeAtLocation(parseTree(text) ?? { type: "null", offset: 0, length: 0 }, [policy, "waivers", index]);
    return node === undefined ? undefined : text.slice(0, node.offset).split("\n").length;
}

const SETTINGS_FILE = path.join(REPOSITORY_ROOT, "deployments", "Pulumi.settings.yaml");
const REPOSITORY_KEY = "osint-platform-deployments:repository";

let repository: string | undefined;

/**
 * The URL of a page of the repository's docs on GitHub (for SARIF helpUri): the repository is the one
 * deployments/Pulumi.settings.yaml configures, the only place this project names it (read once).
 */
export function documentationUri(page: string, anchor?: string): string {
    if (repository === undefined) {
        const settings = load(fs.readFileSync(SETTINGS_FILE, "utf8")) as { config?: Record<string, unknown> } | null;
        const configured = settings?.config?.[REPOSITORY_KEY];
        if (typeof configured !== "string") throw new Error(`deployments/Pulumi.settings.yaml: expected config ${REPOSITORY_KEY}, found none`);
        repository = configured;
    }
    return `https://github.com/${repository}/blob/main/${page}${anchor ? `#${anchor}` : ""}`;
}
