// JSON a user hands in (a plan, a stack export, a policy config). JSON.parse reads it; when it fails,
// jsonc-parser (strict: no comments, no trailing commas) finds where, because JSON.parse's messages
// name no line, and some quote the text itself, newlines and all, which would break the one-line error.
import { parse, type ParseError, ParseErrorCode } from "jsonc-parser";

const EXPECTED: Partial<Record<ParseErrorCode, string>> = {
    [ParseErrorCode.ValueExpected]: "a JSON value",
    [ParseErrorCode.PropertyNameExpected]: "a property name in double quotes",
    [ParseErrorCode.ColonExpected]: '":"',
    [ParseErrorCode.CommaExpected]: '","',
    [ParseErrorCode.CloseBraceExpected]: '"}"',
    [ParseErrorCode.CloseBracketExpected]: '"]"',
    [ParseErrorCode.EndOfFileExpected]: "the end of the input",
    [ParseErrorCode.InvalidEscapeCharacter]: "a JSON escape (\\n, \\u0041, ...)",
    [ParseErrorCode.InvalidCharacter]: "a string without raw control characters (a tab is \\t)",
    [ParseErrorCode.InvalidNumberFormat]: "a JSON number",
    [ParseErrorCode.UnexpectedEndOfString]: "the string's closing quote",
    [ParseErrorCode.UnexpectedEndOfNumber]: "a digit",
};
// Reported where the string began; the input ends unfinished, so that is where it goes wrong.
const AT_THE_END = new Set([ParseErrorCode.UnexpectedEndOfString, ParseErrorCode.UnexpectedEndOfNumber, ParseErrorCode.UnexpectedEndOfComment]);

/** `line:column: expected …, found …` for the first syntax error of `text` (1-based, as editors count). */
function syntaxProblem(text: string, error: ParseError | undefined): string {
    const offset = error && AT_THE_END.has(error.error) ? text.length : Math.min(error?.offset ?? 0, text.length);
    const before = text.slice(0, offset).split("\n");
    const token = /^\s*([^\s,:[\]{}]{1,20}|[,:[\]{}])/.exec(text.slice(offset))?.[1];
    const expected = (error && EXPECTED[error.error]) ?? "JSON";
    return `${before.length}:${before[before.length - 1].length + 1}: expected ${expected}, found ${token === undefined ? "the end of the input" : JSON.stringify(token)}`;
}

/** `text` as JSON; on a syntax error, throws `error(message)` with the message naming `source`, line and column. */
export function parseJsonText(text: string, source: string, error: (message: string) => Error): unknown {
    try {
        return JSON.parse(text);
    } catch {
        const errors: ParseError[] = [];
        parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
        throw error(`${source}:${syntaxProblem(text, errors[0])}`);
    }
}
