// `npm run diff`: what a change does to each stack, between two plans or two revisions of this repository.
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RUN_LABEL } from "../../components/docker/labels";
import { rules } from "../../policies/rules";
import { estimate } from "../../tools/cost/estimate";
import { stackRegions } from "../../tools/cost/regions";
import { reportsFor, stackReport } from "../../tools/diff";
import { comparePlans, dangerousRemovals, MAX_VALUE_LENGTH, PER_RUN_LABELS } from "../../tools/diff/compare";
import { COMMENT_MARKER, renderJson, renderMarkdown } from "../../tools/diff/render";
import { CHECKOUT, DiffInputError, planAt, withRevisions } from "../../tools/diff/revisions";
import { STATEFUL_TYPES } from "../../tools/diff/stateful";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { CONTAINER, projectDir, stackPlan, stackPlanWith } from "../helpers/plan";
import { eventually } from "../helpers/eventually";
import { TS_HOOK } from "../helpers/hook";

const RDS = "aws:rds/instance:Instance";
const side = (plan: Plan) => ({ plan, regions: stackRegions(projectDir, plan.stack) });

/** A copy of `plan` with `edit` applied to its resources. */
function edited(plan: Plan, edit: (resources: PlanResource[]) => PlanResource[]): Plan {
    return { ...plan, resources: edit(structuredClone(plan.resources)) };
}

function only(plan: Plan, type: string): PlanResource {
    const found = plan.resources.filter((r) => r.type === type);
    assert.equal(found.length, 1, `one ${type}`);
    return found[0];
}

const made: string[] = [];
function tmp(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
}

function diffCli(...args: string[]) {
    return spawnSync(process.execPath, ["--require", TS_HOOK, "tools/diff.ts", ...args], { cwd: projectDir, encoding: "utf8" });
}

function writePlan(dir: string, name: string, plan: Plan): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(plan));
    return file;
}

