// The one command-line contract of every tool (`npm run <tool>`): `--help` prints usage, options,
// examples and exit codes and exits 0; an unknown flag, a missing value or a stray argument exits 2
// with one line on stderr (the problem, "did you mean" for near misses, the usage line) and never a
// stack trace; results go to stdout or `--out FILE`, diagnostics to stderr.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { Plan, RecordOptions } from "../lib/plan-engine";
import { fileProblem, makeFolder, PathError, SourceError } from "../lib/file-problems";
import { nearest } from "../lib/nearest";
import { printable } from "../lib/terminal-text";
import { STACK_VALUE } from "../lib/stacks";

/** A mistake in the command line or in a file the user named: exit 2 with the message alone. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** One option as `node:util`'s parseArgs takes it, with what `--help` says of it. */
export interface ToolOption {
    readonly type: "string" | "boolean";
    readonly description: string;
    /** The value's placeholder in help and usage, e.g. `<file>`. */
    readonly value?: string;
    readonly default?: string | boolean;
    readonly multiple?: boolean;
    readonly short?: string;
}

export interface ToolSpec<O extends Record<string, ToolOption>> {
    /** The npm script's name: `npm run -s <name> -- ...`. */
    readonly name: string;
    /** What the tool does, in one sentence. */
    readonly summary: string;
    /** Each way to call it, without the `npm run -s <name> --` prefix, e.g. `--stack <s> [--json]`. */
    readonly usage: readonly string[];
    readonly options: O;
    readonly examples: readonly string[];
    /** Exit codes and their meaning; 2 is always a usage or input error. */
    readonly exitCodes: Readonly<Record<number, string>>;
}

/** The parsed command line of a tool with options O, as its `main` receives it. */
export type ToolValues<O extends Record<string, ToolOption>> = {
    [K in keyof O]?: O[K]["multiple"] extends true ? string[] : O[K]["type"] extends "boolean" ? boolean : string;
};

/** The options every tool that selects a stack's plan takes. */
export const planOptions = {
    stack: { type: "string", value: STACK_VALUE, description: "the stack whose offline plan to use (Pulumi.<stack>.yaml)" },
    "config-file": { type: "string", value: "<file>", description: "read the stack's config from this file instead of Pulumi.<stack>.yaml" },
} as const satisfies Record<string, ToolOption>;

/** The option of every tool that prints a result: write it to a file instead of stdout. */
export const outOption = {
    out: { type: "string", value: "<file>", description: "write the result to this file instead of stdout (- for stdout)" },
} as const satisfies Record<string, ToolOption>;

const HELP_OPTION = { help: { type: "boolean", short: "h", description: "print this help and exit" } } as const satisfies Record<string, ToolOption>;

function usageLine<O extends Record<string, ToolOption>>(spec: ToolSpec<O>): string {
    return spec.usage.map((u, i) => `${i === 0 ? "usage:" : "   or:"} npm run -s ${spec.name} -- ${u}`).join("\n");
}

function helpText<O extends Record<string, ToolOption>>(spec: ToolSpec<O>): string {
    const all: Record<string, ToolOption> = { ...spec.options, ...HELP_OPTION };
    const flags = Object.entries(all).map(([name, o]) => `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` ${o.value ?? "<value>"}` : ""}`);
    const width = Math.max(...flags.map((f) => f.length));
    const options = Object.values(all).map((o, i) => {
        const extra = [o.multiple ? "repeatable" : "", o.default !== undefined && o.default !== false ? `default: ${String(o.default)}` : ""]
            .filter(Boolean)
            .join("; ");
        return `  ${flags[i].padEnd(width)}  ${o.description}${extra ? ` (${extra})` : ""}`;
    });
    const exitCodes = Object.entries({ ...spec.exitCodes, 2: "usage or input error (on stderr)", [INTERNAL_ERROR]: "internal error: a bug in the tool" });
    const codeWidth = Math.max(...exitCodes.map(([code]) => code.length));
    const codes = exitCodes.map(([code, meaning]) => `  ${code.padEnd(codeWidth)}  ${meaning}`);
    return [
        `${spec.name}: ${spec.summary}`,
        "",
        usageLine(spec),
        "",
        "options:",
        ...options,
        "",
        "examples:",
        ...spec.examples.map((e) => `  ${e}`),
        "",
        "exit codes:",
        ...codes,
        "",
    ].join("\n");
}

