// Which policy config a stack reads, and its text read safely. A stack name comes from a document the
// check is given (a URN's stack part), so it never becomes a path: it must be a Pulumi stack name, and
// the file is picked from the listing of policies/config/ itself, so nothing outside it is ever read.
import * as fs from "node:fs";
import * as path from "node:path";
import type { JSONPath } from "jsonc-parser";

export const CONFIG_DIR = path.join(__dirname, "..", "config");

/** How the repository names the folder, in messages and SARIF locations. */
export const CONFIG_FOLDER = "policies/config";

// Pulumi's own rule for stack names (pulumi/pulumi pkg/backend/filestate/backend.go ValidateStackName).
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The review-stack template (deployments/settings.ts reviewTemplate): Deployments names each review stack pr-<...>. */
export const REVIEW_TEMPLATE = "pr";

/** Whether `stack` is a name Pulumi accepts for a stack. */
export function isStackName(stack: string): boolean {
    return STACK_NAME.test(stack);
}

/** The stacks that have a policy config, by the folder's listing. */
export function configuredStacks(): string[] {
    return fs
        .readdirSync(CONFIG_DIR)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -".json".length))
        .sort();
}

/**
 * The config stack `stack` reads (a review stack pr-<anything> reads pr's), or undefined when it has
 * none. Call only with a name isStackName accepts.
 */
export function configStackOf(stack: string): string | undefined {
    const stacks = configuredStacks();
    if (stacks.includes(stack)) return stack;
    return stack.startsWith(`${REVIEW_TEMPLATE}-`) && stacks.includes(REVIEW_TEMPLATE) ? REVIEW_TEMPLATE : undefined;
}

/** The text of a configured stack's file (its name from configuredStacks, never from a document). */
export function configText(configStack: string): { text: string; file: string } {
    const entry = fs.readdirSync(CONFIG_DIR).find((f) => f === `${configStack}.json`);
    if (entry === undefined) throw new Error(`no policy config for ${configStack}`);
    return { text: fs.readFileSync(path.join(CONFIG_DIR, entry), "utf8"), file: `${CONFIG_FOLDER}/${entry}` };
}

/** A key given twice in one object: where the second one is (JSON.parse keeps the last silently). */
export interface DuplicateKey {
    readonly path: string;
    readonly line: number;
    readonly firstLine: number;
}

const joined = (where: JSONPath, key: string) => [...where, key].join(".");

/** Every key of `text` given twice in the same object (1-based lines). */
export function duplicateKeys(text: string): DuplicateKey[] {
    // Loaded only here: configs are small; a document the check reads never pays for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { visit } = require("jsonc-parser") as typeof import("jsonc-parser");
    const open: Map<string, number>[] = [];
    const found: DuplicateKey[] = [];
    visit(text, {
        onObjectBegin: () => void open.push(new Map()),
        onObjectEnd: () => void open.pop(),
        onObjectProperty: (key, _offset, _length, line, _column, pathSupplier) => {
            const keys = open[open.length - 1];
            const first = keys.get(key);
            if (first !== undefined) found.push({ path: joined(pathSupplier(), key), line: line + 1, firstLine: first });
            else keys.set(key, line + 1);
        },
    });
    return found;
}

/**
 * The 1-based line where the value at a path starts in `text`, if it is there: the text is parsed on
 * the first path asked, once for all of them (a config's waivers each ask for theirs).
 */
export function lineFinder(text: string): (where: JSONPath) => number | undefined {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { findNodeAtLocation, parseTree } = require("jsonc-parser") as typeof import("jsonc-parser");
    let tree: { root: ReturnType<typeof parseTree> } | undefined;
    return (where) => {
        tree ??= { root: parseTree(text) };
        const node = tree.root && findNodeAtLocation(tree.root, where);
        return node ? text.slice(0, node.offset).split("\n").length : undefined;
    };
}
