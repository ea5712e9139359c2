// npm run -s render-db-init [-- --out <dir>]
// Writes database/init/ (the dev container's /docker-entrypoint-initdb.d) from the access model in
// components/database/roles.ts, removing files the model no longer renders. A test renders into a
// temp dir and fails while the committed files differ.
import * as fs from "node:fs";
import * as path from "node:path";
import { initScripts } from "../components/database/database-init";
import { runTool, type ToolSpec, writeResult } from "./cli";

export const INIT_DIR = path.resolve(__dirname, "..", "database", "init");

/** Renders the init scripts into `dir`; returns the file names written, in run order. */
export function renderInitDir(dir = INIT_DIR): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const scripts = initScripts();
    const wanted = new Set(scripts.map((s) => s.name));
    for (const stale of fs.readdirSync(dir).filter((f) => !wanted.has(f) && !f.startsWith("."))) fs.rmSync(path.join(dir, stale));
    for (const script of scripts) fs.writeFileSync(path.join(dir, script.name), script.content, { mode: 0o644 });
    return scripts.map((s) => s.name);
}

const options = {
    out: { type: "string", value: "<dir>", description: "render into this directory instead of database/init/ (the committed files)" },
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "render-db-init",
    summary:
        "writes database/init/ (the dev database's init scripts) from the access model in components/database/roles.ts, removing files it no longer renders",
    usage: ["[--out <dir>]"],
    options,
    examples: ["npm run -s render-db-init", "npm run -s render-db-init -- --out /tmp/init && diff -r /tmp/init database/init"],
    exitCodes: { 0: "the scripts were written; their names are printed in run order" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        writeResult(renderInitDir(values.out ? path.resolve(values.out) : INIT_DIR).join("\n"), undefined);
        return 0;
    });
