// The dev backup job's script on a real PostgreSQL 15, with a controlled clock (BACKUP_NOW): nine
// simulated days of daily dumps under busybox sh (the postgres:15-alpine shell) and dash, the
// design's 7-day retention, verification before pruning, and failures that remove nothing.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { BACKUP_EXIT, BACKUP_METRIC, renderBackupScript } from "../../components/backups/backup-script";
import { PG_BIN, runAsService, runAsServiceInBackground, spawnAsService } from "../../tools/local-postgres";
import { sharedCluster } from "../helpers/database";

const DB = "osint_platform";
const DAY = 86400;
// environment-architecture.md line 121: development's backups, "7-day retention policy".
const RETENTION_DAYS = 7;
const SIMULATED_DAYS = 9;
const DAY_1 = Date.UTC(2026, 0, 1, 2, 0, 0) / 1000; // 2026-01-01T02:00:00Z
const BUSYBOX_APPLETS = ["sh", "date", "tr", "wc", "mv", "rm", "printf", "sleep", "cat"];

function stampOf(day: number): string {
    return new Date((DAY_1 + (day - 1) * DAY) * 1000)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
}

interface RunOnceOptions {
    readonly shell?: "busybox" | "dash";
    readonly env?: Record<string, string>;
    readonly path?: string;
}

