// npm run -s dr-drill [-- --rows N --json]
// A point-in-time-recovery drill on a real PostgreSQL 15 on loopback: WAL archiving on, a preload of
// 10 rows per streamed write, a base backup, N continuous timestamped writes, then recovery to a
// target time (taken after half of them) into a fresh data directory. Measures the restore against the design's objectives (database RTO < 15 min, data
// loss RPO < 1 h) and exits non-zero when a row is lost or an objective is missed.
import { performance } from "node:perf_hooks";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { onInterrupt, outOption, runTool, SIGNAL_EXIT, type ToolSpec, UsageError, writeResult } from "./cli";
import { OBJECTIVES } from "../lib/recovery-objectives";
import { LocalPostgres, PG_BIN, removeWorkDir, runAsService, serviceWorkDir } from "./local-postgres";

/** The drill primary forces a WAL segment switch at least this often: its worst-case data loss. */
export const ARCHIVE_TIMEOUT_SECONDS = 60;

const DB = "drill";
/** Rows written before the base backup per streamed write, so the restore copies a real data set. */
export const PRELOAD_ROWS_PER_WRITE = 10;
export const MIN_ROWS = 10;

export interface DrillReport {
    /** Rows written before the base backup (PRELOAD_ROWS_PER_WRITE per streamed write). */
    readonly preloadedRows: number;
    /** Rows written one per transaction after the base backup, the recovery target among them. */
    readonly streamedRows: number;
    /** Rows committed at or before the recovery target (commit timestamps on the primary). */
    readonly rowsBeforeTarget: number;
    readonly rowsRecovered: number;
    /** Rows committed before the target and missing after recovery: must be 0. */
    readonly lost: number;
    /** Rows committed after the target that recovery wrongly replayed: must be 0. */
    readonly rowsPastTarget: number;
    /** Copying the base backup, replaying WAL to the target, promotion and the first query. */
    readonly restoreSeconds: number;
    /** From starting the restored server to its promotion at the target. */
    readonly walReplaySeconds: number;
    /** Size of the base backup restored. */
    readonly dataBytes: number;
    /** Size of the archived WAL available to recovery. */
    readonly walBytes: number;
    readonly targetTime: string;
    readonly rto: { readonly targetSeconds: number; readonly measuredSeconds: number; readonly met: boolean; readonly bytesRestorableWithinTarget: number };
    readonly rpo: { readonly targetSeconds: number; readonly lostRows: number; readonly worstCaseSeconds: number; readonly met: boolean };
    readonly verdict: string;
}

function directoryBytes(dir: string): number {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
}

const seconds = (from: number) => Math.round(performance.now() - from) / 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lets a signal the process has received reach its handler (onInterrupt's, which exits) before the
 * drill reports an outcome. Node runs signal handlers when its event loop polls for I/O, and a drill
 * may end without having polled since the signal came: its children run synchronously, and its last
 * steps wait on no I/O. Two turns of the loop include a poll; `graceMs` also waits for a signal still
 * on its way.
 */
async function pendingSignalsHandled(graceMs = 0): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    if (graceMs > 0) await sleep(graceMs);
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) throw new Error(`dr-drill: timed out waiting for ${what}`);
        await sleep(50);
    }
}

// Each drill in progress, as the function that stops its servers and removes its folder: a signal
// handler runs them before the process exits, so Ctrl-C leaves no server or folder behind.
const inProgress = new Set<() => void>();

/** Stops every drill in progress now (synchronously): for SIGINT and SIGTERM handlers. */
function abortDrills(): void {
    for (const cleanup of inProgress) cleanup();
    inProgress.clear();
}

/**
 * Runs the drill in a temp directory under `root` that it removes afterwards; `rows` is the number
 * of writes after the base backup (10 times as many are preloaded before it). The command line
 * drills on disk (os.tmpdir()), so the measured restore pays for real I/O; tests may drill in
 * memory. `progress` hears each phase as it starts.
 */
