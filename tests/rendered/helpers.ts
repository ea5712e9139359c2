// Shared by the tests that load rendered configuration into the real programs on loopback.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { renderedFiles, renderedPath, writeRendered } from "../../tools/render";
export { freePort } from "../../tools/local-postgres";
import { stackPlan } from "../helpers/plan";

let devRender: Promise<string> | undefined;

/** The dev stack rendered once per run into a temporary directory (as `npm run render` does). */
export function renderedDev(): Promise<string> {
    devRender ??= stackPlan("dev").then((plan) => {
        const dir = tempDir("render-dev");
        writeRendered(renderedFiles(plan), dir);
        return dir;
    });
    return devRender;
}

/** A rendered dev file's text, by service and container path. */
export async function renderedText(service: string, containerPath: string): Promise<string> {
    return fs.readFileSync(renderedPath(await renderedDev(), service, containerPath), "utf8");
}

const tempDirs: string[] = [];
process.on("exit", () => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A temporary directory removed when the test run ends. */
export function tempDir(label: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `osint-${label}-`));
    tempDirs.push(dir);
    return dir;
}

/** The absolute path of a program the tests need; a missing program fails the test (CI installs it). */
export function requiredBinary(name: string): string {
    const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/bin", "/usr/local/bin"];
    for (const dir of dirs) {
        const candidate = path.join(dir, name);
        if (fs.existsSync(candidate)) return candidate;
    }
    throw new Error(`${name} is not installed; run .ci/run (it installs it from Debian)`);
}

/**
 * Replaces each `from` with `to`, requiring exactly `count` occurrences, so a changed template
 * fails the test instead of silently testing something else.
 */
export function substitute(text: string, replacements: readonly { from: string; to: string; count: number }[]): string {
    return replacements.reduce((result, { from, to, count }) => {
        const found = result.split(from).length - 1;
        if (found !== count) throw new Error(`expected ${count} occurrence(s) of "${from}" in the rendered file, found ${found}`);
        return result.split(from).join(to);
    }, text);
}

export interface Server {
    readonly process: ChildProcess;
    output(): string;
    stop(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => socket.end(() => resolve(true)));
        socket.once("error", () => resolve(false));
    });
}

/**
 * Starts a foreground server and resolves once it accepts connections on `port`. Its output goes to a
 * file (not a pipe): configurations that log to /dev/stdout or /dev/stderr can open them, as in a container.
 * The deadline only ends a server that never listens: a busy machine may take many seconds to start one.
 */
export async function startServer(command: string, args: readonly string[], port: number, timeoutMs = 120_000): Promise<Server> {
    const log = path.join(tempDir("log"), "output");
    const fd = fs.openSync(log, "w");
    const child = spawn(command, args, { stdio: ["ignore", fd, fd] });
    fs.closeSync(fd);
    const output = () => fs.readFileSync(log, "utf8");
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const server: Server = {
        process: child,
        output,
        async stop() {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGTERM");
                await exited;
            }
        },
    };
    const deadline = Date.now() + timeoutMs;
    while (!(await portOpen(port))) {
        if (child.exitCode !== null) throw new Error(`${path.basename(command)} exited with ${child.exitCode}:\n${output()}`);
        if (Date.now() > deadline) {
            await server.stop();
            throw new Error(`${path.basename(command)} did not listen on ${port} within ${timeoutMs} ms:\n${output()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    return server;
}

/** Runs a checking command (nginx -t, promtool) with output to a file, returning it; throws with it on failure. */
export function check(command: string, args: readonly string[]): string {
    const log = path.join(tempDir("log"), "output");
    const fd = fs.openSync(log, "w");
    try {
        execFileSync(command, args, { stdio: ["ignore", fd, fd] });
    } catch {
        throw new Error(`${path.basename(command)} ${args.join(" ")} failed:\n${fs.readFileSync(log, "utf8")}`);
    } finally {
        fs.closeSync(fd);
    }
    return fs.readFileSync(log, "utf8");
}