describe("backup script (osint-backup) on a real PostgreSQL 15 with a controlled clock", function () {
    let workDir = "";
    let backupDir = "";
    let script = "";
    let busyboxPath = "";

    const server = sharedCluster("osint-backups-", {}, (cluster) => {
        workDir = cluster.workDir;
        cluster.start();
        cluster.psql(`CREATE DATABASE ${DB}`);
        cluster.psql("CREATE TABLE events (day int PRIMARY KEY, note text)", DB);
        script = path.join(workDir, "osint-backup");
        fs.writeFileSync(script, renderBackupScript(), { mode: 0o755 });
        busyboxPath = path.join(workDir, "busybox");
        fs.mkdirSync(busyboxPath);
        for (const applet of BUSYBOX_APPLETS) fs.symlinkSync("/usr/bin/busybox", path.join(busyboxPath, applet));
        runAsService("mkdir", [path.join(workDir, "backups")]);
        backupDir = path.join(workDir, "backups");
    });
    const dumps = () => fs.readdirSync(backupDir).sort();

    /** One run of `osint-backup once` on simulated `day`, in busybox sh or dash. */
    function runOnce(day: number, options: RunOnceOptions = {}) {
        const [shell, args, env] = invocation(day, options);
        return spawnAsService(shell, args, { env });
    }
    function runInBackground(day: number, env: Record<string, string>) {
        const [shell, args, fullEnv] = invocation(day, { env });
        return runAsServiceInBackground(shell, args, { env: fullEnv });
    }
    function invocation(day: number, options: RunOnceOptions): [string, string[], Record<string, string>] {
        const busybox = (options.shell ?? "busybox") === "busybox";
        const env = {
            ...server().clientEnv,
            PGDATABASE: DB,
            BACKUP_RETENTION_DAYS: String(RETENTION_DAYS),
            BACKUP_DIR: backupDir,
            BACKUP_NOW: String(DAY_1 + (day - 1) * DAY),
            PATH: [options.path, busybox ? busyboxPath : undefined, PG_BIN, "/usr/bin", "/bin"].filter(Boolean).join(":"),
            ...options.env,
        };
        return [busybox ? path.join(busyboxPath, "sh") : "/bin/sh", [script, "once"], env];
    }

    it(`keeps exactly the last ${RETENTION_DAYS} daily dumps over ${SIMULATED_DAYS} simulated days, each verified and restorable`, () => {
        for (let day = 1; day <= SIMULATED_DAYS; day++) {
            server().psql(`INSERT INTO events VALUES (${day}, 'day ${day}')`, DB);
            const run = runOnce(day, { shell: day % 2 === 0 ? "dash" : "busybox" });
            assert.equal(run.status, BACKUP_EXIT.ok, `day ${day}: ${run.stderr}`);
            assert.match(run.stdout, new RegExp(`"event":"backup_succeeded","file":"${backupDir}/${DB}-${stampOf(day)}.dump","bytes":\\d+`));
            assert.equal(dumps().length, Math.min(day, RETENTION_DAYS), `day ${day}: ${dumps().join(" ")}`);
        }
        const oldest = SIMULATED_DAYS - RETENTION_DAYS + 1;
        assert.deepEqual(
            dumps(),
            Array.from({ length: RETENTION_DAYS }, (_, i) => `${DB}-${stampOf(oldest + i)}.dump`),
        );
        // The oldest kept dump holds its day's data (one row a day), the newest the last day's.
        for (const [day, rows] of [
            [oldest, oldest],
            [SIMULATED_DAYS, SIMULATED_DAYS],
        ]) {
            const restored = `restored_day_${day}`;
            server().psql(`CREATE DATABASE ${restored}`);
            runAsService(path.join(PG_BIN, "pg_restore"), ["--exit-on-error", "-d", restored, path.join(backupDir, `${DB}-${stampOf(day)}.dump`)], {
                env: server().clientEnv,
            });
            assert.equal(server().psql("SELECT count(*) FROM events", restored), String(rows));
        }
    });

    it("a failed pg_dump exits 1, leaves no partial file and prunes nothing, even when every dump is past retention", () => {
        const before = dumps();
        const run = runOnce(40, { env: { PGPORT: "1" } });
        assert.equal(run.status, BACKUP_EXIT.dumpFailed);
        assert.match(run.stderr, /"event":"backup_failed","database":"osint_platform","step":"pg_dump"/);
        assert.deepEqual(fs.readdirSync(backupDir).sort(), before);
    });

    it("a dump that does not verify exits 2 and never replaces or prunes a good one", () => {
        const fakeBin = path.join(workDir, "broken-pg-restore");
        fs.mkdirSync(fakeBin, { recursive: true });
        fs.writeFileSync(
            path.join(fakeBin, "pg_restore"),
            "#!/bin/sh\necho 'pg_restore: error: input file does not appear to be a valid archive' >&2\nexit 1\n",
            { mode: 0o755 },
        );
        const before = dumps();
        const run = runOnce(40, { path: fakeBin });
        assert.equal(run.status, BACKUP_EXIT.verifyFailed);
        assert.match(run.stderr, /"step":"verify"/);
        assert.deepEqual(fs.readdirSync(backupDir).sort(), before);
    });

    it("after a long outage the first good dump prunes the expired ones and is itself kept; it appears only once complete", () => {
        // pg_dump wrapped: records what the directory holds the moment the dump is written.
        const spyBin = path.join(workDir, "spy-pg-dump");
        const seen = path.join(workDir, "seen-while-dumping");
        fs.mkdirSync(spyBin, { recursive: true });
        fs.writeFileSync(path.join(spyBin, "pg_dump"), `#!/bin/sh\n${PG_BIN}/pg_dump "$@" || exit $?\nls -A "$BACKUP_DIR" > ${seen}\n`, { mode: 0o755 });
        const run = runOnce(40, { path: spyBin });
        assert.equal(run.status, BACKUP_EXIT.ok, run.stderr);
        assert.equal((run.stdout.match(/"event":"backup_pruned"/g) ?? []).length, RETENTION_DAYS, "every kept dump, expired");
        assert.deepEqual(fs.readdirSync(backupDir), [`${DB}-${stampOf(40)}.dump`]);
        const whileDumping = fs.readFileSync(seen, "utf8");
        assert.match(whileDumping, new RegExp(`^\\.${DB}-${stampOf(40)}\\.dump\\.partial$`, "m"));
        assert.ok(!whileDumping.includes(`${DB}-${stampOf(40)}.dump\n`), "the final name exists before the dump is verified");
    });

    it("with BACKUP_WAIT_SECONDS, waits for a server that is still starting, and gives up after that long", async () => {
        server().stop();
        const pending = runInBackground(41, { BACKUP_WAIT_SECONDS: "30" });
        await new Promise((resolve) => setTimeout(resolve, 700));
        server().start();
        const late = await pending;
        assert.equal(late.status, BACKUP_EXIT.ok, late.stderr);
        assert.ok(fs.existsSync(path.join(backupDir, `${DB}-${stampOf(41)}.dump`)));

        const started = Date.now();
        const never = runOnce(42, { env: { BACKUP_WAIT_SECONDS: "1", PGPORT: "1" } });
        assert.equal(never.status, BACKUP_EXIT.dumpFailed);
        assert.match(never.stderr, /"step":"wait","seconds":1/);
        assert.ok(Date.now() - started >= 1000, "waited a second");
    });

    it("publishes each good dump's time as the backup metric, atomically, and keeps it through a failed run", () => {
        const metricsDir = path.join(workDir, "metrics");
        runAsService("mkdir", ["-p", metricsDir]);
        const metricsFile = path.join(metricsDir, "osint_backup.prom");
        const ok = runOnce(44, { env: { BACKUP_METRICS_DIR: metricsDir } });
        assert.equal(ok.status, BACKUP_EXIT.ok, ok.stderr);
        const published = fs.readFileSync(metricsFile, "utf8");
        assert.match(published, new RegExp(`^# TYPE ${BACKUP_METRIC} gauge$`, "m"));
        assert.match(published, new RegExp(`^${BACKUP_METRIC}\\{database="${DB}"\\} ${DAY_1 + 43 * DAY}$`, "m"));
        assert.deepEqual(fs.readdirSync(metricsDir), ["osint_backup.prom"], "no partial file is left behind");

        const failed = runOnce(45, { env: { BACKUP_METRICS_DIR: metricsDir, PGPORT: "1" } });
        assert.equal(failed.status, BACKUP_EXIT.dumpFailed);
        assert.equal(fs.readFileSync(metricsFile, "utf8"), published, "a failed run leaves the last success in place");

        const unwritable = runOnce(46, { env: { BACKUP_METRICS_DIR: path.join(workDir, "no-such-dir") } });
        assert.equal(unwritable.status, BACKUP_EXIT.badConfiguration);
        assert.match(unwritable.stderr, /"variable":"BACKUP_METRICS_DIR","expected":"a writable directory"/);
    });

    it("bad configuration exits 3 naming the variable, what was expected and what was found", () => {
        const before = dumps();
        const run = runOnce(43, { env: { BACKUP_RETENTION_DAYS: "seven" } });
        assert.equal(run.status, BACKUP_EXIT.badConfiguration);
        assert.match(run.stderr, /"event":"config_invalid","variable":"BACKUP_RETENTION_DAYS","expected":"a whole number of at least 1","found":"seven"/);
        assert.deepEqual(dumps(), before);
    });
});