export async function runDrill(rows: number, root?: string, progress: (phase: string) => void = () => undefined): Promise<DrillReport> {
    if (!Number.isInteger(rows) || rows < MIN_ROWS) throw new Error(`dr-drill: rows must be an integer of at least ${MIN_ROWS}, got ${rows}`);
    const preloadedRows = rows * PRELOAD_ROWS_PER_WRITE;
    const workDir = serviceWorkDir("osint-dr-drill-", root);
    const archive = path.join(workDir, "wal-archive");
    let primary: LocalPostgres | undefined;
    let restored: LocalPostgres | undefined;
    const cleanup = () => {
        restored?.stop();
        primary?.stop();
        removeWorkDir(workDir);
    };
    inProgress.add(cleanup);
    try {
        progress(`starting the primary with WAL archiving in ${workDir}`);
        runAsService("mkdir", [archive]);
        primary = await LocalPostgres.create(workDir, "primary", {
            conf: [
                "wal_level = replica",
                "archive_mode = on",
                // Copy then rename: recovery must never read a half-copied segment.
                `archive_command = 'test ! -f ${archive}/%f && cp %p ${archive}/%f.partial && mv ${archive}/%f.partial ${archive}/%f'`,
                `archive_timeout = ${ARCHIVE_TIMEOUT_SECONDS}`,
                "track_commit_timestamp = on",
            ],
        });
        primary.start();
        primary.psql(`CREATE DATABASE ${DB}`);
        primary.psql("CREATE TABLE events (id bigserial PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT clock_timestamp(), payload text NOT NULL)", DB);
        // The primary runs without fsync (its durability is not what the drill measures); the
        // restored server keeps it, so the measured restore pays for real writes.
        progress(`preloading ${preloadedRows} rows (${PRELOAD_ROWS_PER_WRITE} per streamed write, so the restore copies a real data set)`);
        primary.psql(`INSERT INTO events (payload) SELECT repeat(md5(g::text), 16) FROM generate_series(1, ${preloadedRows}) g`, DB);

        progress("taking the base backup");
        const base = path.join(workDir, "base");
        runAsService(path.join(PG_BIN, "pg_basebackup"), ["-D", base, "-X", "stream", "-c", "fast", "--no-sync", "-d", `port=${primary.port}`], {
            env: primary.clientEnv,
        });

        progress(`streaming ${rows} writes, the recovery target after ${Math.floor(rows / 2)}`);
        // Continuous writes, one row per transaction; the target is taken mid-stream from another session.
        const writer = await primary.connect({ user: "postgres", database: DB, host: primary.workDir });
        const observer = await primary.connect({ user: "postgres", database: DB, host: primary.workDir });
        let halfWritten: () => void = () => undefined;
        const half = new Promise<void>((resolve) => (halfWritten = resolve));
        const writes = (async () => {
            for (let written = 1; written <= rows; written++) {
                await writer.query("INSERT INTO events (payload) VALUES (repeat(md5(random()::text), 16))");
                if (written === Math.floor(rows / 2)) halfWritten();
                await sleep(1); // a steady stream, so writes land on both sides of the target
            }
        })();
        await half;
        const targetTime: string = (await observer.query("SELECT clock_timestamp()::text AS t")).rows[0].t;
        await writes;
        const committed = (
            await observer.query(
                "SELECT count(*) FILTER (WHERE pg_xact_commit_timestamp(xmin) <= $1::timestamptz)::int AS before, max(id) FILTER (WHERE pg_xact_commit_timestamp(xmin) <= $1::timestamptz)::bigint AS last FROM events",
                [targetTime],
            )
        ).rows[0] as { before: number; last: string };
        if (Number(committed.before) >= preloadedRows + rows) throw new Error("dr-drill: no write committed after the target; the drill proves nothing");
        const segment: string = (await observer.query("SELECT pg_walfile_name(pg_switch_wal()) AS s")).rows[0].s;
        await Promise.all([writer.end(), observer.end()]);
        progress(`archiving WAL up to segment ${segment}, then losing the primary`);
        const archived = primary;
        await waitFor(`WAL segment ${segment} archived`, () => archived.psql("SELECT last_archived_wal FROM pg_stat_archiver") >= segment);
        primary.kill(); // the primary is lost

        progress("restoring the base backup into a fresh data directory");
        const restoreStart = performance.now();
        restored = await LocalPostgres.existing(workDir, "restored");
        runAsService("cp", ["-a", base, restored.dataDir]);
        restored.configure({
            conf: [
                "archive_mode = off",
                `restore_command = 'cp ${archive}/%f %p'`,
                `recovery_target_time = '${targetTime}'`,
                "recovery_target_action = 'promote'",
            ],
        });
        fs.writeFileSync(path.join(restored.dataDir, "recovery.signal"), "");
        progress(`replaying WAL to the target ${targetTime}`);
        const replayStart = performance.now();
        restored.start();
        const live = restored;
        await waitFor("promotion at the recovery target", () => live.psql("SELECT pg_is_in_recovery()") === "f", 15 * 60_000);
        const walReplaySeconds = seconds(replayStart);
        const [recovered, pastTarget] = restored
            .psql(`SELECT count(*), count(*) FILTER (WHERE id > ${Number(committed.last)}) FROM events`, DB)
            .split("|")
            .map(Number);
        const restoreSeconds = seconds(restoreStart);

        const dataBytes = directoryBytes(base);
        const lost = Math.max(0, committed.before - (recovered - pastTarget));
        const rtoMet = restoreSeconds < OBJECTIVES.rtoSeconds;
        const rpoMet = lost === 0 && ARCHIVE_TIMEOUT_SECONDS < OBJECTIVES.rpoSeconds;
        const bytesRestorableWithinTarget = Math.floor((dataBytes / Math.max(restoreSeconds, 0.001)) * OBJECTIVES.rtoSeconds);
        progress("counting the recovered rows");
        return {
            preloadedRows,
            streamedRows: rows,
            rowsBeforeTarget: committed.before,
            rowsRecovered: recovered,
            lost,
            rowsPastTarget: pastTarget,
            restoreSeconds,
            walReplaySeconds,
            dataBytes,
            walBytes: directoryBytes(archive),
            targetTime,
            rto: { targetSeconds: OBJECTIVES.rtoSeconds, measuredSeconds: restoreSeconds, met: rtoMet, bytesRestorableWithinTarget },
            rpo: { targetSeconds: OBJECTIVES.rpoSeconds, lostRows: lost, worstCaseSeconds: ARCHIVE_TIMEOUT_SECONDS, met: rpoMet },
            verdict:
                `RTO: restored ${dataBytes} bytes and replayed WAL to the target in ${restoreSeconds} s, ` +
                `${rtoMet ? "within" : "OVER"} the design's ${OBJECTIVES.rtoSeconds / 60} min database RTO ` +
                `(at this machine's rate about ${(bytesRestorableWithinTarget / 2 ** 30).toFixed(1)} GiB restore within it; ` +
                `an RDS restore is timed by the runbook's drill). ` +
                `RPO: ${lost} of ${committed.before} rows committed before the target lost; WAL archiving bounds loss at ` +
                `${ARCHIVE_TIMEOUT_SECONDS} s (archive_timeout), ${rpoMet ? "within" : "OVER"} the design's ${OBJECTIVES.rpoSeconds / 3600} h RPO.`,
        };
    } finally {
        inProgress.delete(cleanup);
        cleanup();
    }
}

