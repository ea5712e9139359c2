// npm run render-db-init
// Writes database/init/ (the dev container's /docker-entrypoint-initdb.d) from the access model in
// components/database/roles.ts. A test fails while the committed files differ from this rendering.
import * as fs from "node:fs";
import * as path from "node:path";
import { initScripts } from "../components/database/database-init";

export const INIT_DIR = path.resolve(__dirname, "..", "database", "init");

function main(): void {
    fs.mkdirSync(INIT_DIR, { recursive: true });
    const wanted = new Set(initScripts().map((s) => s.name));
    for (const stale of fs.readdirSync(INIT_DIR).filter((f) => !wanted.has(f) && !f.startsWith("."))) fs.rmSync(path.join(INIT_DIR, stale));
    for (const script of initScripts()) {
        fs.writeFileSync(path.join(INIT_DIR, script.name), script.content, { mode: 0o644 });
        process.stdout.write(`database/init/${script.name}\n`);
    }
}

if (require.main === module) main();
