// A newcomer's fresh clone: `npm ci && npm test` provisions what the tests need (tools/provision.sh,
// the one list, which .ci/run and the workflow call too) or stops at once saying how; one test file
// runs alone; generated outputs never fail the checks.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import { renderedFiles, renderedPath } from "../../tools/render";
import { stackPlan } from "../helpers/plan";
import { repositoryRoot } from "./modules";

const PROVISION = path.join(repositoryRoot, "tools", "provision.sh");
const scripts = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const asRoot = process.getuid?.() === 0;
// By absolute path, as tools/local-postgres.ts finds it: root's PATH may lack the sbin directories.
const RUNUSER = ["/usr/sbin/runuser", "/sbin/runuser"].find((p) => fs.existsSync(p)) ?? "runuser";

/** What the script probes, in its order, read from the script itself: each program and the Debian packages that bring it. */
const probes = [
    ...fs.readFileSync(PROVISION, "utf8").matchAll(/^(?:found ([\w-]+)|\[ -x "\$pg_bin\/(postgres)" \]) \|\| (missing|optional)\+=\(([^)]+)\)$/gm),
].map((m) => ({ program: m[1] ?? m[2], inPgBin: m[2] !== undefined, optional: m[3] === "optional", packages: m[4].split(" ") }));
const requirements = probes.filter((p) => !p.optional);
/** The Docker end-to-end test's programs: installed where root can, never a reason to stop. */
const optionals = probes.filter((p) => p.optional);

/** The packages the script names when `absent` programs are missing, in its order. */
function packagesFor(absent: (r: (typeof requirements)[number]) => boolean): string {
    return requirements
        .filter(absent)
        .flatMap((r) => r.packages)
        .join(" ");
}

const tempDirs: string[] = [];

function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.chmodSync(dir, 0o755);
    tempDirs.push(dir);
    return dir;
}

/** A folder of stand-in executables that record how they were called into `log`. */
function fakePrograms(names: readonly string[], log: string): string {
    const dir = tempDir("osint-provision-bin-");
    for (const name of names) fs.writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} $*" >>"${log}"\n`, { mode: 0o755 });
    return dir;
}

/** Runs the provision script (as an ordinary user when `asUser`) with only the programs `present` holds. */
function provision(options: { present: (r: (typeof requirements)[number]) => boolean; asUser?: boolean; path?: string; optionalPresent?: boolean }) {
    const log = path.join(tempDir("osint-provision-log-"), "calls");
    const present = [...requirements.filter(options.present), ...(options.optionalPresent === false ? [] : optionals)];
    const programs = fakePrograms(
        present.filter((r) => !r.inPgBin).map((r) => r.program),
        log,
    );
    const pgBin = fakePrograms(
        present.filter((r) => r.inPgBin).map((r) => r.program),
        log,
    );
    const env = { ...process.env, PROVISION_SEARCH_PATH: programs, PG_BIN: pgBin, PATH: options.path ?? process.env.PATH };
    // As root, an ordinary user is played by nobody, reading the script on stdin.
    const [command, args] = options.asUser && asRoot ? [RUNUSER, ["-u", "nobody", "--", "bash", "-s"]] : ["bash", ["-s"]];
    const started = Date.now();
    const run = spawnSync(command, args, { env, encoding: "utf8", input: fs.readFileSync(PROVISION, "utf8"), cwd: os.tmpdir() });
    return { ...run, seconds: (Date.now() - started) / 1000, calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [] };
}

const none = () => false;
const all = () => true;

describe("a fresh clone: npm ci && npm test", () => {
    after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("provisions before the tests (pretest), and .ci/run and the workflow call the same script", () => {
        assert.equal(scripts.pretest, "bash tools/provision.sh");
        const ciRun = fs.readFileSync(path.join(repositoryRoot, ".ci", "run"), "utf8");
        assert.match(ciRun, /^bash tools\/provision\.sh$/m);
        assert.doesNotMatch(ciRun, /apt-get|missing\+=/, ".ci/run keeps no list of its own");
        assert.ok(requirements.length >= 6 && packagesFor(all).includes("postgresql-15"), JSON.stringify(requirements));
    });

    it("an ordinary user missing everything gets one line naming every package and the command, within seconds, and no install", () => {
        const run = provision({ present: none, asUser: true });
        const packages = packagesFor(all);
        assert.equal(run.status, 1, run.stderr);
        assert.equal(run.stdout, "");
        assert.equal(run.stderr.split("\n").length, 2, `one line: ${run.stderr}`);
        assert.equal(
            run.stderr,
            `provision: the tests need programs this machine lacks (${packages}); install them (Debian 12 names) with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages}\n`,
        );
        assert.ok(run.seconds < 5, `${run.seconds} s`);
        assert.deepEqual(run.calls, []);
    });

    it("names only what is missing: here the database server alone", () => {
        const run = provision({ present: (r) => !r.inPgBin, asUser: true });
        assert.equal(run.status, 1);
        assert.match(run.stderr, new RegExp(`lacks \\(${packagesFor((r) => r.inPgBin)}\\)`));
    });

    it("with everything present: exits 0 at once, silent, installing nothing", () => {
        const run = provision({ present: all, asUser: true });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout + run.stderr, "");
        assert.deepEqual(run.calls, []);
    });

    it("as root with apt-get: installs exactly the missing packages from Debian", function () {
        if (!asRoot) this.skip(); // installing needs root; the ordinary user's case is above
        const log = path.join(tempDir("osint-provision-apt-"), "calls");
        const apt = fakePrograms(["apt-get", "useradd"], log);
        const absent = (r: (typeof requirements)[number]) => requirements.indexOf(r) % 2 === 1;
        const run = provision({ present: (r) => !absent(r), path: `${apt}:${process.env.PATH}` });
        assert.equal(run.status, 0, run.stderr);
        const calls = fs.readFileSync(log, "utf8").trim().split("\n");
        assert.deepEqual(calls.slice(0, 2), ["apt-get update -qq", `apt-get install -y -qq --no-install-recommends ${packagesFor(absent)}`]);
        assert.equal(run.stderr, `provision: installing from Debian: ${packagesFor(absent)}\n`);
    });

    it("names the Docker end-to-end test's optional programs to an ordinary user without stopping; installs them as root", function () {
        const optionalPackages = optionals.flatMap((o) => o.packages).join(" ");
        assert.equal(optionalPackages, "docker.io mmdebstrap");
        const user = provision({ present: all, asUser: true, optionalPresent: false });
        assert.equal(user.status, 0, user.stderr);
        assert.equal(
            user.stderr,
            `provision: optional for the Docker end-to-end test, missing: ${optionalPackages} (as root: apt-get install -y --no-install-recommends ${optionalPackages})\n`,
        );
        assert.deepEqual(user.calls, []);
        if (!asRoot) this.skip(); // installing needs root
        const log = path.join(tempDir("osint-provision-apt-"), "calls");
        const apt = fakePrograms(["apt-get", "useradd"], log);
        const root = provision({ present: all, optionalPresent: false, path: `${apt}:${process.env.PATH}` });
        assert.equal(root.status, 0, root.stderr);
        assert.deepEqual(fs.readFileSync(log, "utf8").trim().split("\n").slice(0, 2), [
            "apt-get update -qq",
            `apt-get install -y -qq --no-install-recommends ${optionalPackages}`,
        ]);
    });
});

