// Lab images on an engine: the Debian base imported, each recipe in this folder built on it, all of
// them saved to the cache folder as one bundle keyed by their content, and loaded from it next time.
// Each stands in for the upstream references listed in RECIPES (docs/lab-images.md).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { baseHash, baseTarball, SUITE } from "./base";
import { cacheFolder, contentHash, folderParts, pruneOlder, REPO_ROOT, writeAtomically } from "./cache";
import { PHASE, type Timer, untimed } from "../timings";

/** The label that marks an image as the lab's (so a tag it holds may be moved by the lab). */
export const LAB_LABEL = "org.osint-platform.lab";

/** Recipe folder → the repositories (reference without the tag) it stands in for. */
export const RECIPES: Record<string, string[]> = {
    postgres: ["postgres"],
    redis: ["redis"],
    "nginx-unprivileged": ["nginxinc/nginx-unprivileged"],
    prometheus: ["prom/prometheus"],
    grafana: ["grafana/grafana"],
    "postgres-exporter": ["quay.io/prometheuscommunity/postgres-exporter"],
    "redis-exporter": ["oliver006/redis_exporter"],
    "node-exporter": ["prom/node-exporter"],
    python: ["python"],
    node: ["node"],
};

const HERE = __dirname;

/** Files a recipe takes from outside its folder: the node binary of the Node.js running the lab. */
function extraFiles(recipe: string): Record<string, string> {
    return recipe === "node" ? { node: process.execPath } : {};
}

function repositoryOf(reference: string): string {
    const withoutDigest = reference.split("@")[0];
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/** The recipe standing in for an upstream reference, or undefined when the lab has none. */
export function recipeFor(reference: string): string | undefined {
    const repository = repositoryOf(reference);
    return Object.keys(RECIPES).find((recipe) => RECIPES[recipe].includes(repository));
}

function recipeHash(recipe: string, base: string): string {
    const extra = Object.entries(extraFiles(recipe)).flatMap(([name, file]) => [name, fs.readFileSync(file, "latin1")]);
    return contentHash([base, recipe, ...folderParts(path.join(HERE, recipe)), ...extra]).slice(0, 16);
}

/** Follows a build or load stream to its end; throws the engine's error message. */
async function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
    await new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(stream, (err: Error | null, output: { error?: string; errorDetail?: { message?: string } }[]) => {
            const failed = err?.message ?? output.find((o) => o.error)?.error;
            if (failed) reject(new Error(failed));
            else resolve();
        }),
    );
}

async function exists(docker: Docker, name: string): Promise<boolean> {
    try {
        await docker.getImage(name).inspect();
        return true;
    } catch {
        return false;
    }
}

/** Builds a context folder (plus extra files) with the legacy builder, as the recipe states it. */
export async function buildContext(
    docker: Docker,
    context: string,
    options: { t: string; dockerfile?: string; target?: string; buildargs?: Record<string, string>; labels?: Record<string, string> },
    extra: Record<string, string> = {},
): Promise<string> {
    const files = fs
        .readdirSync(context, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() || e.isSymbolicLink())
        .map((e) => path.relative(context, path.join(e.parentPath, e.name)));
    let folder = context;
    let staged: string | undefined;
    if (Object.keys(extra).length > 0) {
        // The Engine takes one context: stage the recipe and its extra files together.
        staged = fs.mkdtempSync(path.join(cacheFolder(), "context-"));
        fs.cpSync(context, staged, { recursive: true });
        for (const [name, file] of Object.entries(extra)) fs.copyFileSync(file, path.join(staged, name));
        files.push(...Object.keys(extra));
        folder = staged;
    }
    try {
        const stream = await docker.buildImage({ context: folder, src: files }, { ...options, rm: true, forcerm: true });
        await follow(docker, stream);
    } finally {
        if (staged) fs.rmSync(staged, { recursive: true, force: true });
    }
    return (await docker.getImage(options.t).inspect()).Id;
}

export interface LabImages {
    /** The lab image id standing in for an upstream reference; throws naming a reference the lab lacks. */
    idFor(reference: string): string;
    /**
     * Settles when the images just built are saved to the cache (at once when they were loaded or
     * present): the save runs beside the test, and the engine must outlive it.
     */
    readonly saved: Promise<void>;
}

/** Each recipe's tag and the cache's bundle of them, named by the hash of what makes them. */
export function labImageNames(): { base: string; tags: Record<string, string>; bundleName: string } {
    const base = baseHash().slice(0, 16);
    const tags = Object.fromEntries(Object.keys(RECIPES).map((recipe) => [recipe, `osint-lab/${recipe}:${recipeHash(recipe, base)}`]));
    return { base, tags, bundleName: `lab-images-${contentHash(Object.values(tags)).slice(0, 16)}.tar` };
}

/** Runs `work` over `items`, at most `limit` at once; rejects with the first failure once all have settled. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
    const queue = [...items];
    const results = await Promise.allSettled(
        Array.from({ length: Math.min(limit, queue.length) }, async () => {
            for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
        }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
}

/**
 * Makes every lab image present on the engine (from the cache's bundle, else built and then saved
 * to it) and tags the bases the repository's Dockerfiles build FROM.
 */
