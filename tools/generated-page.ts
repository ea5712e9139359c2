// A block of a docs page that a tool generates, between two marker comments: the tool prints it, or
// with --write replaces the page's block, and a test compares the page with a fresh rendering.
import * as fs from "node:fs";
import * as path from "node:path";
import { outOption, type ToolOption, UsageError, writeResult } from "./cli";

const projectDir = path.resolve(__dirname, "..");

export interface GeneratedBlock {
    /** The page, relative to the project: `docs/architecture.md`. */
    readonly page: string;
    readonly begin: string;
    readonly end: string;
}

/** The options of a generating tool: print (or --out), or --write the page. */
export const generatorOptions = {
    write: { type: "boolean", description: "update the generated block of its page instead of printing it" },
    ...outOption,
} as const satisfies Record<string, ToolOption>;

export function pagePath(block: GeneratedBlock): string {
    return path.join(projectDir, block.page);
}

/** `text` with the block (markers included) replaced by `content`, which carries the markers too. */
export function withBlock(block: GeneratedBlock, text: string, content: string): string {
    const start = text.indexOf(block.begin);
    const end = text.indexOf(block.end, start);
    if (start < 0 || end < 0) throw new UsageError(`${block.page} has no ${block.begin} ... ${block.end} block to update`);
    return text.slice(0, start) + content + text.slice(end + block.end.length);
}

/** The usage error of --write with --out: a tool whose rendering loads heavy modules checks it before rendering. */
export function checkGeneratorValues(values: { write?: boolean; out?: string }, block: GeneratedBlock): void {
    if (values.write && values.out !== undefined) throw new UsageError(`--write updates ${block.page}; it takes no --out`);
}

/** The block's name, from its first marker: `diagram:dev`, `stack-table`. */
export function blockName(block: GeneratedBlock): string {
    return block.begin
        .replace(/^<!--\s*/, "")
        .split(/\s/)[0]
        .replace(/:begin$/, "");
}

/** What --write says it did, naming the block and its page. */
export function writeReport(block: GeneratedBlock, changed: boolean): string {
    const named = `the ${blockName(block)} block of ${block.page}`;
    return changed ? `wrote ${named}` : `${named} is up to date`;
}

/** Prints `printed` (to stdout or --out), or with --write puts `content` into the page. */
export function generate(values: { write?: boolean; out?: string }, block: GeneratedBlock, content: string, printed = content): void {
    checkGeneratorValues(values, block);
    if (!values.write) {
        writeResult(printed, values.out);
        return;
    }
    const file = pagePath(block);
    const before = fs.readFileSync(file, "utf8");
    const after = withBlock(block, before, content);
    if (after !== before) fs.writeFileSync(file, after);
    process.stderr.write(`${writeReport(block, after !== before)}\n`);
}
