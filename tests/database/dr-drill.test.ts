// The disaster-recovery drill as CI runs it: a small point-in-time recovery on a real PostgreSQL 15,
// in-process (sharing the suite's initdb template) and through the operator's command line.
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MIN_ROWS, PRELOAD_ROWS_PER_WRITE, reportText, runDrill } from "../../tools/dr-drill";
import { LocalPostgres, serviceWorkDir } from "../../tools/local-postgres";
import { projectDir } from "../helpers/plan";
import { TS_HOOK } from "../helpers/hook";

const DRILL = ["--require", TS_HOOK, path.join("tools", "dr-drill.ts")];

function drill(...args: string[]) {
    return spawnSync(process.execPath, [...DRILL, ...args], { cwd: projectDir, encoding: "utf8" });
}

/** A folder of its own for one drill's clusters (template included), which the postgres user may enter. */
function drillRoot(): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "osint-drill-signal-"));
    fs.chmodSync(root, 0o755);
    return root;
}

/** Processes whose command line names `dir` (the servers a drill started there). */
function processesUnder(dir: string): string[] {
    return fs
        .readdirSync("/proc")
        .filter((pid) => /^\d+$/.test(pid))
        .map((pid) => {
            try {
                return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
            } catch {
                return ""; // ended meanwhile
            }
        })
        .filter((cmdline) => cmdline.includes(dir));
}

interface HowToInterrupt {
    /**
     * Signal the drill's whole process group, as a terminal's Ctrl-C (or `timeout`) does: the cp,
     * initdb or psql the drill is waiting on gets the signal too.
     */
    readonly group?: boolean;
    /**
     * Send the signal again once the drill says it is stopping, as a second Ctrl-C does (to the
     * group: the pg_ctl stopping a server gets it too) or npm forwarding its copy of one.
     */
    readonly again?: boolean;
}

/** Runs the command-line drill, sends `signal` when a progress line matches `when`, and returns how it ended. */
function interrupt(signal: NodeJS.Signals, when: RegExp, root: string, how: HowToInterrupt = {}): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...DRILL, "--rows", "400"], {
            cwd: projectDir,
            env: { ...process.env, TMPDIR: root, OSINT_PG_ROOT: root },
            // A process group of its own, so signalling the group reaches the drill and its children only.
            detached: how.group === true,
        });
        let stderr = "";
        let sent = false;
        let sentAgain = false;
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
            if (!sent && when.test(stderr)) {
                sent = true;
                if (how.group) process.kill(-child.pid!, signal);
                else child.kill(signal);
            }
            if (how.again && !sentAgain && stderr.includes(`${signal}: stopping`)) {
                sentAgain = true;
                if (how.group) process.kill(-child.pid!, signal);
                else child.kill(signal);
            }
        });
        child.once("error", reject);
        child.once("close", (code) => resolve({ code, stderr }));
    });
}

