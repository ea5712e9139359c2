// A Docker Engine for the lab: the one that already answers (DOCKER_HOST or the default socket), or,
// as root, a private dockerd with its own data, exec root, pid file and socket in a temporary folder
// (../../docs/lab-images.md). What this module starts it stops, by PID, on every exit path.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Docker from "dockerode";

export interface Engine {
    readonly docker: Docker;
    /** Where it came from, for messages: "DOCKER_HOST", "the default socket" or "a private dockerd (overlay2)". */
    readonly origin: string;
    /** True when this process started the daemon (so everything on it is ours to remove). */
    readonly private: boolean;
    /** A private daemon's folder (data, exec root, pid file, socket), removed by stop(). */
    readonly folder?: string;
    /** Stops a private daemon by PID and removes its folder; a no-op for a daemon we found. */
    stop(): Promise<void>;
}

/** Why no engine could be had: the e2e skips with this line outside CI and fails with it under CI. */
export class EngineUnavailable extends Error {}

const DEFAULT_SOCKET = "/var/run/docker.sock";

async function answers(docker: Docker, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            await docker.ping();
            return true;
        } catch {
            if (Date.now() >= deadline) return false;
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
    }
}

function onPath(program: string): string | null {
    for (const dir of `${process.env.PATH ?? ""}:/usr/sbin:/sbin`.split(":")) {
        const candidate = path.join(dir, program);
        if (dir && fs.existsSync(candidate)) return candidate;
    }
    return null;
}

/**
 * Embedded DNS and port publishing on user-defined networks need iptables rules this kernel accepts
 * through the legacy interface (docs: the lab recipe). Selecting it is what `update-alternatives`
 * does for the host; it is left selected, as provisioning would.
 */
function selectLegacyIptables(): void {
    for (const [name, target] of [
        ["iptables", "/usr/sbin/iptables-legacy"],
        ["ip6tables", "/usr/sbin/ip6tables-legacy"],
    ]) {
        if (fs.existsSync(target)) spawnSync("update-alternatives", ["--set", name, target], { stdio: "ignore" });
    }
}

/** Sends SIGTERM, waits (polling, with a deadline) for the process to go, then SIGKILL. */
async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = new Promise<"late">((resolve) => setTimeout(() => resolve("late"), graceMs).unref());
    if ((await Promise.race([exited, timer])) === "late") {
        child.kill("SIGKILL");
        await exited;
    }
}

/** Unmounts what a killed daemon may have left mounted under its folder, deepest first, then removes it. */
function removeFolder(folder: string): void {
    const mounts = fs
        .readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
        .filter((mountPoint): mountPoint is string => !!mountPoint && mountPoint.startsWith(`${folder}/`))
        .sort((a, b) => b.length - a.length);
    for (const mountPoint of mounts) spawnSync("umount", ["-l", mountPoint], { stdio: "ignore" });
    fs.rmSync(folder, { recursive: true, force: true });
}

async function startPrivate(dockerd: string, driver: "overlay2" | "vfs"): Promise<Engine | string> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "osint-lab-dockerd-"));
    const socket = path.join(folder, "docker.sock");
    const log = fs.openSync(path.join(folder, "dockerd.log"), "w");
    const child = spawn(
        dockerd,
        [
            "--data-root",
            path.join(folder, "root"),
            "--exec-root",
            path.join(folder, "exec"),
            "--pidfile",
            path.join(folder, "dockerd.pid"),
            "--host",
            `unix://${socket}`,
            "--storage-driver",
            driver,
            // Its own containerd, not a host one: everything it starts lives under this folder.
            "--containerd-namespace",
            "osint-lab",
            "--containerd-plugins-namespace",
            "osint-lab-plugins",
        ],
        // In a process group of its own: a Ctrl-C at the terminal reaches the test, whose teardown
        // removes the stack through this daemon and only then stops it.
        { stdio: ["ignore", log, log], detached: true },
    );
    fs.closeSync(log);
    const docker = new Docker({ socketPath: socket });
    let stopped = false;
    const stop = async () => {
        if (stopped) return;
        stopped = true;
        await stopProcess(child, 20_000);
        removeFolder(folder);
    };
    const alive = () => child.exitCode === null && child.signalCode === null;
    const deadline = Date.now() + 60_000;
    while (alive() && Date.now() < deadline && !(await answers(docker, 500)));
    if (alive() && (await answers(docker, 0))) return { docker, origin: `a private dockerd (${driver})`, private: true, folder, stop };
    const tail = fs.existsSync(path.join(folder, "dockerd.log"))
        ? fs.readFileSync(path.join(folder, "dockerd.log"), "utf8").trim().split("\n").slice(-3).join(" | ")
        : "";
    await stop();
    return `dockerd --storage-driver ${driver} did not answer within 60 s${tail ? `: ${tail}` : ""}`;
}

/** The engine to use, or EngineUnavailable naming why none can be had. */
export async function connectEngine(): Promise<Engine> {
    const host = process.env.DOCKER_HOST;
    if (host) {
        // dockerode reads DOCKER_HOST (and DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) itself.
        const docker = new Docker();
        if (await answers(docker, 5_000)) return { docker, origin: "DOCKER_HOST", private: false, stop: async () => {} };
        throw new EngineUnavailable(`DOCKER_HOST=${host} does not answer`);
    }
    if (fs.existsSync(DEFAULT_SOCKET)) {
        const docker = new Docker({ socketPath: DEFAULT_SOCKET });
        if (await answers(docker, 5_000)) return { docker, origin: "the default socket", private: false, stop: async () => {} };
    }
    if (process.getuid?.() !== 0)
        throw new EngineUnavailable("no Docker daemon answers and only root can start one (run tools/provision.sh as root, or set DOCKER_HOST)");
    const dockerd = onPath("dockerd");
    if (!dockerd) throw new EngineUnavailable("no Docker daemon answers and dockerd is not installed (tools/provision.sh installs docker.io as root)");
    selectLegacyIptables();
    const reasons: string[] = [];
    for (const driver of ["overlay2", "vfs"] as const) {
        const started = await startPrivate(dockerd, driver);
        if (typeof started !== "string") return started;
        reasons.push(started);
    }
    throw new EngineUnavailable(`no Docker daemon answers and a private one did not start: ${reasons.join("; ")}`);
}

/**
 * Runs `cleanup` once when the process is interrupted (Ctrl-C, SIGTERM) and then exits with the
 * signal's status; returns the function that removes the handlers again. A signal may come twice
 * (npm passes on its copy of the terminal's Ctrl-C, `npm test` its own, or a second press): later
 * ones are ignored, so none kills the process in the middle of its teardown.
 */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
    let interrupted = false;
    const handler = (signal: NodeJS.Signals) => {
        if (interrupted) return;
        interrupted = true;
        process.stderr.write(`lab: ${signal}: tearing down\n`);
        void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
    };
}
