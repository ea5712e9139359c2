// npm run render-db-init [-- --out <dir>]
// Writes database/init/ (the dev container's /docker-entrypoint-initdb.d) from the access model in
// components/database/roles.ts, removing files the model no longer renders. A test renders into a
// temp dir and fails while the committed files differ.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { initScripts } from "../components/database/database-init";

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

if (require.main === module) {
    const { values } = parseArgs({ options: { out: { type: "string" } } });
    for (const name of renderInitDir(values.out ? path.resolve(values.out) : INIT_DIR)) process.stdout.write(`${name}\n`);
}