// parseArgs's own messages are long and name its internals; this states the problem in the tool's terms.
function describeParseError(err: NodeJS.ErrnoException & Error, declared: Readonly<Record<string, ToolOption>>, argv: readonly string[]): string {
    const known = Object.keys(declared);
    const flag = /'(-{1,2}[^' ]+)/.exec(err.message)?.[1] ?? "";
    switch (err.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
            const word = flag.replace(/^-+/, "").split("=")[0];
            // A choice of another option given as a flag of its own (--json for --format json).
            const choiceOf = known.find((name) => declared[name].value?.replace(/^<|>$/g, "").split("|").includes(word));
            const suggestion = choiceOf ? `${choiceOf} ${word}` : nearest(word, known);
            return `unknown option ${flag}${suggestion ? ` (did you mean --${suggestion}?)` : ""}`;
        }
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
            if (/argument missing/.test(err.message)) return `option ${flag} needs a value`;
            // The next word starts with a dash: a forgotten value, or a negative number parseArgs will not take bare.
            if (/ambiguous/.test(err.message)) {
                const next = argv[argv.indexOf(flag) + 1] ?? "";
                return `option ${flag} needs a value, found the option-like ${JSON.stringify(next)} (to pass it as the value: ${flag}=${next})`;
            }
            return `option ${flag} takes no value`;
        }
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
            const word = /'([^']*)'/.exec(err.message)?.[1] ?? "";
            // After a bare --, even --json is an argument: a second -- behind npm's own.
            if (word.startsWith("-") && argv.slice(0, argv.indexOf(word)).includes("--"))
                return `unexpected argument ${JSON.stringify(word)} after a bare -- (which ends the options; npm run needs only the one before them)`;
            const asFlag = nearest(word.replace(/^-+/, ""), known);
            return `unexpected argument ${JSON.stringify(word)}${asFlag ? ` (did you mean --${asFlag}?)` : " (options start with --; after npm run, put them behind --)"}`;
        }
        default:
            return err.message.split("\n")[0];
    }
}

/** Parses `argv` by `spec`; throws UsageError for anything it does not declare. */
export function parseToolArgs<O extends Record<string, ToolOption>>(spec: ToolSpec<O>, argv: readonly string[]): ToolValues<O> & { help?: boolean } {
    const declared: Record<string, ToolOption> = { ...spec.options, ...HELP_OPTION };
    const options = Object.fromEntries(
        Object.entries(declared).map(([name, o]) => [
            name,
            {
                type: o.type,
                ...(o.short ? { short: o.short } : {}),
                ...(o.multiple ? { multiple: true } : {}),
                ...(o.default !== undefined ? { default: o.default } : {}),
            },
        ]),
    );
    let parsed: { values: Record<string, unknown>; tokens: { kind: string; name?: string; rawName?: string; value?: string }[] };
    try {
        parsed = parseArgs({ args: [...argv], options: options as never, strict: true, allowPositionals: false, tokens: true }) as typeof parsed;
    } catch (err) {
        const e = err as NodeJS.ErrnoException & Error;
        if (!e.code?.startsWith("ERR_PARSE_ARGS")) throw err;
        throw new UsageError(describeParseError(e, declared, argv));
    }
    const given = new Map<string, string[]>();
    for (const token of parsed.tokens) {
        if (token.kind !== "option" || !token.name) continue;
        if (token.value === "") throw new UsageError(`option --${token.name} needs a value, found an empty one`);
        given.set(token.name, [...(given.get(token.name) ?? []), token.value === undefined ? `--${token.name}` : `--${token.name} ${token.value}`]);
    }
    // parseArgs keeps the last of a repeated option; a second --stack is more likely a mistake than a change of mind.
    for (const [name, uses] of given)
        if (uses.length > 1 && !declared[name].multiple) throw new UsageError(`option --${name} given ${uses.length} times (${uses.join(", ")})`);
    return parsed.values as ToolValues<O> & { help?: boolean };
}

/**
 * For a mode of a tool (`--write`, `--write-docs`) that takes only the options `allowed` beside it:
 * a usage error naming any other given (an option at its default counts as not given).
 */
export function modeTakesOnly<O extends Record<string, ToolOption>>(
    spec: ToolSpec<O>,
    values: ToolValues<O>,
    mode: keyof O & string,
    allowed: readonly string[] = [],
): void {
    if (!values[mode]) return;
    const others = Object.entries(values)
        .filter(([name, value]) => name !== mode && !allowed.includes(name) && value !== undefined && value !== false && value !== spec.options[name]?.default)
        .map(([name]) => `--${name}`);
    if (others.length > 0)
        throw new UsageError(
            `--${mode} takes ${allowed.length > 0 ? `only ${allowed.map((a) => `--${a}`).join(", ")} beside it` : "no other option"}, found ${others.join(", ")}`,
        );
}

/** Writes a tool's result to `--out FILE` when given (creating its folder), else (or for `-`) to stdout. */
export function writeResult(text: string, out: string | undefined): void {
    const body = text.endsWith("\n") ? text : `${text}\n`;
    if (out === undefined || out === "-") {
        process.stdout.write(body);
        return;
    }
    try {
        makeFolder(path.dirname(path.resolve(out)));
        fs.writeFileSync(out, body);
    } catch (err) {
        throw new PathError(`--out ${out}: cannot be written: ${fileProblem(err)}`);
    }
}

