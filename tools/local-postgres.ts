// A throwaway PostgreSQL 15 cluster on loopback, from the system's binaries, for the database tests
// and the DR drill. PostgreSQL refuses to run as root, so as root every server-side command runs
// as the unprivileged `postgres` user (runuser); the cluster lives in a temp dir that user owns.
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Client, type ClientConfig } from "pg";

export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const SERVICE_USER = "postgres";
const asRoot = process.getuid?.() === 0;
// By absolute path: callers may hand the command a PATH without the sbin directories.
const RUNUSER = ["/usr/sbin/runuser", "/sbin/runuser"].find((p) => fs.existsSync(p)) ?? "runuser";

export interface RunOptions {
    readonly env?: NodeJS.ProcessEnv;
    readonly input?: string;
    readonly cwd?: string;
    /** Run in a session of its own, out of reach of the Ctrl-C a terminal sends to the caller's process group. */
    readonly ownSession?: boolean;
}

/** Runs a command as the service user (or as ourselves when not root); throws with its stderr on failure. */
export function runAsService(command: string, args: readonly string[], options: RunOptions = {}): string {
    const result = spawnAsService(command, args, options);
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}${result.stdout}`);
    }
    return result.stdout;
}

function asService(command: string, args: readonly string[]): [string, string[]] {
    return asRoot ? [RUNUSER, ["-u", SERVICE_USER, "--", command, ...args]] : [command, [...args]];
}

// As root, start where the service user may stand: the caller's directory may be closed to it.
function serviceCwd(options: RunOptions): string | undefined {
    return options.cwd ?? (asRoot ? os.tmpdir() : undefined);
}

export function spawnAsService(command: string, args: readonly string[], options: RunOptions = {}): SpawnSyncReturns<string> {
    const [file, argv] = asService(command, args);
    // spawnSync takes spawn's `detached` (setsid in the child before it runs runuser, which would pass
    // a signal on to its command), though neither its documentation nor its typings name it.
    const session: object = options.ownSession ? { detached: true } : {};
    return spawnSync(file, argv, { encoding: "utf8", env: { ...process.env, ...options.env }, input: options.input, cwd: serviceCwd(options), ...session });
}

/** Like spawnAsService, without waiting: resolves with the exit status and output when it ends. */
export function runAsServiceInBackground(
    command: string,
    args: readonly string[],
    options: RunOptions = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const [file, argv] = asService(command, args);
    const child = spawn(file, argv, { env: { ...process.env, ...options.env }, cwd: serviceCwd(options), detached: options.ownSession === true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** A free TCP port on loopback (bound, read, released). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

// Throwaway clusters live in memory where the machine has a tmpfs: initdb copies and WAL cost
// seconds on a busy disk.
const MEMORY_ROOT = "/dev/shm";
const MEMORY_ROOT_MIN_FREE_BYTES = 2 * 2 ** 30; // a few clusters, a base backup and its WAL
function memoryRootUsable(): boolean {
    if (!fs.existsSync(MEMORY_ROOT)) return false;
    const { bavail, bsize } = fs.statfsSync(MEMORY_ROOT);
    return bavail * bsize >= MEMORY_ROOT_MIN_FREE_BYTES;
}
// OSINT_PG_ROOT moves them (a test that checks a drill leaves nothing behind gives each run its own).
export const DEFAULT_ROOT = process.env.OSINT_PG_ROOT ?? (memoryRootUsable() ? MEMORY_ROOT : os.tmpdir());

/** A directory the service user owns under `root`, removed by `removeWorkDir`. */
export function serviceWorkDir(prefix: string, root = DEFAULT_ROOT): string {
    const dir = fs.mkdtempSync(path.join(root, prefix));
    try {
        if (asRoot) execFileSync("chown", [`${SERVICE_USER}:`, dir]);
        fs.chmodSync(dir, 0o700);
    } catch (err) {
        // Not handed to the caller, so nobody else would remove it (a chown a Ctrl-C killed, say).
        removeWorkDir(dir);
        throw err;
    }
    return dir;
}

export function removeWorkDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}

let template: string | undefined;

/** One initdb per process, copied for each cluster (initdb costs seconds, a copy a fraction). */
function initializedTemplate(): string {
    if (!template) {
        const dir = serviceWorkDir("osint-pg-template-");
        process.once("exit", () => removeWorkDir(dir));
        // In a session of its own: the postgres processes initdb runs, stopped by a Ctrl-C or SIGTERM
        // sent to the caller's process group, leave their shared memory segments in /dev/shm.
        runAsService(
            path.join(PG_BIN, "initdb"),
            ["-D", path.join(dir, "data"), "-U", SERVICE_USER, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
            { ownSession: true },
        );
        template = path.join(dir, "data");
    }
    return template;
}

const PG_CTL = path.join(PG_BIN, "pg_ctl");
// pg_ctl puts the server in a session of its own, out of reach of a terminal's Ctrl-C; pg_ctl runs in
// one too, else Ctrl-C (or a second one, during the cleanup after the first) kills it while it waits,
// leaving a server nobody stops, or one still running while its folder is removed.
const PG_CTL_OPTIONS: RunOptions = { ownSession: true };

export interface ClusterOptions {
    /** pg_hba.conf lines replacing initdb's (local trust for the superuser is always kept first). */
    readonly hba?: readonly string[];
    /** Lines appended to postgresql.conf. */
    readonly conf?: readonly string[];
    /** Keep fsync on (a measured restore); throwaway test clusters skip it. */
    readonly durable?: boolean;
}

export class LocalPostgres {
    readonly dataDir: string;
    readonly logFile: string;
    private running = false;

    private constructor(
        readonly workDir: string,
        readonly port: number,
        readonly name: string,
    ) {
        this.dataDir = path.join(workDir, name);
        this.logFile = path.join(workDir, `${name}.log`);
    }

    /** A new cluster (superuser `postgres`, trust on the socket only) in `workDir`. */
    static async create(workDir: string, name = "data", options: ClusterOptions = {}): Promise<LocalPostgres> {
        const cluster = new LocalPostgres(workDir, await freePort(), name);
        runAsService("cp", ["-a", initializedTemplate(), cluster.dataDir]);
        cluster.configure({ ...options, conf: [...(options.durable ? [] : ["fsync = off"]), ...(options.conf ?? [])] });
        return cluster;
    }

    /** A cluster over an existing data directory (a restored base backup). */
    static async existing(workDir: string, name: string): Promise<LocalPostgres> {
        return new LocalPostgres(workDir, await freePort(), name);
    }

    configure(options: ClusterOptions): void {
        const conf = [`port = ${this.port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${this.workDir}'`, ...(options.conf ?? [])];
        fs.appendFileSync(path.join(this.dataDir, "postgresql.conf"), `\n${conf.join("\n")}\n`);
        if (options.hba) fs.writeFileSync(path.join(this.dataDir, "pg_hba.conf"), ["local all postgres trust", ...options.hba, ""].join("\n"));
    }

    /** Starts the server with extra `postgres` arguments (e.g. `-c key=value`) and waits until it accepts connections. */
    start(serverArgs: readonly string[] = [], timeoutSeconds = 60): void {
        for (const arg of serverArgs) if (/\s|'/.test(arg)) throw new Error(`server argument with whitespace or quote: ${arg}`);
        const args = ["start", "-D", this.dataDir, "-l", this.logFile, "-w", "-t", String(timeoutSeconds), "-s"];
        if (serverArgs.length > 0) args.push("-o", serverArgs.join(" "));
        // Counted as running before pg_ctl returns: a pg_ctl that gives up waiting (-t) leaves its
        // server starting, which stop() must still stop before the folder goes (stopping none is harmless).
        this.running = true;
        try {
            runAsService(PG_CTL, args, PG_CTL_OPTIONS);
        } catch (err) {
            throw new Error(`${(err as Error).message}\nserver log (tail):\n${this.log().split("\n").slice(-15).join("\n")}`);
        }
    }

    stop(): void {
        this.shutDown("fast");
    }

    /** Immediate shutdown, as a crash would leave the data directory. */
    kill(): void {
        this.shutDown("immediate");
    }

    private shutDown(mode: "fast" | "immediate"): void {
        if (!this.running) return;
        this.running = false;
        // Again when a signal killed pg_ctl: one sent to the caller's process group just as pg_ctl
        // started, before it had a session of its own.
        for (let attempt = 1; attempt <= 3; attempt++) {
            if (spawnAsService(PG_CTL, ["stop", "-D", this.dataDir, "-m", mode, "-w", "-s"], PG_CTL_OPTIONS).signal === null) return;
        }
    }

    /** Environment that points libpq clients (psql, pg_dump, ...) at this server's socket. */
    get clientEnv(): NodeJS.ProcessEnv {
        return { PGHOST: this.workDir, PGPORT: String(this.port), PGUSER: SERVICE_USER };
    }

    /** Runs SQL through psql as the superuser on the socket; returns unaligned, tuples-only output. */
    psql(sql: string, database = "postgres"): string {
        return runAsService(path.join(PG_BIN, "psql"), ["-X", "-v", "ON_ERROR_STOP=1", "-At", "-d", database], { env: this.clientEnv, input: sql }).trim();
    }

    /** A connected node-postgres client over TCP. */
    async connect(config: ClientConfig): Promise<Client> {
        const client = new Client({ host: "127.0.0.1", port: this.port, connectionTimeoutMillis: 10_000, ...config });
        await client.connect();
        return client;
    }

    log(): string {
        return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
    }
}