describe("npm run diff", () => {
    after(() => {
        for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
    });
    it("shows a changed size as exactly that property, old and new, and its cost delta", async () => {
        const base = await stackPlan("staging");
        const head = await stackPlanWith("staging", { dbInstanceClass: "db.t4g.large" });
        const report = await stackReport(side(base), side(head));
        assert.deepEqual(
            report.diff.changed.map((r) => [r.type, r.changes]),
            [[RDS, [{ path: "instanceClass", old: '"db.t4g.medium"', new: '"db.t4g.large"' }]]],
        );
        assert.deepEqual([report.diff.added, report.diff.removed], [[], []]);
        const expected = estimate(head, side(head).regions).total - estimate(base, side(base).regions).total;
        assert.ok(Math.abs(report.cost.delta - expected) < 0.01);
        assert.ok(report.cost.delta > 0);
        const markdown = renderMarkdown([report], "base → head");
        assert.ok(markdown.startsWith(COMMENT_MARKER));
        assert.match(markdown, /### staging: 0 to add, 1 to change, 0 to remove/);
        assert.match(markdown, /\| `instanceClass` \| "db\.t4g\.medium" \| "db\.t4g\.large" \|/);
    });

    it("compares inside JSON-encoded inputs: a task's size shows as containerDefinitions[0].cpu", async () => {
        const base = await stackPlan("staging");
        const head = edited(base, (resources) => {
            const task = resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.name === "backend") as PlanResource;
            const definitions = JSON.parse(task.inputs.containerDefinitions as string);
            definitions[0].cpu *= 2;
            task.inputs.containerDefinitions = JSON.stringify(definitions);
            return resources;
        });
        const { diff } = await stackReport(side(base), side(head));
        assert.deepEqual(
            diff.changed.map((r) => [r.name, r.changes.map((c) => c.path)]),
            [["backend", ["containerDefinitions[0].cpu"]]],
        );
    });

    it("puts a removed protected, stateful resource first and loudly; --fail-on-destroy exits 1 for it", async () => {
        const base = await stackPlan("prod");
        const database = only(base, RDS);
        assert.ok(database.options.protect, "prod protects its database");
        const head = edited(base, (resources) => resources.filter((r) => r.urn !== database.urn));
        const report = await stackReport(side(base), side(head));
        assert.deepEqual(
            dangerousRemovals(report.diff).map((r) => [r.urn, r.risks]),
            [[database.urn, ["protected", `stateful: ${STATEFUL_TYPES[RDS]}`]]],
        );
        const markdown = renderMarkdown([report], "x");
        assert.ok(markdown.indexOf("[!CAUTION]") < markdown.indexOf("**Changed**") || !markdown.includes("**Changed**"));
        assert.match(markdown, /> - `database-postgres` \(`aws:rds\/instance:Instance`\) \*\*protected, stateful: database\*\*/);

        const dir = tmp("osint-diff-files-");
        const [baseFile, headFile] = [writePlan(dir, "base.json", base), writePlan(dir, "head.json", head)];
        const failing = diffCli("--base-plan", baseFile, "--head-plan", headFile, "--fail-on-destroy");
        assert.equal(failing.status, 1, failing.stderr);
        assert.match(failing.stderr, /1 protected, retained or stateful resource\(s\) would be removed: database-postgres \(aws:rds\/instance:Instance\)$/m);
        assert.equal(diffCli("--base-plan", baseFile, "--head-plan", headFile).status, 0);
        const json = JSON.parse(diffCli("--base-plan", baseFile, "--head-plan", headFile, "--format", "json").stdout);
        assert.deepEqual(json.stacks[0].dangerousRemovals, [database.urn]);
        assert.deepEqual(json.stacks[0].counts, { added: 0, changed: 0, removed: 1 });
    });

    it("flags the removal of a stateful resource even when nothing protects it (a staging log group)", async () => {
        const base = await stackPlan("staging");
        const logs = base.resources.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup") as PlanResource;
        assert.equal(logs.options.protect, false);
        const report = await stackReport(side(base), side(edited(base, (resources) => resources.filter((r) => r.urn !== logs.urn))));
        assert.deepEqual(
            dangerousRemovals(report.diff).map((r) => r.risks),
            [["stateful: log group"]],
        );
        // retainOnDelete makes any resource's removal worth a look: it stays in the account, unmanaged.
        const retained = edited(base, (resources) => {
            const rule = resources.find((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") as PlanResource;
            (rule.options as { retainOnDelete: boolean }).retainOnDelete = true;
            return resources;
        });
        const rule = retained.resources.find((r) => r.options.retainOnDelete) as PlanResource;
        const removal = await stackReport(side(retained), side(edited(retained, (resources) => resources.filter((r) => r.urn !== rule.urn))));
        assert.deepEqual(
            dangerousRemovals(removal.diff).map((r) => [r.urn, r.risks]),
            [[rule.urn, ["retained on delete"]]],
        );
    });

    it("does not fail on the removal of a stateless, unprotected resource", async () => {
        const base = await stackPlan("prod");
        const rule = base.resources.find((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") as PlanResource;
        const head = edited(base, (resources) => resources.filter((r) => r.urn !== rule.urn));
        const report = await stackReport(side(base), side(head));
        assert.deepEqual(
            report.diff.removed.map((r) => r.urn),
            [rule.urn],
        );
        assert.deepEqual(dangerousRemovals(report.diff), []);
        assert.doesNotMatch(renderMarkdown([report], "x"), /CAUTION/);
    });

    it("reports a policy finding new in head with its control ids, and as fixed the other way round", async () => {
        const base = await stackPlan("staging");
        const head = edited(base, (resources) => {
            const database = resources.find((r) => r.type === RDS) as PlanResource;
            database.inputs.storageEncrypted = false;
            return resources;
        });
        const report = await stackReport(side(base), side(head));
        const rule = rules.find((r) => r.name === "rds-storage-encrypted");
        assert.ok(rule);
        assert.deepEqual(
            report.policy.introduced.map((f) => [f.policy, f.urn, f.controls]),
            [[rule.name, only(head, RDS).urn, rule.controls ?? []]],
        );
        assert.deepEqual(report.policy.fixed, []);
        assert.match(renderMarkdown([report], "x"), /New in head \(1\):\n- \*\*rds-storage-encrypted\*\* \(mandatory\)/);
        const reverse = await stackReport(side(head), side(base));
        assert.deepEqual(
            reverse.policy.fixed.map((f) => f.policy),
            [rule.name],
        );
        assert.deepEqual(reverse.policy.introduced, []);
    });

    it("does not count a one-shot job's run label (new with every run of the program) as a change; any other label it does", async () => {
        assert.ok(PER_RUN_LABELS.includes(RUN_LABEL), "the label components/docker/container.ts sets");
        const base = await stackPlan("dev");
        const relabelled = (label: string, value: string) =>
            edited(base, (resources) => {
                for (const r of resources)
                    for (const l of (r.inputs.labels ?? []) as { label: string; value: string }[]) if (l.label === label) l.value = value;
                return resources;
            });
        const jobs = comparePlans(base, relabelled(RUN_LABEL, "another-run"));
        assert.deepEqual(jobs.changed, []);
        const job = base.resources.find((r) => r.type === CONTAINER && r.name === "migrations-migrate");
        const other = (job?.inputs.labels as { label: string }[]).find((l) => l.label !== RUN_LABEL)?.label;
        assert.ok(other, "the job carries another label");
        const changed = comparePlans(base, relabelled(other, "another-value")).changed;
        assert.ok(changed.length > 0 && changed.every((r) => r.changes.every((c) => /^labels\[\d+\]\.value$/.test(c.path))), JSON.stringify(changed));
    });

    it("shows a secret change as [secret], never the value, and elides long values", async () => {
        const base = await stackPlan("staging");
        const plaintext = "hunter2-plaintext-password";
        const withPlain = edited(base, (resources) => {
            only({ ...base, resources }, "aws:elasticache/replicationGroup:ReplicationGroup").inputs.authToken = plaintext;
            return resources;
        });
        const longScript = `echo ${"x".repeat(MAX_VALUE_LENGTH * 2)}`;
        const head = edited(base, (resources) => {
            const command = resources.find((r) => r.type === "command:local:Command") as PlanResource;
            command.inputs.create = longScript;
            return resources;
        });
        const secretReport = await stackReport(side(withPlain), side(base));
        assert.deepEqual(secretReport.diff.changed[0].changes, [{ path: "authToken", old: "[secret]", new: "[secret]" }]);
        const markdown = renderMarkdown([secretReport], "x") + renderJson([secretReport], "x");
        assert.ok(!markdown.includes(plaintext), "the plaintext is never shown");

        const long = (await stackReport(side(base), side(head))).diff.changed[0].changes[0];
        assert.equal(long.path, "create");
        assert.ok((long.new ?? "").length < MAX_VALUE_LENGTH + 20, long.new);
        assert.match(long.new ?? "", new RegExp(`… \\(${JSON.stringify(longScript).length} chars\\)$`));
    });

    it("follows the tools' command-line contract: --help exits 0 with options and exit codes; a typo is one line and exit 2", () => {
        const help = diffCli("--help");
        assert.equal(help.status, 0);
        for (const option of ["--base", "--head", "--base-plan", "--head-plan", "--stack", "--format", "--fail-on-destroy", "--out"])
            assert.ok(help.stdout.includes(option), option);
        assert.match(help.stdout, /exit codes:\n {2}0 +the diff was printed\n {2}1 +--fail-on-destroy/);
        assert.match(help.stdout, /^ {2}130 +interrupted \(Ctrl-C\): its plans stopped and its worktrees removed$/m);
        const typo = diffCli("--fail-on-destory");
        assert.equal(typo.status, 2);
        assert.match(typo.stderr, /^diff: unknown option --fail-on-destory \(did you mean --fail-on-destroy\?\)/);
        assert.equal(typo.stderr.trim().split("\n").length, 1);
    });

    it("refuses unreadable plan files with the file, key, expectation and finding, in one line and exit 2", async () => {
        const dir = tmp("osint-diff-bad-");
        const good = writePlan(dir, "good.json", await stackPlan("dev"));
        const broken = path.join(dir, "broken.json");
        const plan = JSON.parse(fs.readFileSync(good, "utf8"));
        delete plan.resources[3].type;
        fs.writeFileSync(broken, JSON.stringify(plan));
        const result = diffCli("--base-plan", good, "--head-plan", broken);
        assert.equal(result.status, 2);
        assert.equal(result.stderr, `diff: ${broken}: key resources[3].type: expected a string, found nothing (the key is missing)\n`);
        plan.resources[3] = 1;
        fs.writeFileSync(broken, JSON.stringify(plan));
        assert.equal(diffCli("--base-plan", good, "--head-plan", broken).stderr, `diff: ${broken}: key resources[3]: expected a resource object, found 1\n`);
        const missing = diffCli("--base-plan", good, "--head-plan", path.join(dir, "none.json"));
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, /none\.json: expected the plan JSON .* found no such file or folder\n$/);
        // A plan saved without npm's -s: the same hint the check gives.
        const banner = path.join(dir, "banner.json");
        fs.writeFileSync(banner, `\n> osint-platform@ plan\n> node tools/plan.ts --stack dev --json\n\n${fs.readFileSync(good, "utf8")}`);
        const bannered = diffCli("--base-plan", banner, "--head-plan", good);
        assert.equal(bannered.status, 2);
        assert.equal(
            bannered.stderr,
            `diff: ${banner}:2:1: expected JSON, found npm's banner ("> osint-platform@ plan"); save the output of \`npm run -s ...\` (silent) or use --out\n`,
        );
        const both = diffCli("--base-plan", good, "--head", "HEAD");
        assert.equal(both.status, 2);
        assert.match(both.stderr, /^diff: give either --base and --head/);
    });

    describe("between two git revisions (a temporary clone with its own commits)", () => {
        let clone: string;
        const git = (...args: string[]) => {
            const run = spawnSync("git", ["-C", clone, "-c", "user.name=test", "-c", "user.email=test@example.org", ...args], { encoding: "utf8" });
            assert.equal(run.status, 0, run.stderr);
            return run.stdout;
        };
        const edit = (file: string, from: RegExp, to: string) => {
            const text = fs.readFileSync(path.join(clone, file), "utf8");
            assert.match(text, from);
            fs.writeFileSync(path.join(clone, file), text.replace(from, to));
        };

        before(() => {
            clone = path.join(tmp("osint-diff-clone-"), "repo");
            const run = spawnSync("git", ["clone", "--quiet", "--shared", projectDir, clone], { encoding: "utf8" });
            assert.equal(run.status, 0, run.stderr);
            edit("Pulumi.staging.yaml", /dbInstanceClass: db\.t4g\.medium/, "dbInstanceClass: db.t4g.large");
            git("commit", "--quiet", "-am", "staging: a larger database");
        });

        it("plans each revision in a worktree and shows exactly the changed property; the worktrees are gone afterwards", async () => {
            const { reports, subject } = await reportsFor({ base: "HEAD~1", head: "HEAD", stack: "staging" }, clone);
            assert.equal(subject, "HEAD~1 → HEAD");
            assert.equal(reports.length, 1);
            assert.deepEqual(
                reports[0].diff.changed.map((r) => [r.type, r.changes]),
                [[RDS, [{ path: "instanceClass", old: '"db.t4g.medium"', new: '"db.t4g.large"' }]]],
            );
            assert.deepEqual([reports[0].diff.added, reports[0].diff.removed], [[], []]);
            assert.ok(reports[0].cost.delta > 0);
            assert.equal(git("worktree", "list").trim().split("\n").length, 1, "only the clone's own checkout remains");
        });

        it("names the checkout's folder <checkout> in a revision's plan, so two worktrees' paths are no change", async () => {
            const [plan, dir] = await withRevisions(clone, ["HEAD"], async ([checkout]) => [await planAt(checkout, "dev"), checkout.dir] as const);
            const text = JSON.stringify(plan);
            assert.ok(!text.includes(dir), "no worktree path in the plan");
            assert.ok(text.includes(`"${CHECKOUT}/database/init"`), "the dev database's init scripts, relative to the checkout");
        });

        it("plans one commit the same in two worktrees: no change (a dev image's content id does not depend on the checkout's folder)", async () => {
            const { reports } = await reportsFor({ base: "HEAD", head: "HEAD", stack: "dev" }, clone);
            assert.deepEqual(reports[0].diff, { stack: "dev", added: [], removed: [], changed: [] });
            assert.deepEqual(reports[0].policy, { introduced: [], fixed: [] });
        });

        it("stops its plans and removes its worktrees when interrupted (Ctrl-C), exiting 130", async () => {
            const script = `require("./tools/diff").reportsFor({ base: "HEAD~1", head: "HEAD" }, ${JSON.stringify(clone)}).then(() => process.exit(0))`;
            const child = spawn(process.execPath, ["--require", TS_HOOK, "-e", script], { cwd: projectDir, stdio: "ignore" });
            const exited = new Promise<number | string | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
            // Polled without asserting git's exit: a worktree being added has no commondir yet, and
            // `git worktree list` fails on it for that moment.
            const worktrees = () => spawnSync("git", ["-C", clone, "worktree", "list"], { encoding: "utf8" });
            await eventually(
                () => worktrees().stdout.trim().split("\n").length >= 3,
                () => `both revisions' worktrees, found: ${worktrees().stdout}`,
                30_000,
            );
            child.kill("SIGINT");
            assert.equal(await exited, 130);
            assert.equal(git("worktree", "list").trim().split("\n").length, 1, "only the clone's own checkout remains");
        });

        it("stops with exit-2 errors, and still removes its worktrees, when a revision does not plan or pins other dependencies", async () => {
            edit("Pulumi.staging.yaml", /backendMinTasks: 1/, "backendMinTasks: many");
            git("commit", "--quiet", "-am", "a broken stack file");
            await assert.rejects(
                reportsFor({ base: "HEAD~1", head: "HEAD", stack: "staging" }, clone),
                (err: Error) => err instanceof DiffInputError && /revision HEAD: the plan of stack staging failed: .*backendMinTasks/.test(err.message),
            );
            assert.equal(git("worktree", "list").trim().split("\n").length, 1);

            edit("Pulumi.staging.yaml", /backendMinTasks: many/, "backendMinTasks: 1");
            edit("package.json", /"plan": "node /, '"plan": "npx node ');
            git("commit", "--quiet", "-am", "a plan script npm would not run as node");
            await assert.rejects(
                reportsFor({ base: "HEAD~2", head: "HEAD", stack: "staging" }, clone),
                (err: Error) =>
                    err instanceof DiffInputError &&
                    /revision HEAD: package.json's plan script "npx node [^"]*" is not a `node \.\.\.` command$/.test(err.message),
            );
            edit("package.json", /"plan": "npx node /, '"plan": "node ');

            edit("package-lock.json", /"lockfileVersion": 3/, '"lockfileVersion": 3,\n  "requires": true');
            git("commit", "--quiet", "-am", "other dependencies");
            await assert.rejects(
                reportsFor({ base: "HEAD~1", head: "HEAD", stack: "staging" }, clone),
                (err: Error) => err instanceof DiffInputError && /revision HEAD: its package-lock.json differs from this checkout's/.test(err.message),
            );
            await assert.rejects(reportsFor({ base: "no-such-branch", head: "HEAD" }, clone), /revision no-such-branch: not a commit/);
        });
    });
});
