// npm run -s render-db-init [-- --out <dir>]
// Writes database/init/ (the dev container's /docker-entrypoint-initdb.d) from the access model in
// components/database/roles.ts, removing the scripts an earlier run wrote that the model no longer
// renders. It never removes or overwrites a file it did not write: its own carry the "Rendered ...
// by `npm run render-db-init`" header; anything else in the directory stays as it is. A test renders
// into a temp dir and fails while the committed files differ.
import * as fs from "node:fs";
import * as path from "node:path";
import { initScripts } from "../components/database/database-init";
import { runTool, type ToolSpec, writeResult } from "./cli";
import { fileProblem, makeFolder, PathError } from "../lib/file-problems";

export const INIT_DIR = path.resolve(__dirname, "..", "database", "init");

/** What every file this tool writes says in its first lines: how it knows its own files from others'. */
export const RENDERED_MARK = "by `npm run render-db-init`. Do not edit.";

/** Whether `text` carries this tool's mark in its first three lines. */
function carriesMark(text: string): boolean {
    return text
        .split("\n")
        .slice(0, 3)
        .some((line) => line.includes(RENDERED_MARK));
}

/** Whether `file` is a regular file this tool wrote (its mark in the first lines of its first KiB). */
function renderedByThisTool(file: string): boolean {
    if (!fs.lstatSync(file).isFile()) return false;
    const fd = fs.openSync(file, "r");
    try {
        const head = Buffer.alloc(1024);
        const length = fs.readSync(fd, head, 0, head.length, 0);
        return carriesMark(head.subarray(0, length).toString("utf8"));
    } finally {
        fs.closeSync(fd);
    }
}

export interface InitRender {
    /** The scripts written, in run order. */
    readonly written: string[];
    /** Scripts an earlier run wrote that the model no longer renders. */
    readonly removed: string[];
    /** Entries this tool did not write, left as they were (dotfiles, such as .gitkeep, not listed). */
    readonly leftAlone: string[];
}

/**
 * Renders the init scripts into `dir` (created if missing), replacing the ones an earlier run wrote
 * and removing those the model no longer renders. Throws PathError, before writing anything, when
 * `dir` is not a directory or a script's name is taken by a file this tool did not write.
 */
export function renderInitDir(dir = INIT_DIR): InitRender {
    const scripts = initScripts();
    for (const script of scripts) {
        // The mark is how a later run knows the file for its own: a script without it could never be replaced.
        if (!carriesMark(script.content)) throw new Error(`${script.name} lacks the header "${RENDERED_MARK}" in its first lines`);
    }
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) throw new PathError(`${dir} is not a directory`);
    const entries = stat ? fs.readdirSync(dir) : [];
    const wanted = new Set(scripts.map((s) => s.name));
    const taken = entries.filter((name) => wanted.has(name) && !renderedByThisTool(path.join(dir, name)));
    if (taken.length > 0) {
        throw new PathError(
            `${taken.map((name) => path.join(dir, name)).join(", ")} ${taken.length === 1 ? "exists and was" : "exist and were"} not written by render-db-init; not overwriting (move ${taken.length === 1 ? "it" : "them"} away or choose another --out)`,
        );
    }
    const others = entries.filter((name) => !wanted.has(name));
    const removed = others.filter((name) => renderedByThisTool(path.join(dir, name)));
    try {
        makeFolder(dir);
    } catch (err) {
        throw new PathError(`--out ${dir}: cannot be created: ${fileProblem(err)}`);
    }
    for (const script of scripts) fs.writeFileSync(path.join(dir, script.name), script.content, { mode: 0o644 });
    for (const name of removed) fs.rmSync(path.join(dir, name));
    return {
        written: scripts.map((s) => s.name),
        removed,
        leftAlone: others.filter((name) => !removed.includes(name) && !name.startsWith(".")),
    };
}

const options = {
    out: { type: "string", value: "<dir>", description: "render into this directory instead of database/init/ (the committed files)" },
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "render-db-init",
    summary:
        "writes database/init/ (the dev database's init scripts) from the access model in components/database/roles.ts, removing the scripts it wrote earlier that the model no longer renders; it never removes or overwrites a file it did not write",
    usage: ["[--out <dir>]"],
    options,
    examples: ["npm run -s render-db-init", "npm run -s render-db-init -- --out /tmp/init && diff -r -x '.*' /tmp/init database/init"],
    exitCodes: { 0: "the scripts were written; their names are printed in run order" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        const render = renderInitDir(values.out ? path.resolve(values.out) : INIT_DIR);
        if (render.removed.length > 0) process.stderr.write(`render-db-init: removed ${render.removed.join(", ")} (written earlier, no longer rendered)\n`);
        if (render.leftAlone.length > 0) process.stderr.write(`render-db-init: left ${render.leftAlone.join(", ")} alone (not written by render-db-init)\n`);
        writeResult(render.written.join("\n"), undefined);
        return 0;
    });
