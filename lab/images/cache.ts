// The lab's one cache folder (docs/lab-images.md): the Debian base tarball, apt's downloaded packages
// and the built lab images, each under a name carrying the hash of what made it. Teardown keeps it.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/**
 * OSINT_LAB_CACHE, else the user's cache folder (XDG_CACHE_HOME, else ~/.cache) under
 * osint-platform/lab: like npm's own cache, it outlives a checkout, so a fresh clone and `npm ci`
 * reuse the Debian packages and lab images instead of fetching and building them again. It stays
 * bounded: a new version of an entry removes the older one.
 */
export function cacheFolder(): string {
    const userCache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
    const folder = process.env.OSINT_LAB_CACHE || path.join(userCache, "osint-platform", "lab");
    fs.mkdirSync(folder, { recursive: true });
    return folder;
}

/** sha256 over the given parts, each length-prefixed so that no two lists of parts collide. */
export function contentHash(parts: (string | Buffer)[]): string {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(`${Buffer.byteLength(part)}:`).update(part);
    return hash.digest("hex");
}

/** The files of a folder (relative paths, sorted) with their modes and contents, for a content hash. */
export function folderParts(folder: string): string[] {
    return fs
        .readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(folder, path.join(e.parentPath, e.name)))
        .sort()
        .flatMap((file) => {
            const full = path.join(folder, file);
            return [file, (fs.statSync(full).mode & 0o777).toString(8), fs.readFileSync(full, "latin1")];
        });
}

/**
 * Writes `target` through a temporary name, so an interrupted run never leaves a half file in the
 * cache. The name keeps the extension: mmdebstrap picks its output format by it.
 */
export async function writeAtomically(target: string, write: (temporary: string) => Promise<void>): Promise<void> {
    const extension = path.extname(target);
    const temporary = `${target.slice(0, target.length - extension.length)}.partial-${process.pid}${extension}`;
    try {
        await write(temporary);
        fs.renameSync(temporary, target);
    } finally {
        fs.rmSync(temporary, { recursive: true, force: true });
    }
}

/** Removes the cache's older versions of an entry (`<prefix><hash><suffix>` other than `keep`). */
export function pruneOlder(folder: string, prefix: string, suffix: string, keep: string): void {
    for (const name of fs.readdirSync(folder)) {
        if (name.startsWith(prefix) && name.endsWith(suffix) && name !== path.basename(keep)) fs.rmSync(path.join(folder, name), { force: true });
    }
}
