// render-db-init on the command line: what it writes into --out, what of an earlier render it
// replaces, that it never removes or overwrites a file it did not write, and that its --help
// examples hold on this checkout.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initScripts } from "../../components/database/database-init";
import { RENDERED_MARK, spec } from "../../tools/render-db-init";
import { TS_HOOK } from "../helpers/hook";
import { projectDir } from "../helpers/plan";

const TOOL = ["--require", TS_HOOK, path.join("tools", "render-db-init.ts")];
const SCRIPTS = initScripts();
const NAMES = SCRIPTS.map((s) => s.name);

function renderDbInit(...args: string[]) {
    return spawnSync(process.execPath, [...TOOL, ...args], { cwd: projectDir, encoding: "utf8" });
}

describe("render-db-init --out <dir>", () => {
    let dir = "";
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-render-db-init-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = (name: string) => path.join(dir, name);

    it("leaves every file it did not write as it was, and says which on stderr", () => {
        fs.writeFileSync(file("important.txt"), "keep\n");
        fs.writeFileSync(file("30-local.sql"), "SELECT 1;\n");
        fs.writeFileSync(file(".gitkeep"), "");
        const run = renderDbInit("--out", dir);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.stdout.trim().split("\n"), NAMES);
        assert.equal(fs.readFileSync(file("important.txt"), "utf8"), "keep\n");
        assert.equal(fs.readFileSync(file("30-local.sql"), "utf8"), "SELECT 1;\n");
        assert.deepEqual(fs.readdirSync(dir).sort(), [".gitkeep", "30-local.sql", "important.txt", ...NAMES].sort());
        assert.equal(run.stderr, "render-db-init: left 30-local.sql, important.txt alone (not written by render-db-init)\n");
    });

    it("replaces an earlier render: its scripts rewritten, the ones the model no longer renders removed", () => {
        const first = renderDbInit("--out", dir);
        assert.deepEqual([first.status, first.stderr], [0, ""]);
        fs.appendFileSync(file(NAMES[0]), "-- edited by hand\n");
        // A script of an earlier model, rendered then.
        fs.writeFileSync(file("05-dropped-from-the-model.sql"), `-- Rendered from components/database/roles.ts ${RENDERED_MARK}\nSELECT 1;\n`);
        const again = renderDbInit("--out", dir);
        assert.equal(again.status, 0, again.stderr);
        assert.equal(again.stderr, "render-db-init: removed 05-dropped-from-the-model.sql (written earlier, no longer rendered)\n");
        assert.deepEqual(fs.readdirSync(dir).sort(), [...NAMES].sort());
        for (const script of SCRIPTS) assert.equal(fs.readFileSync(file(script.name), "utf8"), script.content, script.name);
    });

    it("writes nothing when a script's name is taken by a file it did not write (exit 2, one line)", () => {
        fs.writeFileSync(file(NAMES[1]), "mine\n");
        const run = renderDbInit("--out", dir);
        assert.equal(run.status, 2, run.stderr);
        assert.equal(
            run.stderr,
            `render-db-init: ${file(NAMES[1])} exists and was not written by render-db-init; not overwriting (move it away or choose another --out)\n`,
        );
        assert.deepEqual(fs.readdirSync(dir), [NAMES[1]]);
        assert.equal(fs.readFileSync(file(NAMES[1]), "utf8"), "mine\n");
    });

    it("refuses an --out that is a file (exit 2, one line)", () => {
        fs.writeFileSync(file("a-file"), "keep\n");
        const run = renderDbInit("--out", file("a-file"));
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stderr, `render-db-init: ${file("a-file")} is not a directory\n`);
        assert.equal(fs.readFileSync(file("a-file"), "utf8"), "keep\n");
    });
});

describe("render-db-init --help examples", () => {
    it("each example that renders into a directory holds on this checkout, run as written (the tool run directly instead of through npm)", () => {
        const examples = spec.examples.filter((example) => /--out \S+/.test(example));
        assert.ok(examples.length > 0, "an example renders into a directory");
        for (const example of examples) {
            const out = /--out (\S+)/.exec(example)![1];
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "osint-render-db-init-example-"));
            try {
                // A folder of its own in place of the example's, new as on a clean machine.
                const command = example
                    .split(out)
                    .join(path.join(root, "init"))
                    .replace("npm run -s render-db-init --", `"${process.execPath}" --require "${TS_HOOK}" tools/render-db-init.ts`);
                const run = spawnSync("bash", ["-c", command], { cwd: projectDir, encoding: "utf8" });
                assert.equal(run.status, 0, `${example}\n${run.stdout}${run.stderr}`);
            } finally {
                fs.rmSync(root, { recursive: true, force: true });
            }
        }
    });
});
