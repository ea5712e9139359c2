// The how-tos, done as written on a scratch copy of the repository (its files without .git, with
// this checkout's node_modules linked in): "change a limit" raises playwright's dev memory (a size
// the design leaves open), "add a service" adds an `enricher`. Each step is the page's; the test
// then runs `npm run typecheck` and the suite's files the change touches, and fails if the page left
// a step out. Both share one copy and one run of the slow steps (plans, type check, tests).
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectDir } from "../helpers/plan";

const page = (name: string) => fs.readFileSync(path.join(projectDir, "docs", "howto", name), "utf8");

/** The repository's files (tracked and new, not ignored) copied to a scratch folder, node_modules linked. */
function scratchCopy(dir: string): void {
    const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: projectDir, encoding: "utf8" });
    assert.equal(listed.status, 0, listed.stderr);
    for (const file of listed.stdout.split("\0").filter(Boolean)) {
        const from = path.join(projectDir, file);
        if (!fs.existsSync(from)) continue; // deleted in the working tree
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(from, path.join(dir, file));
    }
    fs.symlinkSync(path.join(projectDir, "node_modules"), path.join(dir, "node_modules"));
}

/** Replaces exactly one occurrence of `from` in a file of the copy. */
function edit(dir: string, file: string, from: string | RegExp, to: string): void {
    const target = path.join(dir, file);
    const text = fs.readFileSync(target, "utf8");
    const matches = text.match(typeof from === "string" ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g") : new RegExp(from.source, "g"));
    assert.equal(matches?.length, 1, `${file}: ${from} occurs once`);
    fs.writeFileSync(target, text.replace(from, to));
}

describe("the how-tos, followed as written", function () {
    this.timeout(900_000);
    let dir: string;
    const npm = (...args: string[]) => spawnSync("npm", args, { cwd: dir, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-howto-"));
        scratchCopy(dir);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("change a limit and add a service: every step the pages give, and nothing else, leaves the type check and the affected tests green", () => {
        const limit = page("change-a-limit.md");
        const service = page("add-a-service.md");

        // Change a limit: a container's memory in components/shared/sizing.ts.
        assert.match(limit, /\| a container's memory or CPU, per environment \| `components\/shared\/sizing\.ts` \|/);
        edit(
            dir,
            "components/shared/sizing.ts",
            'playwright: { memoryMb: 1024, cpus: 1 },\n    "ai-processor"',
            'playwright: { memoryMb: 1536, cpus: 1 },\n    "ai-processor"',
        );

        // Add a service, step 1: its name and definition in the catalog.
        assert.match(service, /Add its name to `applicationServices` and its definition to `serviceDefinitions`/);
        edit(dir, "components/service/catalog.ts", '"ai-processor"] as const;', '"ai-processor", "enricher"] as const;');
        edit(
            dir,
            "components/service/catalog.ts",
            /( {4}"ai-processor": \{ runtime: "python".*\n)/,
            '$1    enricher: { runtime: "python", port: 8002, healthPath: "/healthz", probe: "python", egress: false, dataAccess: true, uid: 10005 },\n',
        );
        // Step 2: the type check names the sizing table, and the untyped plan stops with exit 2 naming the file and the key.
        assert.match(service, /Run `npm run typecheck`/);
        const typecheck = npm("run", "-s", "typecheck");
        assert.notEqual(typecheck.status, 0);
        assert.match(typecheck.stdout, /^components\/shared\/sizing\.ts\(\d+,\d+\): error/m, "the type error is in the sizing table");
        const plan = npm("run", "-s", "plan", "--", "--stack", "dev");
        assert.deepEqual(
            [plan.status, plan.stderr.split("\n")[0]],
            [
                2,
                'plan: components/shared/sizing.ts: no size for enricher (development, staging, production): add the key "enricher" ({ memoryMb, cpus }) to its development table, and to production and staging where they differ; every service of components/service/catalog.ts needs one',
            ],
        );
        edit(
            dir,
            "components/shared/sizing.ts",
            "    nginx: { memoryMb: 64, cpus: 0.25 },\n    prometheus",
            "    enricher: { memoryMb: 512, cpus: 0.5 },\n    nginx: { memoryMb: 64, cpus: 0.25 },\n    prometheus",
        );
        // Step 3: the build-images matrix.
        assert.match(service, /Add it to the `build-images` matrix of `\.github\/workflows\/ci-cd\.yml`/);
        edit(
            dir,
            ".github/workflows/ci-cd.yml",
            "service: [backend, frontend, playwright, ai-processor]",
            "service: [backend, frontend, playwright, ai-processor, enricher]",
        );
        assert.match(service, /as an `include` entry with its `uid`/);
        edit(
            dir,
            ".github/workflows/ci-cd.yml",
            "- { service: ai-processor, uid: 10004 }",
            "- { service: ai-processor, uid: 10004 }\n          - { service: enricher, uid: 10005 }",
        );
        // Step 4: name it in the README's list of services.
        assert.match(service, /the README's first paragraph/);
        edit(dir, "README.md", "`ai-processor`, `database`", "`ai-processor`, `enricher`, `database`");
        edit(dir, "README.md", "the application's four (", "the application's five (");
        edit(dir, "README.md", "the platform's eight services", "the platform's nine services");
        assert.match(service, /raise the same two counts in \[dev-stack\.md\]/);
        edit(dir, "docs/dev-stack.md", "runs the design's eight services", "runs the design's nine services");
        edit(dir, "docs/dev-stack.md", "Dockerfile` (four builds;", "Dockerfile` (five builds;");

        // What both pages then run, each command as the page shows it.
        const row = limit.split("\n").find((line) => line.startsWith("| a container's memory or CPU"))!;
        const commands = [
            ...new Set([...row.matchAll(/`(npm run -s [^`]+)`/g), ...service.matchAll(/^ {3}(npm run -s .+)$/gm)].map((m) => m[1].trim())),
        ].flatMap((command) => (command.includes("<s>") ? ["dev", "staging", "prod"].map((s) => command.replace("<s>", s)) : [command]));
        assert.ok(commands.length >= 5, commands.join("; "));
        for (const command of commands) {
            const result = npm(...command.split(" ").slice(1));
            assert.equal(result.status, 0, `${command}: ${result.stderr}`);
        }

        const typed = npm("run", "-s", "typecheck");
        assert.equal(typed.status, 0, typed.stdout);
        const tests = npm(
            "run",
            "-s",
            "test:one",
            "--",
            "tests/sizing.test.ts",
            "tests/dev-stack.test.ts",
            "tests/components.test.ts",
            "tests/pipeline/workflow.test.ts",
            "tests/rendered/diagram.test.ts",
            // Those reading staging's and prod's sizes, or counting the catalog's services, from the plan.
            "tests/aws/stacks.test.ts",
            "tests/aws/task-start.test.ts",
            "tests/aws/security.test.ts",
            // Those reading the sizing table for the workloads they render.
            "tests/rendered/prometheus.test.ts",
            "tests/rendered/redis.test.ts",
            "tests/database/migration-job.test.ts",
            "--reporter",
            "dot",
        );
        assert.equal(tests.status, 0, tests.stdout.slice(-4000));
        // Of the claims, those the catalog sets (the others read plans and prices: not this change's).
        const claims = npm("run", "-s", "test:one", "--", "tests/docs/claims.test.ts", "-g", "Services in components/service/catalog", "--reporter", "dot");
        assert.equal(claims.status, 0, claims.stdout.slice(-4000));
        assert.match(claims.stdout, /4 passing/);
    });
});