export async function ensureLabImages(docker: Docker, log: (line: string) => void, time: Timer = untimed): Promise<LabImages> {
    const { base, tags, bundleName } = labImageNames();
    const folder = cacheFolder();
    const bundle = path.join(folder, bundleName);
    const present = async () => (await Promise.all(Object.values(tags).map((t) => exists(docker, t)))).every(Boolean);
    if (!(await present()) && fs.existsSync(bundle)) {
        log(`lab: loading the lab images from ${path.relative(REPO_ROOT, bundle)}`);
        await time(PHASE.loadImages, async () => follow(docker, (await docker.loadImage(fs.createReadStream(bundle))) as unknown as NodeJS.ReadableStream));
    }
    let saved = Promise.resolve();
    if (!(await present())) {
        const baseTag = `osint-lab/debian-${SUITE}:${base}`;
        if (!(await exists(docker, baseTag))) {
            const tarball = await baseTarball(log, time);
            log(`lab: importing the base as ${baseTag}`);
            const [repo, tag] = baseTag.split(":");
            await time(PHASE.importBase, async () =>
                follow(docker, (await docker.importImage(fs.createReadStream(tarball), { repo, tag })) as unknown as NodeJS.ReadableStream),
            );
        }
        // The recipes share only the base: built side by side, as many at once as the machine has cores.
        await time(PHASE.buildImages, () =>
            inParallel(Object.entries(tags), os.availableParallelism(), async ([recipe, tag]) => {
                if (await exists(docker, tag)) return;
                log(`lab: building ${tag}`);
                await time(`lab image ${recipe}`, () =>
                    buildContext(
                        docker,
                        path.join(HERE, recipe),
                        { t: tag, buildargs: { BASE: baseTag }, labels: { [LAB_LABEL]: recipe } },
                        extraFiles(recipe),
                    ),
                );
            }),
        );
        log(`lab: saving the lab images to ${path.relative(REPO_ROOT, bundle)} (beside the test)`);
        saved = time(PHASE.saveImages, () =>
            writeAtomically(bundle, async (temporary) => {
                // GET /images/get with several names: one archive, the shared base layer once (dockerode getImages).
                const saving = (docker as unknown as { getImages(opts: { names: string[] }): Promise<NodeJS.ReadableStream> }).getImages({
                    names: Object.values(tags),
                });
                await pipeline(await saving, fs.createWriteStream(temporary));
            }),
        ).then(() => pruneOlder(folder, "lab-images-", ".tar", bundle));
        // Awaited by the caller before the engine stops; kept from surfacing as unhandled meanwhile.
        saved.catch(() => {});
    }
    const ids: Record<string, string> = {};
    for (const [recipe, tag] of Object.entries(tags)) ids[recipe] = (await docker.getImage(tag).inspect()).Id;
    await tagDockerfileBases(docker, ids, log);
    return {
        idFor(reference: string): string {
            const recipe = recipeFor(reference);
            if (!recipe) throw new Error(`the lab has no image standing in for ${reference}: add a recipe under lab/images/ and to RECIPES`);
            return ids[recipe];
        },
        saved,
    };
}

/** The upstream references the repository's Dockerfiles build FROM (stage names excluded). */
export function dockerfileBases(): string[] {
    const bases = new Set<string>();
    for (const image of fs.readdirSync(path.join(REPO_ROOT, "images"))) {
        const file = path.join(REPO_ROOT, "images", image, "Dockerfile");
        if (!fs.existsSync(file)) continue;
        const stages = new Set<string>();
        for (const line of fs.readFileSync(file, "utf8").split("\n")) {
            const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line.trim());
            if (!from) continue;
            if (!stages.has(from[1])) bases.add(from[1]);
            if (from[2]) stages.add(from[2]);
        }
    }
    return [...bases].sort();
}

/**
 * Tags the lab image under each base name the Dockerfiles use, so they build unchanged. A tag that
 * names an image which is not the lab's (a real upstream image on a shared engine) is left alone.
 */
async function tagDockerfileBases(docker: Docker, ids: Record<string, string>, log: (line: string) => void): Promise<void> {
    for (const reference of dockerfileBases()) {
        const recipe = recipeFor(reference);
        if (!recipe) throw new Error(`images/*/Dockerfile builds FROM ${reference}, which the lab has no image for: add a recipe under lab/images/`);
        let current: Docker.ImageInspectInfo | undefined;
        try {
            current = await docker.getImage(reference).inspect();
        } catch {
            current = undefined;
        }
        if (current && !current.Config?.Labels?.[LAB_LABEL]) {
            log(`lab: ${reference} is present and not a lab image; the Dockerfiles build on it`);
            continue;
        }
        if (current?.Id === ids[recipe]) continue;
        const slash = reference.lastIndexOf("/");
        const colon = reference.lastIndexOf(":");
        const [repo, tag] = colon > slash ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, "latest"];
        await docker.getImage(ids[recipe]).tag({ repo, tag });
    }
}
