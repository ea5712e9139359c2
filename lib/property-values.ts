// Property values as the engine serialises them (protobuf Struct as JavaScript in the plan, JSON in
// a `pulumi stack export` or `pulumi preview --json`), read as plain JSON: a secret becomes "[secret]",
// an unknown "[unknown]", a resource reference its URN, an asset or archive its source.
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "./placeholders";
import { ARCHIVE_SIG, ASSET_SIG, OUTPUT_VALUE_SIG, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_VALUE } from "./signatures";

/** A signature object's plain form ({value}), or undefined for a value that is not one. */
function special(value: unknown, plain: (value: unknown) => unknown, reveal = false): { value: unknown } | undefined {
    if (value === UNKNOWN_VALUE) return { value: UNKNOWN_PLACEHOLDER };
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    switch (record[SIG_KEY]) {
        case SECRET_SIG:
            return { value: reveal ? plain(record.value) : SECRET_PLACEHOLDER };
        case RESOURCE_SIG:
            return { value: record.urn };
        case OUTPUT_VALUE_SIG:
            if (record.secret === true && !reveal) return { value: SECRET_PLACEHOLDER };
            return { value: "value" in record ? plain(record.value) : UNKNOWN_PLACEHOLDER };
        case ASSET_SIG:
        case ARCHIVE_SIG: {
            const { [SIG_KEY]: _sig, ...source } = record;
            return { value: { asset: plain(source) } };
        }
        default:
            return undefined;
    }
}

/**
 * A copy of `value` in plain JSON. `reveal` keeps secrets' plaintext instead of "[secret]": only for
 * the lab (lab/apply), which hands the values to containers as the provider would.
 */
export function plainValue(value: unknown, reveal = false): unknown {
    const plain = (v: unknown) => plainValue(v, reveal);
    const replaced = special(value, plain, reveal);
    if (replaced) return replaced.value;
    if (Array.isArray(value)) return value.map(plain);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

/**
 * How deep a property value may nest: real ones (policy documents, container definitions) stay under
 * 20 levels; a deeper one is refused before anything recurses into it (10,000 levels overflow the stack).
 */
export const MAX_DEPTH = 256;

/** A value nested deeper than MAX_DEPTH: the file's problem, not the reader's. */
export class TooDeepError extends Error {
    /** `path`: where in the value the limit was passed (`a.b[0]`). */
    constructor(readonly path: string) {
        super(`expected a value nested at most ${MAX_DEPTH} levels deep, found a deeper one`);
        this.name = "TooDeepError";
    }
}

/**
 * `value` made plain JSON in place and frozen to its leaves, for a value read from a file that nothing
 * else holds (a check of 10,000 resources reads it without copying). A frozen object is taken as done.
 * Throws TooDeepError (naming the path from `value`) for nesting deeper than MAX_DEPTH.
 */
export function plainFrozen(value: unknown): unknown {
    return frozenAt(value, 0, { keys: [], lists: [] });
}

/**
 * The keys from the value plainFrozen was given down to the one being read, one per level (none for a
 * signature object's level), each with whether it indexes a list: written over as the walk goes, so
 * reading a 10,000-resource export allocates nothing per value for a message it almost never needs.
 */
interface Path {
    readonly keys: (string | undefined)[];
    readonly lists: boolean[];
}

function pathText(path: Path, depth: number): string {
    let text = "";
    for (let i = 0; i < depth; i++) {
        const key = path.keys[i];
        if (key !== undefined) text += path.lists[i] ? `[${key}]` : `.${key}`;
    }
    return text.replace(/^\./, "");
}

function frozenAt(value: unknown, depth: number, path: Path): unknown {
    if (depth > MAX_DEPTH) throw new TooDeepError(pathText(path, depth));
    if (value === UNKNOWN_VALUE) return UNKNOWN_PLACEHOLDER;
    if (value === null || typeof value !== "object") return value;
    if (!Array.isArray(value) && SIG_KEY in value) {
        const replaced = special(value, (inner) => {
            path.keys[depth] = undefined;
            return frozenAt(inner, depth + 1, path);
        });
        // Its parts are frozen already; an asset's wrapper is new.
        if (replaced) return typeof replaced.value === "object" && replaced.value !== null ? Object.freeze(replaced.value) : replaced.value;
    }
    if (Object.isFrozen(value)) return value;
    const container = value as Record<string, unknown>;
    const list = Array.isArray(container);
    for (const key of Object.keys(container)) {
        const child = container[key];
        if (child !== null && typeof child === "object") {
            path.keys[depth] = key;
            path.lists[depth] = list;
            container[key] = frozenAt(child, depth + 1, path);
        } else if (child === UNKNOWN_VALUE) container[key] = UNKNOWN_PLACEHOLDER;
    }
    return Object.freeze(container);
}
