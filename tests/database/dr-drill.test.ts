// The disaster-recovery drill as CI runs it: a small point-in-time recovery on a real PostgreSQL 15,
// in-process (sharing the suite's initdb template) and through the operator's command line.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { runDrill } from "../../tools/dr-drill";
import { projectDir } from "../helpers/plan";

function drill(...args: string[]) {
    return spawnSync(process.execPath, ["--require", "sucrase/register/ts", path.join("tools", "dr-drill.ts"), ...args], { cwd: projectDir, encoding: "utf8" });
}

describe("DR drill (point-in-time recovery on a real PostgreSQL 15)", function () {
    this.timeout(90_000);

    it("recovers every row committed before the target, none after, within the design's RTO (15 min) and RPO (1 h)", async () => {
        // The report as `--json` prints it.
        const report = JSON.parse(JSON.stringify(await runDrill(100)));
        for (const key of ["rowsBeforeTarget", "rowsRecovered", "lost", "restoreSeconds", "walReplaySeconds", "dataBytes"]) {
            assert.equal(typeof report[key], "number", `${key} in ${JSON.stringify(report)}`);
        }
        // 1000 rows before the base backup, then 100 streamed writes with the target taken after the 50th.
        assert.ok(report.rowsBeforeTarget >= 1050 && report.rowsBeforeTarget < 1100, String(report.rowsBeforeTarget));
        assert.equal(report.rowsRecovered, report.rowsBeforeTarget);
        assert.equal(report.lost, 0);
        assert.equal(report.rowsPastTarget, 0);
        assert.ok(report.walReplaySeconds > 0 && report.walReplaySeconds <= report.restoreSeconds);
        assert.ok(report.dataBytes > 1_000_000, "a real base backup was restored");
        assert.deepEqual([report.rto.targetSeconds, report.rto.met], [900, true]);
        assert.ok(report.restoreSeconds < 900);
        assert.deepEqual([report.rpo.targetSeconds, report.rpo.lostRows, report.rpo.met], [3600, 0, true]);
        assert.match(report.verdict, /within the design's 15 min database RTO .* within the design's 1 h RPO/);
    });

    it("refuses a drill too small to prove anything, naming the option", () => {
        const run = drill("--rows", "5");
        assert.equal(run.status, 2);
        assert.match(run.stderr, /--rows must be an integer of at least 10, got 5/);
    });
});
