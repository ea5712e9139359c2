// The README's AWS section: its staging-vs-prod table is the generated one, and the config keys it
// tells an operator to set exist.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { fields } from "../../config";
import { renderStackTable, withTable } from "../../tools/stack-table";
import { projectDir } from "../helpers/plan";

const readme = () => fs.readFileSync(path.join(projectDir, "README.md"), "utf8");

describe("README (aws)", () => {
    it("carries the staging-vs-prod table generated from the stack config (npm run stack-table -- --write)", () => {
        const text = readme();
        assert.equal(withTable(text, renderStackTable()), text, "README's stack table is stale: run npm run stack-table -- --write");
    });

    it("shows the design's prod numbers in that table", () => {
        const table = renderStackTable();
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

    it("names only declared config keys in the prod prerequisites", () => {
        const section = readme().split("### `pulumi up --stack prod`: prerequisites")[1];
        assert.ok(section, "the prerequisites section");
        const named = [...section.matchAll(/osint-platform:([a-zA-Z]+)/g)].map((m) => m[1]);
        assert.ok(named.length >= 4);
        for (const key of named) assert.ok(key in fields, `${key} is a project key`);
    });
});
