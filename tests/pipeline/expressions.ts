// A small evaluator of GitHub Actions expressions (the subset a workflow's `if:` uses: contexts,
// string literals, == != ! && || parentheses and the status functions) and a simulator of a job
// graph, so tests can ask which jobs run for an event and an outcome instead of comparing strings.

export type Value = string | boolean | null;

export interface Context {
    readonly values: Record<string, unknown>;
    readonly functions: Record<string, () => Value>;
}

const TOKEN = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][A-Za-z0-9_.-]*))/y;

function tokenize(expression: string): string[] {
    const tokens: string[] = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < expression.length) {
        if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
        const start = TOKEN.lastIndex;
        const match = TOKEN.exec(expression);
        if (!match) throw new Error(`cannot read expression at ${start}: ${expression}`);
        tokens.push(match[1] ?? match[2] ?? match[3]);
    }
    return tokens;
}

function truthy(value: Value): boolean {
    return value !== null && value !== false && value !== "";
}

// GitHub compares strings without regard to case, and values of different types as numbers
// (null and '' are 0, so a missing output equals '').
function equal(a: Value, b: Value): boolean {
    if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
    if (typeof a === typeof b) return a === b;
    return Number(a) === Number(b);
}

function lookup(values: Record<string, unknown>, dotted: string): Value {
    const found = dotted.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), values);
    return typeof found === "string" || typeof found === "boolean" ? found : null;
}

export function evaluate(expression: string, context: Context): Value {
    const tokens = tokenize(expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1"));
    let at = 0;
    const peek = () => tokens[at];
    const next = () => tokens[at++];

    function primary(): Value {
        const token = next();
        if (token === undefined) throw new Error(`unexpected end of ${expression}`);
        if (token === "(") {
            const value = or();
            if (next() !== ")") throw new Error(`missing ) in ${expression}`);
            return value;
        }
        if (token === "!") return !truthy(primary());
        if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
        if (token === "true" || token === "false") return token === "true";
        if (peek() === "(") {
            next();
            if (next() !== ")") throw new Error(`only functions without arguments are supported: ${expression}`);
            const fn = context.functions[token];
            if (!fn) throw new Error(`unknown function ${token} in ${expression}`);
            return fn();
        }
        return lookup(context.values, token);
    }
    // One precedence level: operands joined by the given operators, folded left to right.
    function level(operand: () => Value, combine: Record<string, (left: Value, right: Value) => Value>): () => Value {
        return () => {
            let left = operand();
            while (Object.hasOwn(combine, peek() ?? "")) {
                const op = next();
                left = combine[op](left, operand());
            }
            return left;
        };
    }
    const comparison = level(primary, { "==": (l, r) => equal(l, r), "!=": (l, r) => !equal(l, r) });
    const and = level(comparison, { "&&": (l, r) => (truthy(l) ? r : l) });
    const or = level(and, { "||": (l, r) => (truthy(l) ? l : r) });
    const value = or();
    if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]} in ${expression}`);
    return value;
}

export type Result = "success" | "failure" | "skipped";

export interface JobSpec {
    readonly needs?: string | string[];
    readonly if?: string;
}

export interface Scenario {
    readonly event: "push" | "pull_request";
    readonly ref: string;
    /** Jobs that fail when they run; every other job that runs succeeds. */
    readonly failing?: string[];
    /** Outputs of jobs that run, e.g. { "deploy-staging": { "last-good-sha": "abc" } }. */
    readonly outputs?: Record<string, Record<string, string>>;
}

const STATUS_FUNCTIONS = /\b(success|failure|cancelled|always)\(\)/;

/** The result of every job of `jobs` for one event and one set of failing jobs, as GitHub decides it. */
export function simulate(jobs: Record<string, JobSpec>, scenario: Scenario): Record<string, Result> {
    const results: Record<string, Result> = {};
    const needsOf = (job: string) => ([] as string[]).concat(jobs[job].needs ?? []);
    const ancestors = (job: string): string[] => needsOf(job).flatMap((n) => [n, ...ancestors(n)]);
    const pending = Object.keys(jobs);
    while (pending.length > 0) {
        const index = pending.findIndex((job) => needsOf(job).every((n) => n in results));
        if (index < 0) throw new Error(`the job graph has a cycle or an unknown need among ${pending.join(", ")}`);
        const [job] = pending.splice(index, 1);
        const needs = Object.fromEntries(
            needsOf(job).map((n) => [n, { result: results[n], outputs: results[n] === "skipped" ? {} : (scenario.outputs?.[n] ?? {}) }]),
        );
        const context: Context = {
            values: { github: { event_name: scenario.event, ref: scenario.ref }, needs },
            functions: {
                success: () => ancestors(job).every((a) => results[a] === "success"),
                failure: () => ancestors(job).some((a) => results[a] === "failure"),
                cancelled: () => false,
                always: () => true,
            },
        };
        const condition = jobs[job].if ?? "success()";
        const implicitSuccess = STATUS_FUNCTIONS.test(condition) ? true : truthy(evaluate("success()", context));
        const runs = implicitSuccess && truthy(evaluate(condition, context));
        results[job] = !runs ? "skipped" : scenario.failing?.includes(job) ? "failure" : "success";
    }
    return results;
}
