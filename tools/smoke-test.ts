// npm run -s smoke-test -- --url <base url> [--ca-file PEM] [--attempts N] [--interval-seconds S] [--timeout-seconds T]
// The pipeline's post-deploy validation: GET <base url>/healthz until the backend answers the design's
// health document ({"status": "healthy", "database": ..., "redis": ...}) or the attempts run out.
// Exit 0 when healthy, 1 when not (the pipeline then rolls the stack back), 2 on a usage error.
import * as fs from "node:fs";
import * as https from "node:https";
import { rootCertificates } from "node:tls";
import { setTimeout as sleep } from "node:timers/promises";
import { fileProblem, PathError } from "../lib/file-problems";
import { outOption, parseToolArgs, positiveNumber, runTool, type ToolSpec, type ToolValues, UsageError, writeResult } from "./cli";

export interface SmokeTestOptions {
    readonly url: string;
    readonly attempts: number;
    readonly intervalMs: number;
    readonly timeoutMs: number;
    /** PEM certificates to trust besides Node's own (the dev stack's self-signed one). */
    readonly ca?: string;
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

/**
 * One GET trusting `ca` besides Node's certificates. Node's fetch takes no CA of its own (only
 * NODE_EXTRA_CA_CERTS, read at start), so this goes through node:https, which does; its errors are
 * handed over as fetch's, the socket's error under `cause`, for `connectionFailure`.
 */
function getTrusting(endpoint: string, ca: string, timeoutMs: number): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const request = https.get(endpoint, { ca: [...rootCertificates, ca], signal: AbortSignal.timeout(timeoutMs) }, (response) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
            response.on("error", (err) => reject(Object.assign(new TypeError("fetch failed"), { cause: err })));
        });
        request.on("error", (err) =>
            reject(
                err.name === "AbortError"
                    ? Object.assign(new Error("timed out"), { name: "TimeoutError" })
                    : Object.assign(new TypeError("fetch failed"), { cause: err }),
            ),
        );
    });
}

async function get(endpoint: string, options: SmokeTestOptions): Promise<{ status: number; body: string }> {
    if (options.ca !== undefined && endpoint.startsWith("https:")) return getTrusting(endpoint, options.ca, options.timeoutMs);
    const response = await fetch(endpoint, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "error" });
    return { status: response.status, body: await response.text() };
}

export async function smokeTest(options: SmokeTestOptions): Promise<SmokeTestResult> {
    const endpoint = `${options.url.replace(/\/+$/, "")}/healthz`;
    let reason = "";
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
        try {
            const { status, body } = await get(endpoint, options);
            reason = unhealthyReason(status, body);
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
    "ca-file": {
        type: "string",
        value: "<pem>",
        description:
            "also trust the certificates in this PEM file (the dev stack's self-signed one; NODE_EXTRA_CA_CERTS=<pem> does the same for any Node tool)",
    },
    attempts: { type: "string", value: "<n>", default: "10", description: "how many times to ask before giving up" },
    "interval-seconds": { type: "string", value: "<s>", default: "6", description: "seconds between attempts" },
    "timeout-seconds": { type: "string", value: "<s>", default: "10", description: "seconds one attempt may take" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "smoke-test",
    summary: "asks a deployment's /healthz until it answers the design's health document (status healthy, database and redis up) or the attempts run out",
    usage: ["--url <base url> [--ca-file <pem>] [--attempts <n>] [--interval-seconds <s>] [--timeout-seconds <s>] [--out <file>]"],
    options,
    examples: [
        "npm run -s smoke-test -- --url https://staging.osint.example.org",
        "npm run -s smoke-test -- --url http://127.0.0.1:8080 --attempts 3 --interval-seconds 1",
        "npm run -s smoke-test -- --url https://localhost:8443 --ca-file dev.crt",
    ],
    exitCodes: { 0: "healthy", 1: "not healthy after every attempt (the pipeline then rolls the stack back)" },
};

type Values = ToolValues<typeof options>;

function optionsFromValues(values: Values): SmokeTestOptions {
    if (values.url === undefined) throw new UsageError("option --url is required");
    if (!/^https?:\/\/[^/]/.test(values.url)) throw new UsageError(`--url: expected an http(s) URL, found ${JSON.stringify(values.url)}`);
    const caFile = values["ca-file"];
    let ca: string | undefined;
    if (caFile !== undefined) {
        try {
            ca = fs.readFileSync(caFile, "utf8");
        } catch (err) {
            throw new PathError(`--ca-file ${caFile}: cannot be read: ${fileProblem(err)}`);
        }
        if (!ca.includes("-----BEGIN CERTIFICATE-----"))
            throw new PathError(`--ca-file ${caFile}: expected PEM certificates (-----BEGIN CERTIFICATE-----), found none`);
    }
    return {
        url: values.url,
        ...(ca === undefined ? {} : { ca }),
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
