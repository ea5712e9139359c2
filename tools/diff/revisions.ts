// Plans of a stack at two git revisions: each revision is checked out in a temporary `git worktree`
// that reuses this checkout's node_modules (only when its package-lock.json is the same: else its
// plan would run under other dependencies than it pins), and planned by that revision's own
// plan command (`npm run plan`) in a child process. The worktrees are always removed, on Ctrl-C too.
import { type ChildProcess, execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { onInterrupt } from "../cli";
import { nodeScriptArgs } from "../npm-scripts";
import type { Plan } from "../../lib/plan-engine";

export class DiffInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DiffInputError";
    }
}

/** What a plan planned from a worktree says instead of the worktree's path. */
export const CHECKOUT = "<checkout>";

/** Plans running now: an interrupt stops them before it removes their worktrees. */
const running = new Set<ChildProcess>();

/** The checkout whose node_modules the worktrees borrow (this tool's own). */
export const toolCheckout = path.resolve(__dirname, "..", "..");

function git(repo: string, args: string[]): string {
    const run = spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
    if (run.status !== 0) throw new DiffInputError(`git ${args.join(" ")}: ${(run.stderr || run.stdout).trim().split("\n")[0]}`);
    return run.stdout;
}

function commitOf(repo: string, revision: string): string {
    try {
        return git(repo, ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`]).trim();
    } catch {
        throw new DiffInputError(`revision ${revision}: not a commit in ${repo === toolCheckout ? "this repository" : repo}`);
    }
}

export interface Revision {
    readonly revision: string;
    readonly commit: string;
    /** The worktree: plan its stacks with planAt, read its stack files. */
    readonly dir: string;
}

/**
 * Checks out `revisions` of `repo` in temporary worktrees, runs `use` on them, and removes them
 * whatever happens (SIGINT and SIGTERM included: the process then exits 130 or 143).
 */
export async function withRevisions<T>(repo: string, revisions: readonly string[], use: (checkouts: Revision[]) => Promise<T>): Promise<T> {
    const commits = revisions.map((revision) => ({ revision, commit: commitOf(repo, revision) }));
    const lockfile = fs.readFileSync(path.join(toolCheckout, "package-lock.json"), "utf8");
    for (const { revision, commit } of commits) {
        const theirs = git(repo, ["show", `${commit}:package-lock.json`]);
        if (theirs !== lockfile)
            throw new DiffInputError(
                `revision ${revision}: its package-lock.json differs from this checkout's, so this checkout's node_modules cannot plan it; plan it in a checkout of ${revision} after \`npm ci\` (npm run -s plan -- --stack <s> --json --out <file>) and pass --base-plan/--head-plan`,
            );
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "osint-diff-"));
    const created: string[] = [];
    const cleanup = () => {
        for (const dir of created.splice(0)) spawnSync("git", ["-C", repo, "worktree", "remove", "--force", dir], { stdio: "ignore" });
        fs.rmSync(root, { recursive: true, force: true });
        spawnSync("git", ["-C", repo, "worktree", "prune"], { stdio: "ignore" });
    };
    const stopHandling = onInterrupt(() => {
        for (const child of running) child.kill("SIGTERM");
        cleanup();
    });
    try {
        const checkouts = commits.map(({ revision, commit }, i) => {
            const dir = path.join(root, `rev${i}`);
            git(repo, ["worktree", "add", "--detach", "--quiet", dir, commit]);
            created.push(dir);
            fs.symlinkSync(path.join(toolCheckout, "node_modules"), path.join(dir, "node_modules"), "dir");
            return { revision, commit, dir };
        });
        return await use(checkouts);
    } finally {
        stopHandling();
        cleanup();
    }
}

/** The plan of `stack` as `checkout`'s own plan tool makes it (a child process: the event loop stays free for Ctrl-C). */
export async function planAt(checkout: Revision, stack: string): Promise<Plan> {
    const out = path.join(checkout.dir, `.plan-${stack}.json`);
    const command = nodeScriptArgs(
        checkout.dir,
        "plan",
        (text) => new DiffInputError(`revision ${checkout.revision}: package.json's plan script ${text} is not a \`node ...\` command`),
    );
    await new Promise<void>((resolve, reject) => {
        const child = execFile(
            process.execPath,
            [...command, "--stack", stack, "--json", "--out", out],
            { cwd: checkout.dir, encoding: "utf8" },
            (err, _stdout, stderr) => {
                running.delete(child);
                if (!err) return resolve();
                const reason = stderr.trim().split("\n").pop() || err.message;
                reject(new DiffInputError(`revision ${checkout.revision}: the plan of stack ${stack} failed: ${reason}`));
            },
        );
        running.add(child);
    });
    // Inputs that name the checkout's own folder (a dev bind mount's host path) would differ between
    // any two worktrees: both sides name it CHECKOUT instead.
    let text = fs.readFileSync(out, "utf8");
    for (const dir of new Set([checkout.dir, fs.realpathSync(checkout.dir)])) text = text.split(JSON.stringify(dir).slice(1, -1)).join(CHECKOUT);
    return JSON.parse(text) as Plan;
}
