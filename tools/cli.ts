// The shared shape of the offline tools' command lines: `--stack <s> [--config-file <path>]`
// selects a plan; a usage, stack-file or config error exits 2 with its message alone, anything
// else exits 1 with its stack trace.
import * as path from "node:path";
import { ConfigError } from "../config";
import { buildPlan, type Plan } from "./plan-engine";
import { StackFileError } from "./stack-config";

export class UsageError extends Error {}

export const planOptions = { stack: { type: "string" }, "config-file": { type: "string" } } as const;

/** The plan of the stack the command line names. */
export function planFromArgs(values: { stack?: string; "config-file"?: string }, usage: string): Promise<Plan> {
    if (!values.stack) throw new UsageError(usage);
    return buildPlan(path.resolve(__dirname, ".."), values.stack, values["config-file"]);
}

// A write's callback runs once the writes before it are out: exiting earlier would cut a piped
// stdout at the pipe's buffer (64 KiB).
function flushed(stream: NodeJS.WriteStream): Promise<void> {
    return new Promise((resolve) => stream.write("", () => resolve()));
}

async function exitWith(code: number): Promise<never> {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
}

/** Runs `main` as the process: its resolved number is the exit code. */
export function runCli(main: () => Promise<number>): void {
    // A reader that has seen enough (`| head`) closes the pipe: stop quietly, as Unix tools do.
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code !== "EPIPE") throw err;
        process.exit(0);
    });
    main().then(exitWith, (err: unknown) => {
        const expected = err instanceof ConfigError || err instanceof StackFileError || err instanceof UsageError;
        process.stderr.write(`${expected ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
        return exitWith(expected ? 2 : 1);
    });
}
