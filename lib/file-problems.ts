// A path the user named (--out, --input, --config-file) that the file system refuses, or a source
// file of the repository the user left incomplete, is the user's to fix, not a bug: said in words, exit 2. Its own module, so the stack file reader can use it
// without importing the command line (which loads the plan engine, which loads that reader).
import * as fs from "node:fs";
import * as path from "node:path";

/** A file or folder the user named that cannot be read or written: exit 2 with the message alone. */
export class PathError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PathError";
    }
}

/**
 * A definition of the repository the user edits that is incomplete (a catalog service without a
 * size): the user's to fix, naming the file and the key to add, exit 2; never an internal error.
 */
export class SourceError extends Error {
    constructor(
        readonly file: string,
        readonly key: string,
        message: string,
    ) {
        super(`${file}: ${message}`);
        this.name = "SourceError";
    }
}

/**
 * Creates `dir` and its missing parents one level at a time. Node's `mkdirSync(..., {recursive:
 * true})` retries forever where mkdir keeps failing with ENOENT under an existing folder (under
 * /proc: 99 % CPU, never returning); one level at a time, such a folder fails at once, with its
 * errno for `fileProblem`.
 */
export function makeFolder(dir: string): void {
    const missing: string[] = [];
    for (let at = path.resolve(dir); !fs.existsSync(at); at = path.dirname(at)) {
        missing.unshift(at);
        if (path.dirname(at) === at) break;
    }
    for (const level of missing) fs.mkdirSync(level);
}

/** Why the file system refused a path, in words. */
export function fileProblem(err: unknown): string {
    switch ((err as NodeJS.ErrnoException).code) {
        case "ENOENT":
            return "no such file or folder";
        case "EISDIR":
            return "a folder, not a file";
        case "ENOTDIR":
        case "EEXIST":
            return "a file stands where a folder is needed";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        // open(2) of a unix socket, or of a device file whose device is absent.
        case "ENXIO":
            return "a socket or a device with nothing behind it, not a file";
        default:
            return err instanceof Error ? err.message : String(err);
    }
}
