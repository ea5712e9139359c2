import { strict as assert } from "node:assert";
import { stackPlan } from "./helpers/plan";

describe("offline plan engine", () => {
    it("produces the dev plan with the JSON contract's fields", async () => {
        const plan = await stackPlan("dev");
        assert.equal(plan.stack, "dev");
        assert.equal(plan.project, "osint-platform");
        assert.ok(plan.resources.length > 0);
        for (const r of plan.resources) {
            assert.deepEqual(Object.keys(r).sort(), ["inputs", "name", "options", "parent", "source", "type", "urn"]);
            assert.deepEqual(Object.keys(r.options).sort(), ["dependsOn", "protect", "retainOnDelete"]);
            // Where the program registered it: a repository file and line (the engine's own Stack has none).
            if (r.type === "pulumi:pulumi:Stack") assert.equal(r.source, null);
            else
                assert.ok(
                    r.source && /^[\w./-]+\.ts$/.test(r.source.file) && !r.source.file.startsWith("tools/") && r.source.line > 0,
                    `${r.urn}: ${JSON.stringify(r.source)}`,
                );
        }
    });
});