describe("DR drill (point-in-time recovery on a real PostgreSQL 15)", function () {
    it("recovers every row committed before the target, none after, within the design's RTO (15 min) and RPO (1 h)", async () => {
        // The report as `--json` prints it.
        const phases: string[] = [];
        const report = JSON.parse(JSON.stringify(await runDrill(100, undefined, (phase) => phases.push(phase))));
        const expectedPhases = [
            /^starting the primary/,
            new RegExp(`^preloading ${100 * PRELOAD_ROWS_PER_WRITE} rows`),
            /^taking the base backup/,
            /^streaming 100 writes, the recovery target after 50$/,
            /^archiving WAL/,
            /^restoring/,
            /^replaying WAL to the target/,
            /^counting/,
        ];
        assert.equal(phases.length, expectedPhases.length, phases.join("\n"));
        expectedPhases.forEach((phase, i) => assert.match(phases[i], phase));
        for (const key of ["rowsBeforeTarget", "rowsRecovered", "lost", "restoreSeconds", "walReplaySeconds", "dataBytes"]) {
            assert.equal(typeof report[key], "number", `${key} in ${JSON.stringify(report)}`);
        }
        // 1000 rows before the base backup, then 100 streamed writes with the target taken after the 50th.
        assert.deepEqual([report.preloadedRows, report.streamedRows], [100 * PRELOAD_ROWS_PER_WRITE, 100]);
        assert.ok(report.rowsBeforeTarget >= 1050 && report.rowsBeforeTarget < 1100, String(report.rowsBeforeTarget));
        // The text output says where the rows before the target come from (--rows 2000 reports about 21,000).
        assert.match(
            reportText(report),
            new RegExp(
                `^rows before target  ${report.rowsBeforeTarget} \\(${report.preloadedRows} preloaded before the base backup \\+ ${report.rowsBeforeTarget - report.preloadedRows} of the 100 streamed writes\\)$`,
                "m",
            ),
        );
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

    it("refuses a bad --rows as a usage error naming the option and the value (exit 2, one line)", () => {
        for (const rows of ["abc", "0", "-5", String(MIN_ROWS - 1), "12.5"]) {
            const run = drill(`--rows=${rows}`);
            assert.equal(run.status, 2, `--rows ${rows}: ${run.stderr}`);
            assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
            assert.ok(
                run.stderr.startsWith(`dr-drill: --rows: expected an integer of at least ${MIN_ROWS}, found ${JSON.stringify(rows)}; usage: `),
                run.stderr,
            );
        }
    });

    it("on SIGINT or SIGTERM mid-drill stops every server it started and removes its folders (exit 130, 143); progress on stderr until then", async () => {
        const cases = [
            { signal: "SIGINT", when: /streaming \d+ writes/, code: 130 },
            { signal: "SIGTERM", when: /taking the base backup/, code: 143 },
        ] as const;
        const roots = cases.map(() => drillRoot());
        try {
            // Both at once: each drill is mostly waiting on its servers.
            const runs = await Promise.all(cases.map(({ signal, when }, i) => interrupt(signal, when, roots[i])));
            cases.forEach(({ signal, when, code }, i) => {
                const run = runs[i];
                assert.equal(run.code, code, run.stderr);
                const lines = run.stderr.trim().split("\n");
                for (const line of lines) assert.match(line, /^dr-drill \[ *\d+\.\d s\] \S/, "each progress line shows the elapsed time");
                assert.match(lines[0], /starting the primary/);
                assert.ok(lines.some((line) => when.test(line)));
                assert.match(lines[lines.length - 1], new RegExp(`${signal}: stopping the drill's servers and removing its folders$`));
                assert.deepEqual(processesUnder(roots[i]), [], `${signal}: a server of the drill still runs`);
                assert.deepEqual(fs.readdirSync(roots[i]), [], `${signal}: the drill left folders behind`);
            });
        } finally {
            for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("on Ctrl-C at any moment, its children signalled too or the signal sent twice, exits 130 or 143 saying only that it was interrupted, leaving nothing behind", async () => {
        const cases = [
            // The first phase: the mkdir, chown or copy of the template gets the signal too and fails
            // (initdb, in a session of its own, finishes first).
            { signal: "SIGINT", when: /starting the primary/, how: { group: true }, code: 130 },
            { signal: "SIGTERM", when: /preloading/, how: { group: true }, code: 143 },
            // pg_ctl waiting for the restored server to replay WAL and start.
            { signal: "SIGINT", when: /replaying WAL/, how: { group: true }, code: 130 },
            // A second Ctrl-C while the drill stops its servers.
            { signal: "SIGINT", when: /streaming \d+ writes/, how: { group: true, again: true }, code: 130 },
        ] as const;
        const roots = cases.map(() => drillRoot());
        try {
            const runs = await Promise.all(cases.map(({ signal, when, how }, i) => interrupt(signal, when, roots[i], how)));
            cases.forEach(({ signal, when, code }, i) => {
                const run = runs[i];
                assert.equal(run.code, code, `${signal} at ${when}: ${run.stderr}`);
                assert.doesNotMatch(run.stderr, /internal error/, "an interrupt is not a bug");
                const lines = run.stderr.trim().split("\n");
                for (const line of lines) assert.match(line, /^dr-drill \[ *\d+\.\d s\] \S/, `progress lines only: ${run.stderr}`);
                assert.deepEqual(
                    lines.filter((line) => line.includes(signal)),
                    [lines[lines.length - 1]],
                    `one line, the last, says it was interrupted: ${run.stderr}`,
                );
                assert.match(lines[lines.length - 1], new RegExp(`${signal}: stopping the drill's servers and removing its folders$`));
                assert.deepEqual(processesUnder(roots[i]), [], `${signal} at ${when}: a server of the drill still runs`);
                assert.deepEqual(fs.readdirSync(roots[i]), [], `${signal} at ${when}: the drill left folders behind`);
            });
        } finally {
            for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("removes a work folder it could not hand to the postgres user (as when a Ctrl-C kills the chown)", function () {
        if (process.getuid?.() !== 0) this.skip(); // only root hands its folders over
        const root = drillRoot();
        const path0 = process.env.PATH;
        try {
            process.env.PATH = "/nonexistent"; // chown not found
            assert.throws(() => serviceWorkDir("osint-drill-handover-", root), /ENOENT/);
            process.env.PATH = path0;
            assert.deepEqual(fs.readdirSync(root), [], "the folder is left behind");
        } finally {
            process.env.PATH = path0;
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("stops a server whose pg_ctl start gave up waiting, so its folder can go", async () => {
        const workDir = serviceWorkDir("osint-drill-start-", drillRoot());
        try {
            const cluster = await LocalPostgres.create(workDir, "data");
            // pg_ctl gives up at once (-t 0) and exits 1, the server it launched starting on regardless.
            assert.throws(() => cluster.start([], 0), /did not start in time/);
            const pidFile = path.join(cluster.dataDir, "postmaster.pid");
            for (const deadline = Date.now() + 10_000; !fs.existsSync(pidFile) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
            cluster.stop();
            assert.deepEqual(processesUnder(cluster.dataDir), [], "the server still runs");
        } finally {
            fs.rmSync(path.dirname(workDir), { recursive: true, force: true });
        }
    });
});
