// The generating tools (diagram, stack-table, config-reference) on the command-line contract: print
// or --out, --write the page's block, and usage errors in one line.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageError } from "../../tools/cli";
import { withBlock, writeReport } from "../../tools/generated-page";
import { diagramBlock } from "../../tools/diagram";
import { renderStackTable, stackTableBlock } from "../../tools/stack-table";
import { projectDir } from "../helpers/plan";
import { TS_HOOK } from "../helpers/hook";

function tool(name: string, ...args: string[]) {
    return spawnSync(process.execPath, ["--require", TS_HOOK, `tools/${name}.ts`, ...args], { cwd: projectDir, encoding: "utf8" });
}

describe("generated pages", () => {
    const block = { page: "docs/page.md", begin: "<!-- x:begin -->", end: "<!-- x:end -->" };

    it("replace exactly their block, markers included", () => {
        assert.equal(
            withBlock(block, "a\n<!-- x:begin -->\nold\n<!-- x:end -->\nb", "<!-- x:begin -->\nnew\n<!-- x:end -->"),
            "a\n<!-- x:begin -->\nnew\n<!-- x:end -->\nb",
        );
    });

    it("--write names the block it wrote, or found up to date, and its page", () => {
        assert.equal(writeReport(diagramBlock("dev"), true), "wrote the diagram:dev block of docs/architecture.md");
        assert.equal(writeReport(stackTableBlock, false), "the stack-table block of docs/architecture.md is up to date");
        const written = tool("stack-table", "--write");
        assert.deepEqual([written.status, written.stderr], [0, "the stack-table block of docs/architecture.md is up to date\n"]);
    });

    it("name the page and the markers when the block is missing", () => {
        assert.throws(
            () => withBlock(block, "no markers", "x"),
            (err: unknown) => err instanceof UsageError && /docs\/page\.md has no <!-- x:begin -->/.test(err.message),
        );
    });

    it("stack-table --out writes the table to a file; --write with --out is a usage error", async () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "osint-table-")), "table.md");
        const written = tool("stack-table", "--out", out);
        assert.equal(written.status, 0, written.stderr);
        assert.equal(fs.readFileSync(out, "utf8"), `${await renderStackTable()}\n`);
        fs.rmSync(path.dirname(out), { recursive: true });

        const both = tool("config-reference", "--write", "--out", "x.md");
        assert.equal(both.status, 2);
        assert.equal(both.stderr.trim().split("\n").length, 1);
        assert.match(both.stderr, /^config-reference: --write updates docs\/configuration\.md; it takes no --out/);
    });

    it("diagram --help prints its usage, options and exit codes and exits 0", () => {
        const help = tool("diagram", "--help");
        assert.equal(help.status, 0);
        for (const part of ["usage: npm run -s diagram -- --stack", "--write", "--out <file>", "exit codes:"]) assert.ok(help.stdout.includes(part), part);
    });
});
