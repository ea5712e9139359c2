// npm run -s smoke-test -- --url <base url> [--attempts N] [--interval-seconds S] [--timeout-seconds T]
// The pipeline's post-deploy validation: GET <base url>/healthz until the backend answers the design's
// health document ({"status": "healthy", "database": ..., "redis": ...}) or the attempts run out.
// Exit 0 when healthy, 1 when not (the pipeline then rolls the stack back), 2 on a usage error.
import { setTimeout as sleep } from "node:timers/promises";
import { outOption, parseToolArgs, positiveNumber, runTool, type ToolSpec, type ToolValues, UsageError, writeResult } from "./cli";

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

/** The start of an answer's body on one line, for a reason: what the service itself said. */
function excerpt(body: string): string {
    const line = body.replace(/\s+/g, " ").trim();
    return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** Why one /healthz answer is not healthy, or "" when it is. */
export function unhealthyReason(status: number, body: string): string {
    if (status !== 200) return body.trim() ? `HTTP ${status}: ${excerpt(body)}` : `HTTP ${status}`;
    let doc: unknown;
    try {
        doc = JSON.parse(body);
    } catch {
        return `the body is not JSON: ${excerpt(body)}`;
    }
    const health = (doc ?? {}) as Record<string, unknown>;
    if (health.status !== "healthy") return `status is ${JSON.stringify(health.status)}, expected "healthy": ${excerpt(body)}`;
    const down = ["database", "redis"].filter((dependency) => !dependencyUp(health[dependency]));
    return down.length > 0 ? `${down.join(" and ")} not healthy: ${excerpt(body)}` : "";
}

// Node's fetch (undici) throws `TypeError: fetch failed` and keeps the socket's or resolver's error in
// `cause`; its code says what happened. Codes: node's errno names (net, dns), OpenSSL's, and undici's
// (nodejs/node deps/undici/src/docs/docs/api/Errors.md: UND_ERR_CONNECT_TIMEOUT, UND_ERR_SOCKET, ...).
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(VERIFY|GET)_)/;

/** A failed request in words: refused, DNS, timeout, TLS, or the cause's own message. */
export function connectionFailure(err: unknown, endpoint: string, timeoutMs: number): string {
    const error = err as Error & { cause?: { code?: string; message?: string } };
    const host = URL.canParse(endpoint) ? new URL(endpoint).host : endpoint;
    if (error?.name === "TimeoutError" || error?.name === "AbortError") return `timed out: ${host} gave no answer within ${timeoutMs / 1000} s`;
    const cause = error?.cause;
    const code = cause?.code ?? "";
    const detail = cause?.message ?? (err instanceof Error ? err.message : String(err));
    if (code === "ECONNREFUSED") return `connection refused: nothing listens on ${host}`;
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `DNS: the name ${new URL(endpoint).hostname} was not found (${code})`;
    if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT" || code === "UND_ERR_HEADERS_TIMEOUT")
        return `timed out: ${host} gave no answer within ${timeoutMs / 1000} s`;
    if (/^ERR_SSL_(WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST)$/.test(code))
        return `TLS handshake with ${host} failed: the server does not speak TLS there (plain HTTP? try http://) (${code})`;
    if (TLS_CODE.test(code)) return `TLS handshake with ${host} failed: ${detail.split("\n")[0]} (${code})`;
    if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `the connection to ${host} was closed before an answer (${code})`;
    // Node's fetch refuses the ports the Fetch standard lists as unsafe for HTTP (9, 25, 6000, ...) before connecting.
    if (detail === "bad port") return `${host}: a port fetch never connects to (the Fetch standard's "bad ports"); give the service's HTTP port`;
    return `request failed: ${detail}${code ? ` (${code})` : ""}`;
}

export async function smokeTest(options: SmokeTestOptions): Promise<SmokeTestResult> {
    const endpoint = `${options.url.replace(/\/+$/, "")}/healthz`;
    let reason = "";
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
        try {
            const response = await fetch(endpoint, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "error" });
            reason = unhealthyReason(response.status, await response.text());
        } catch (err) {
            reason = connectionFailure(err, endpoint, options.timeoutMs);
        }
        options.log?.(`${endpoint} attempt ${attempt}/${options.attempts}: ${reason || "healthy"}`);
        if (!reason) return { healthy: true, attempts: attempt, reason };
        if (attempt < options.attempts) await sleep(options.intervalMs);
    }
    return { healthy: false, attempts: options.attempts, reason };
}

const options = {
    url: { type: "string", value: "<base url>", description: "the deployment's base URL (http or https); /healthz is appended (required)" },
    attempts: { type: "string", value: "<n>", default: "10", description: "how many times to ask before giving up" },
    "interval-seconds": { type: "string", value: "<s>", default: "6", description: "seconds between attempts" },
    "timeout-seconds": { type: "string", value: "<s>", default: "10", description: "seconds one attempt may take" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "smoke-test",
    summary: "asks a deployment's /healthz until it answers the design's health document (status healthy, database and redis up) or the attempts run out",
    usage: ["--url <base url> [--attempts <n>] [--interval-seconds <s>] [--timeout-seconds <s>] [--out <file>]"],
    options,
    examples: [
        "npm run -s smoke-test -- --url https://staging.osint.example.org",
        "npm run -s smoke-test -- --url http://127.0.0.1:8080 --attempts 3 --interval-seconds 1",
    ],
    exitCodes: { 0: "healthy", 1: "not healthy after every attempt (the pipeline then rolls the stack back)" },
};

type Values = ToolValues<typeof options>;

function optionsFromValues(values: Values): SmokeTestOptions {
    if (values.url === undefined) throw new UsageError("option --url is required");
    if (!/^https?:\/\/[^/]/.test(values.url)) throw new UsageError(`--url: expected an http(s) URL, found ${JSON.stringify(values.url)}`);
    return {
        url: values.url,
        attempts: positiveNumber("attempts", values.attempts ?? "", true),
        intervalMs: positiveNumber("interval-seconds", values["interval-seconds"] ?? "") * 1000,
        timeoutMs: positiveNumber("timeout-seconds", values["timeout-seconds"] ?? "") * 1000,
        // Each attempt is progress (stderr); the verdict alone is the result.
        log: (line) => process.stderr.write(`${line}\n`),
    };
}

export function optionsFromArgs(args: string[]): SmokeTestOptions {
    return optionsFromValues(parseToolArgs(spec, args));
}

if (require.main === module)
    runTool(spec, async (values) => {
        const result = await smokeTest(optionsFromValues(values));
        writeResult(
            result.healthy ? `healthy after ${result.attempts} attempt(s)` : `NOT healthy after ${result.attempts} attempt(s): ${result.reason}`,
            values.out,
        );
        return result.healthy ? 0 : 1;
    });
