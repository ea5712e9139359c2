// npm run smoke-test -- --url <base url> [--attempts N] [--interval-seconds S] [--timeout-seconds T]
// The pipeline's post-deploy validation: GET <base url>/healthz until the backend answers the design's
// health document ({"status": "healthy", "database": ..., "redis": ...}) or the attempts run out.
// Exit 0 when healthy, 1 when not (the pipeline then rolls the stack back), 2 on a usage error.
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "./cli";

export interface SmokeTestOptions {
    readonly url: string;
    readonly attempts: number;
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly log?: (line: string) => void;
}

export interface SmokeTestResult {
    readonly healthy: boolean;
    readonly attempts: number;
    /** Why the last attempt failed (empty when healthy). */
    readonly reason: string;
}

// The dependency checks of the design's health document: true, or a word that says so.
function dependencyUp(value: unknown): boolean {
    return value === true || (typeof value === "string" && ["healthy", "ok", "up"].includes(value.toLowerCase()));
}

/** Why one /healthz answer is not healthy, or "" when it is. */
export function unhealthyReason(status: number, body: string): string {
    if (status !== 200) return `HTTP ${status}`;
    let doc: unknown;
    try {
        doc = JSON.parse(body);
    } catch {
        return `the body is not JSON: ${body.slice(0, 80)}`;
    }
    const health = (doc ?? {}) as Record<string, unknown>;
    if (health.status !== "healthy") return `status is ${JSON.stringify(health.status)}, expected "healthy"`;
    const down = ["database", "redis"].filter((dependency) => !dependencyUp(health[dependency]));
    return down.length > 0 ? `${down.join(" and ")} not healthy: ${body.slice(0, 120)}` : "";
}

export async function smokeTest(options: SmokeTestOptions): Promise<SmokeTestResult> {
    const endpoint = `${options.url.replace(/\/+$/, "")}/healthz`;
    let reason = "";
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
        try {
            const response = await fetch(endpoint, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "error" });
            reason = unhealthyReason(response.status, await response.text());
        } catch (err) {
            reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        }
        options.log?.(`${endpoint} attempt ${attempt}/${options.attempts}: ${reason || "healthy"}`);
        if (!reason) return { healthy: true, attempts: attempt, reason };
        if (attempt < options.attempts) await sleep(options.intervalMs);
    }
    return { healthy: false, attempts: options.attempts, reason };
}

const USAGE = "usage: npm run smoke-test -- --url <base url> [--attempts N] [--interval-seconds S] [--timeout-seconds T]";

function positive(name: string, text: string, integer = false): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
        throw new UsageError(`--${name}: expected a positive ${integer ? "integer" : "number"}, found ${JSON.stringify(text)}\n${USAGE}`);
    }
    return value;
}

export function optionsFromArgs(args: string[]): SmokeTestOptions {
    const { values } = parseArgs({
        args,
        options: {
            url: { type: "string" },
            attempts: { type: "string", default: "10" },
            "interval-seconds": { type: "string", default: "6" },
            "timeout-seconds": { type: "string", default: "10" },
        },
    });
    if (!values.url || !/^https?:\/\/[^/]/.test(values.url))
        throw new UsageError(`--url: expected an http(s) URL, found ${JSON.stringify(values.url ?? "")}\n${USAGE}`);
    return {
        url: values.url,
        attempts: positive("attempts", values.attempts, true),
        intervalMs: positive("interval-seconds", values["interval-seconds"]) * 1000,
        timeoutMs: positive("timeout-seconds", values["timeout-seconds"]) * 1000,
        log: (line) => process.stdout.write(`${line}\n`),
    };
}

async function main(): Promise<number> {
    const result = await smokeTest(optionsFromArgs(process.argv.slice(2)));
    process.stdout.write(
        result.healthy ? `healthy after ${result.attempts} attempt(s)\n` : `NOT healthy after ${result.attempts} attempt(s): ${result.reason}\n`,
    );
    return result.healthy ? 0 : 1;
}

if (require.main === module) runCli(main);
