// How `npm run <script>` starts a tool: the words after `node` in package.json's script, so a tool
// can start another as users do, with this Node and without npm in between (whose signal handling
// would stand between an interrupt and the child).
import * as fs from "node:fs";
import * as path from "node:path";

/** The arguments of `dir`'s package.json script `script`; throws `notNode(its text)` when it is not a `node ...` command. */
export function nodeScriptArgs(dir: string, script: string, notNode: (scriptText: string) => Error): string[] {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts?: Record<string, unknown> };
    const text = scripts?.[script];
    const words = typeof text === "string" ? text.trim().split(/\s+/) : [];
    if (words[0] !== "node") throw notNode(JSON.stringify(text));
    return words.slice(1);
}
