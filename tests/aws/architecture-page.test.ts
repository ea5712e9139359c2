// docs/architecture.md's staging-vs-prod table is the generated one.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { pagePath, withBlock } from "../../tools/generated-page";
import { renderStackTable, stackTableBlock } from "../../tools/stack-table";

describe("docs/architecture.md (aws)", () => {
    it("carries the staging-vs-prod table generated from the stack config (npm run stack-table -- --write)", async () => {
        const text = fs.readFileSync(pagePath(stackTableBlock), "utf8");
        assert.equal(
            withBlock(stackTableBlock, text, await renderStackTable()),
            text,
            "docs/architecture.md's stack table is stale: run npm run -s stack-table -- --write",
        );
    });

    it("shows the design's prod numbers in that table", async () => {
        const table = await renderStackTable();
        for (const cell of [
            "| 2048 MiB / 1 vCPU |",
            "512 MiB / 0.5 vCPU in a 1024 MiB / 0.5 vCPU task",
            "| 2-6 |",
            "db.m7g.xlarge, Multi-AZ",
            "30 days PITR",
            "copied to us-west-2",
            "| 90 days |",
        ]) {
            assert.ok(table.includes(cell), cell);
        }
    });
});