describe("running one test file", () => {
    const mocha = path.join(repositoryRoot, "node_modules", "mocha", "bin", "mocha.js");
    function dryRun(...args: string[]) {
        // The whole suite's JSON is larger than spawnSync's default 1 MiB buffer.
        const run = spawnSync(process.execPath, [mocha, "--dry-run", "--reporter", "json", ...args], {
            cwd: repositoryRoot,
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        assert.equal(run.status, 0, run.stderr);
        return JSON.parse(run.stdout) as { stats: { tests: number }; tests: { file: string }[] };
    }

    it("npm run test:one -- <file> runs that file alone; without one, the whole suite", () => {
        assert.equal(scripts["test:one"], "mocha");
        const one = dryRun("tests/pipeline/audit.test.ts");
        assert.deepEqual([...new Set(one.tests.map((t) => path.relative(repositoryRoot, t.file)))], ["tests/pipeline/audit.test.ts"]);
        // A quoted glob names its files only, too.
        const globbed = dryRun("tests/pipeline/a*.test.ts");
        assert.deepEqual([...new Set(globbed.tests.map((t) => path.relative(repositoryRoot, t.file)))], ["tests/pipeline/audit.test.ts"]);
        // A mistyped file fails as not found instead of running the whole suite.
        const mistyped = spawnSync(process.execPath, [mocha, "--dry-run", "tests/pipeline/audti.test.ts"], { cwd: repositoryRoot, encoding: "utf8" });
        assert.notEqual(mistyped.status, 0);
        assert.match(mistyped.stderr, /No test files found: "tests\/pipeline\/audti\.test\.ts"/);
        const all = dryRun();
        assert.ok(new Set(all.tests.map((t) => t.file)).size > 20, "the whole suite");
        // An option's value is not a test file: the suite minus the ignored folder.
        const ignoring = dryRun("--ignore", "tests/pipeline/**");
        assert.ok(ignoring.stats.tests > one.stats.tests && ignoring.stats.tests < all.stats.tests);
        assert.ok(!ignoring.tests.some((t) => t.file.includes(`${path.sep}pipeline${path.sep}`)));
    });
});

describe("generated outputs", () => {
    // Where the README's and the tools' examples write: rendered configuration, saved plans and reports, benchmark results.
    const GENERATED = ["rendered", "out", "bench/results"];

    it("are ignored by git and by Prettier, so `npm run render -- --stack dev --out rendered/` cannot fail npm test", async function () {
        // Where `npm run render -- --stack dev --out rendered/` writes each file, plus one file in every generated folder.
        const rendered = renderedFiles(await stackPlan("dev")).map((file) => renderedPath("rendered", file.service, file.path));
        assert.ok(rendered.length > 5);
        const files = [...rendered, ...GENERATED.map((dir) => `${dir}/report.json`)];
        const gitIgnored = spawnSync("git", ["check-ignore", "--no-index", "--stdin"], { cwd: repositoryRoot, input: files.join("\n"), encoding: "utf8" });
        assert.deepEqual(gitIgnored.stdout.trim().split("\n").sort(), [...files].sort());
        for (const file of files) {
            const info = await prettier.getFileInfo(path.join(repositoryRoot, file), { ignorePath: path.join(repositoryRoot, ".prettierignore") });
            assert.equal(info.ignored, true, `Prettier checks ${file}`);
        }
    });

    it("are never committed: no tracked file is one .gitignore ignores (bytecode holding a machine's paths, caches, outputs)", () => {
        const tracked = spawnSync("git", ["ls-files", "--cached", "--ignored", "--exclude-standard"], { cwd: repositoryRoot, encoding: "utf8" });
        assert.equal(tracked.status, 0, tracked.stderr);
        assert.equal(tracked.stdout, "", "tracked, yet .gitignore ignores it: git rm --cached it");
    });
});
