// The project's own module graph, read from source: which files a module loads through relative imports.
import * as fs from "node:fs";
import * as path from "node:path";

export const repositoryRoot = path.resolve(__dirname, "..", "..");

/** Every project file (path relative to the repository, with /) that `entry` loads, itself included. */
export function localModules(entry: string, seen = new Set<string>()): Set<string> {
    if (seen.has(entry)) return seen;
    seen.add(entry);
    const source = fs.readFileSync(path.join(repositoryRoot, entry), "utf8");
    for (const [, specifier] of source.matchAll(/(?:from|require\()\s*"(\.{1,2}\/[^"]+)"/g)) {
        const base = path.posix.join(path.posix.dirname(entry), specifier);
        const file = [`${base}.ts`, `${base}/index.ts`, base].find(
            (f) => fs.existsSync(path.join(repositoryRoot, f)) && fs.statSync(path.join(repositoryRoot, f)).isFile(),
        );
        if (file) localModules(file, seen);
    }
    return seen;
}

/** Project files below `dir` (relative, with /), without node_modules and dot-folders. */
export function projectFiles(dir = ""): string[] {
    return fs.readdirSync(path.join(repositoryRoot, dir), { withFileTypes: true }).flatMap((entry) => {
        if (entry.name === "node_modules" || entry.name.startsWith(".")) return [];
        const relative = dir ? `${dir}/${entry.name}` : entry.name;
        return entry.isDirectory() ? projectFiles(relative) : [relative];
    });
}