const options = {
    rows: {
        type: "string",
        value: "<n>",
        default: "2000",
        description: `writes streamed after the base backup, the recovery target after half of them (at least ${MIN_ROWS}); ${PRELOAD_ROWS_PER_WRITE} times as many are preloaded before it`,
    },
    json: { type: "boolean", description: "print the report as JSON" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "dr-drill",
    summary: "a point-in-time recovery on a real PostgreSQL 15 on loopback, measured against the design's RTO (15 min) and RPO (1 h); progress on stderr",
    usage: ["[--rows <n>] [--json] [--out <file>]"],
    options,
    examples: ["npm run -s dr-drill", "npm run -s dr-drill -- --rows 500 --json --out out/drill.json"],
    exitCodes: {
        0: "every row before the target recovered, none after, RTO and RPO met",
        1: "a row lost or replayed past the target, or an objective missed",
        [SIGNAL_EXIT.SIGINT]: "interrupted (Ctrl-C): its servers stopped and its folders removed",
        [SIGNAL_EXIT.SIGTERM]: "terminated (SIGTERM): likewise",
    },
};

function rowsFrom(text: string | undefined): number {
    const rows = Number(text);
    if (!/^\s*\d+\s*$/.test(text ?? "") || rows < MIN_ROWS)
        throw new UsageError(`--rows: expected an integer of at least ${MIN_ROWS}, found ${JSON.stringify(text)}`);
    return rows;
}

export function reportText(report: DrillReport): string {
    return [
        `rows before target  ${report.rowsBeforeTarget} (${report.preloadedRows} preloaded before the base backup + ${report.rowsBeforeTarget - report.preloadedRows} of the ${report.streamedRows} streamed writes)`,
        `rows recovered      ${report.rowsRecovered}`,
        `lost                ${report.lost}`,
        `restore             ${report.restoreSeconds} s (WAL replay ${report.walReplaySeconds} s)`,
        `data                ${report.dataBytes} bytes base backup, ${report.walBytes} bytes WAL`,
        report.verdict,
    ].join("\n");
}

if (require.main === module)
    runTool(spec, async (values) => {
        const rows = rowsFrom(values.rows);
        const started = performance.now();
        const progress = (phase: string) => process.stderr.write(`dr-drill [${seconds(started).toFixed(1).padStart(5)} s] ${phase}\n`);
        onInterrupt((signal) => {
            progress(`${signal}: stopping the drill's servers and removing its folders`);
            abortDrills();
        });
        // A Ctrl-C may come twice (npm forwards its copy of the one the terminal sent us, or a second
        // press): once onInterrupt's handler has run, Node restores the default action, and the second
        // would kill the process in the middle of its cleanup. Keep listening.
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => undefined);
        const report = await runDrill(rows, os.tmpdir(), progress).catch(async (err: unknown) => {
            // Ctrl-C (or `timeout`, `kill -INT -<group>`) reaches the drill's children too: the cp,
            // initdb or psql it waits on dies of it and fails the drill before the signal's handler
            // can run. runDrill has cleaned up by now; an interrupt is never reported as a failure.
            await pendingSignalsHandled(200);
            throw err;
        });
        // A Ctrl-C during the last phase still interrupts: exit 130 rather than a report.
        await pendingSignalsHandled();
        progress("done");
        const ok = report.lost === 0 && report.rowsPastTarget === 0 && report.rto.met && report.rpo.met;
        writeResult(values.json ? JSON.stringify(report, null, 2) : reportText(report), values.out);
        return ok ? 0 : 1;
    });
