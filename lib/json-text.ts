// JSON a user hands in (a plan, a stack export, a policy config). JSON.parse reads it; when it fails,
// jsonc-parser (strict: no comments, no trailing commas) finds where, because JSON.parse's messages
// name no line, and some quote the text itself, newlines and all, which would break the one-line error.
import type { ParseError } from "jsonc-parser";

// By jsonc-parser's names for its error codes (printParseErrorCode).
const EXPECTED: Readonly<Record<string, string>> = {
    ValueExpected: "a JSON value",
    PropertyNameExpected: "a property name in double quotes",
    ColonExpected: '":"',
    CommaExpected: '","',
    CloseBraceExpected: '"}"',
    CloseBracketExpected: '"]"',
    EndOfFileExpected: "the end of the input",
    InvalidEscapeCharacter: "a JSON escape (\\n, \\u0041, ...)",
    InvalidCharacter: "a string without raw control characters (a tab is \\t)",
    InvalidNumberFormat: "a JSON number",
    UnexpectedEndOfString: "the string's closing quote",
    UnexpectedEndOfNumber: "a digit",
};
// Reported where the string (number, comment) began; the input ends unfinished, so that is where it goes wrong.
const AT_THE_END = new Set(["UnexpectedEndOfString", "UnexpectedEndOfNumber", "UnexpectedEndOfComment"]);

/** `line:column: expected …, found …` for the first syntax error of `text` (1-based, as editors count). */
function syntaxProblem(text: string, error: ParseError | undefined, code: string): string {
    const offset = AT_THE_END.has(code) ? text.length : Math.min(error?.offset ?? 0, text.length);
    const before = text.slice(0, offset).split("\n");
    const token = /^\s*([^\s,:[\]{}]{1,20}|[,:[\]{}])/.exec(text.slice(offset))?.[1];
    const expected = EXPECTED[code] ?? "JSON";
    return `${before.length}:${before[before.length - 1].length + 1}: expected ${expected}, found ${token === undefined ? "the end of the input" : JSON.stringify(token)}`;
}

/** `text` as JSON; on a syntax error, throws `error(message)` with the message naming `source`, line and column. */
export function parseJsonText(text: string, source: string, error: (message: string) => Error): unknown {
    // Editors on Windows may start a UTF-8 file with a byte-order mark, which JSON.parse refuses.
    const json = text.startsWith("\uFEFF") ? text.slice(1) : text;
    if (/^\s*> /.test(json)) {
        const line = json.slice(0, json.indexOf(">")).split("\n").length;
        throw error(
            `${source}:${line}:1: expected JSON, found npm's banner ("${json.trimStart().split("\n")[0]}"); save the output of \`npm run -s ...\` (silent) or use --out`,
        );
    }
    try {
        return JSON.parse(json);
    } catch {
        // Loaded only now: valid input (a 10,000-resource export) never pays for it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { parse, printParseErrorCode } = require("jsonc-parser") as typeof import("jsonc-parser");
        const errors: ParseError[] = [];
        parse(json, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
        throw error(`${source}:${syntaxProblem(json, errors[0], errors[0] ? printParseErrorCode(errors[0].error) : "")}`);
    }
}
