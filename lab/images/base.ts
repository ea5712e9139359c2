// The one Debian 12 base every lab image builds on: `mmdebstrap --variant=minbase` with every package
// the lab images need, so the machine bootstraps once (about a minute idle) and the images share its
// layer. apt's downloads stay in the cache folder for the next bootstrap.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheFolder, contentHash, pruneOlder, writeAtomically } from "./cache";
import { PHASE, type Timer, untimed } from "../timings";

export const SUITE = "bookworm";
/**
 * The machine's own apt sources (one-line sources.list or deb822 .sources files), which mmdebstrap
 * takes as mirror arguments: the base comes from the archive this machine already reaches, and no
 * archive's host is written here.
 */
function aptSources(): string[] {
    const listed = ["/etc/apt/sources.list", ...listFolder("/etc/apt/sources.list.d").filter((f) => /\.(list|sources)$/.test(f))];
    const sources = listed.filter((f) => fs.existsSync(f) && fs.readFileSync(f, "utf8").trim() !== "");
    if (sources.length === 0)
        throw new Error("no apt sources on this machine (/etc/apt/sources.list, /etc/apt/sources.list.d/): the lab base is built from Debian's archive");
    return sources;
}

function listFolder(folder: string): string[] {
    return fs.existsSync(folder) ? fs.readdirSync(folder).map((f) => path.join(folder, f)) : [];
}

/** Debian packages, by the image they stand in for (docs/lab-images.md lists the versions). */
export const BASE_PACKAGES: Record<string, string[]> = {
    python: ["python3", "python3-venv", "python-is-python3"],
    postgres: ["postgresql-15", "postgresql-client-15"],
    redis: ["redis-server", "redis-tools"],
    nginx: ["nginx-light"],
    prometheus: ["prometheus"],
    exporters: ["prometheus-postgres-exporter", "prometheus-redis-exporter", "prometheus-node-exporter"],
    // The alpine images' userland the stack calls: wget in health checks, addgroup/adduser in FROM node.
    busybox: ["busybox"],
};

// Paths no lab image reads, left out by dpkg: documentation, translations, Prometheus's web UI
// libraries (the API is what the test queries) and PostgreSQL's optional JIT with LLVM (a 100 MB
// library; without it the server plans without JIT, as with jit=off).
const EXCLUDED = [
    "/usr/share/doc/*",
    "/usr/share/man/*",
    "/usr/share/locale/*",
    "/usr/share/i18n/*",
    "/usr/share/javascript/*",
    "/usr/lib/x86_64-linux-gnu/libLLVM*",
    "/usr/lib/postgresql/15/lib/llvmjit*",
    "/usr/lib/postgresql/15/lib/bitcode/*",
];

function mmdebstrapArguments(tarball: string, aptCache: string): string[] {
    return [
        "--variant=minbase",
        `--include=${Object.values(BASE_PACKAGES).flat().join(",")}`,
        ...EXCLUDED.map((p) => `--dpkgopt=path-exclude=${p}`),
        // A warm apt cache across runs (mmdebstrap's documented sync-in/sync-out of the archives).
        "--skip=essential/unlink",
        '--setup-hook=mkdir -p "$1"/var/cache/apt/archives/',
        `--setup-hook=sync-in ${aptCache} /var/cache/apt/archives/`,
        `--customize-hook=sync-out /var/cache/apt/archives ${aptCache}`,
        '--customize-hook=rm -f "$1"/var/cache/apt/archives/*.deb',
        // postgresql-common's first cluster: the lab postgres image initialises its own PGDATA.
        '--customize-hook=rm -rf "$1"/var/lib/postgresql/15 "$1"/etc/postgresql/15',
        SUITE,
        tarball,
        ...aptSources(),
    ];
}

/** The base's hash: what decides its content. */
export function baseHash(): string {
    const args = mmdebstrapArguments("<tarball>", "<apt>");
    // The sources' content, not only their paths, decides which archive the base comes from.
    return contentHash([...args, ...aptSources().map((f) => fs.readFileSync(f, "utf8"))]);
}

/** The cached base tarball, bootstrapped first when missing. */
export async function baseTarball(log: (line: string) => void, time: Timer = untimed): Promise<string> {
    const folder = cacheFolder();
    const hash = baseHash().slice(0, 16);
    const tarball = path.join(folder, `debian-${SUITE}-${hash}.tar`);
    if (fs.existsSync(tarball)) return tarball;
    const aptCache = path.join(folder, "apt-archives");
    fs.mkdirSync(aptCache, { recursive: true });
    log(`lab: bootstrapping the Debian ${SUITE} base with mmdebstrap (cache: ${folder})`);
    await time(PHASE.bootstrap, () =>
        writeAtomically(tarball, async (temporary) => {
            const output: string[] = [];
            const code = await new Promise<number | null>((resolve, reject) => {
                const child = spawn("mmdebstrap", mmdebstrapArguments(temporary, aptCache), { stdio: ["ignore", "pipe", "pipe"] });
                child.stdout.on("data", (d: Buffer) => output.push(d.toString()));
                child.stderr.on("data", (d: Buffer) => output.push(d.toString()));
                child.on("error", reject);
                child.on("exit", resolve);
            });
            if (code !== 0) throw new Error(`mmdebstrap exited ${code}: ${output.join("").trim().split("\n").slice(-5).join(" | ")}`);
        }),
    );
    pruneOlder(folder, `debian-${SUITE}-`, ".tar", tarball);
    return tarball;
}
