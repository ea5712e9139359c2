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

    it("shows the design's production numbers in that table's prod column, as the design writes them", async () => {
        // The other cells are the stack config's and the sizing table's, which the test above holds it to.
        const prod = new Map(
            (await renderStackTable())
                .split("\n")
                .map((line) => line.split("|").map((cell) => cell.trim()))
                .map((cells) => [cells[1], cells[3]] as const),
        );
        // ../shared/design/environment-architecture.md line 225: "Backend: 2GB RAM, 1 CPU (auto-scaling)".
        assert.equal(prod.get("backend container (task)"), "2048 MiB / 1 vCPU");
        // Line 226: "Frontend: 512MB RAM, 0.5 CPU", in Fargate's smallest 0.5 vCPU task (1 GB).
        assert.equal(prod.get("frontend container (task)"), "512 MiB / 0.5 vCPU in a 1024 MiB / 0.5 vCPU task");
        // Line 125: "Daily full backups with 30-day retention"; line 127: "Cross-region backup replication".
        assert.match(prod.get("database backups") ?? "", /^30 days PITR .*, copied to [a-z]+-[a-z]+-\d$/);
        // Line 274: "Retention: 30 days for development, 90 days for production".
        assert.equal(prod.get("log retention"), "90 days");
    });
});