/** The plan of the stack the command line names. */
export async function planFromArgs(values: { stack?: string; "config-file"?: string }, options?: RecordOptions): Promise<Plan> {
    if (!values.stack) throw new UsageError("option --stack is required");
    // Loaded here, not above: the plan engine loads the Pulumi SDKs (seconds), which tools that do not plan never need.
    const { buildPlan } = await import("../lib/plan-engine");
    const plan = await buildPlan(path.resolve(__dirname, ".."), values.stack, values["config-file"], options);
    const secrets = plan.unvalidatedSecrets ?? [];
    if (secrets.length > 0) {
        const list = secrets.map((s) => `${s.key} (planned with ${JSON.stringify(s.plannedWith)})`).join(", ");
        process.stderr.write(`note: secure values the offline plan cannot decrypt, so did not validate: ${list}\n`);
    }
    return plan;
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

/** A bug in the tool, never a verdict. */
const INTERNAL_ERROR = 3;

/** Errors that are the user's to fix: their message alone, exit 2. Tools add their own with `expectedErrors`. */
const EXPECTED: (abstract new (...args: never[]) => Error)[] = [UsageError, PathError, SourceError];
// Expected errors of modules that load the Pulumi SDK: matched only when a tool has loaded them (then
// it may have thrown one), so a tool that never plans never pays seconds to load them for the check.
const EXPECTED_WHEN_LOADED: readonly (readonly [module: string, className: string])[] = [
    ["../config", "ConfigError"],
    ["../lib/stack-config", "StackFileError"],
];

export function expectedErrors(...classes: (abstract new (...args: never[]) => Error)[]): void {
    EXPECTED.push(...classes);
}

/** Exit codes of a tool a signal stopped, as shells report them (128 + the signal's number). */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * On Ctrl-C or SIGTERM: `stop` (stop children, remove folders), then exit 130 or 143. Returns what
 * removes the handlers, for a tool that stops interrupting-aware work before it exits.
 */
export function onInterrupt(stop: (signal: keyof typeof SIGNAL_EXIT) => void): () => void {
    const handle = (signal: keyof typeof SIGNAL_EXIT) => {
        stop(signal);
        process.exit(SIGNAL_EXIT[signal]);
    };
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, handle);
    return () => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeListener(signal, handle);
    };
}

/** A number as a person writes one on a command line: decimal digits, maybe a fraction (not 0x10, 1e3, Infinity or nothing). */
export const DECIMAL = /^\d+(\.\d+)?$/;

/** A numeric option's value: a positive number (an integer when `integer`), else a usage error naming the option. */
export function positiveNumber(name: string, text: string, integer = false): number {
    const value = Number(text);
    if (!DECIMAL.test(text) || value <= 0 || (integer && !Number.isInteger(value))) {
        throw new UsageError(`--${name}: expected a positive ${integer ? "integer" : "number"}, found ${JSON.stringify(text)}`);
    }
    return value;
}

/** Whether an error is the user's to fix (its message alone, exit 2), not a bug in the tool. */
export function isExpectedError(err: unknown): boolean {
    if (EXPECTED.some((c) => err instanceof c)) return true;
    return EXPECTED_WHEN_LOADED.some(([module, className]) => {
        const loaded = require.cache[require.resolve(module)];
        return loaded !== undefined && err instanceof loaded.exports[className];
    });
}

/**
 * Runs a tool as the process: parses its arguments by `spec` (handling `--help` and usage errors),
 * then `main`, whose resolved number is the exit code.
 */
export function runTool<O extends Record<string, ToolOption>>(spec: ToolSpec<O>, main: (values: ToolValues<O>) => Promise<number>): void {
    runProcess(spec.name, usageLine(spec).split("\n")[0], async () => {
        const values = parseToolArgs(spec, process.argv.slice(2));
        if (values.help) {
            process.stdout.write(helpText(spec));
            return 0;
        }
        return main(values);
    });
}

/**
 * Expected errors print their message alone and exit 2 (usage errors with the usage line); anything
 * else is a bug: one line and exit 3, so CI never reads a crash as a tool's verdict (check's 1);
 * the stack trace only with OSINT_DEBUG=1.
 */
function runProcess(name: string, usage: string, run: () => Promise<number>): void {
    // A reader that has seen enough (`| head`) closes the pipe: stop quietly, as Unix tools do.
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code !== "EPIPE") throw err;
        process.exit(0);
    });
    run().then(exitWith, (err: unknown) => {
        const expected = isExpectedError(err);
        const message = err instanceof Error ? err.message.trim() : String(err);
        if (process.env.OSINT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
        const line = !expected
            ? `${name}: internal error: ${message.split("\n")[0]} (set OSINT_DEBUG=1 for the stack trace)`
            : err instanceof UsageError
              ? `${name}: ${message}; ${usage} (--help for more)`
              : `${name}: ${message}`;
        // A message may quote a file's text (a URN, a value): nothing in it may act on the terminal. Its own
        // line breaks stay (a stack file's problems, one a line); a quoted value's were escaped where quoted.
        process.stderr.write(`${line.split("\n").map(printable).join("\n")}\n`);
        return exitWith(expected ? 2 : INTERNAL_ERROR);
    });
}
