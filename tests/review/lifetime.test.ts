// A review stack's time to live: the stack Deployments makes from Pulumi.pr.yaml schedules its own
// destroy reviewStackTtlHours after its first up; the other stacks schedule none.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { EXPIRY_SCRIPT } from "../../components/review";
import type { Plan } from "../../lib/plan-engine";
import { OFFLINE_ORGANIZATION } from "../../lib/plan-engine";
import { readStackConfig } from "../../lib/stack-config";
import { ofType, projectDir, stackPlan, stackPlanWith } from "../helpers/plan";

const TTL = "pulumiservice:index:TtlSchedule";
const COMMAND = "command:local:Command";

describe("review stacks destroy themselves after their time to live", () => {
    let review: Plan;
    let hours: number;
    before(async () => {
        review = await stackPlan("pr");
        hours = Number(readStackConfig(projectDir, "pr").config["osint-platform:reviewStackTtlHours"]);
    });

    it("the review template sets a time to live; dev, staging and prod keep the default of none", async () => {
        assert.ok(hours > 0);
        for (const stack of ["dev", "staging", "prod"]) assert.deepEqual(ofType(await stackPlan(stack), TTL), [], stack);
    });

    it("schedules this stack's destroy, and its deletion from Pulumi Cloud, at the instant its first up computed", () => {
        const [schedule] = ofType(review, TTL);
        assert.deepEqual(
            [schedule.inputs.organization, schedule.inputs.project, schedule.inputs.stack, schedule.inputs.deleteAfterDestroy],
            [OFFLINE_ORGANIZATION, "osint-platform", "pr", true],
        );
        const expiry = ofType(review, COMMAND).find((c) => c.parent === schedule.parent);
        assert.ok(expiry, "the expiry is computed by a command of the same component");
        // A create-only command: no update or delete step, so later updates keep the first deadline.
        assert.deepEqual(Object.keys(expiry.inputs).sort(), ["create", "environment", "interpreter"]);
        assert.deepEqual(expiry.inputs.environment, { HOURS: String(hours) });
        assert.ok(schedule.dependencies.includes(expiry.urn), "the schedule's timestamp comes from the command");
    });

    it("computes an ISO 8601 instant that many hours ahead, as TtlSchedule takes it", () => {
        const before = Date.now();
        const run = spawnSync("/bin/bash", ["-c", EXPIRY_SCRIPT], { env: { ...process.env, HOURS: String(hours) }, encoding: "utf8" });
        assert.equal(run.status, 0, run.stderr);
        const printed = run.stdout.trim();
        assert.match(printed, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        const ahead = (Date.parse(printed) - before) / 3_600_000;
        assert.ok(Math.abs(ahead - hours) < 0.1, `${printed} is ${ahead.toFixed(2)} h ahead`);
    });

    it("no time to live, no schedule", async () => {
        assert.deepEqual(ofType(await stackPlanWith("pr", { reviewStackTtlHours: "0" }), TTL), []);
    });
});
