// The CI/CD workflow read as GitHub reads it: triggers, the job graph simulated per event and outcome,
// environments, permissions, concurrency, pinned actions, OIDC credentials and no secret in a script.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { applicationServices, serviceDefinitions, UID_BUILD_ARG } from "../../components/service/catalog";
import { DEPLOY_BUDGET_MINUTES } from "../../deployments/settings";
import { readProjectFile } from "../../lib/stack-config";
import { COMMENT_MARKER, renderMarkdown } from "../../tools/diff/render";
import { projectDir } from "../helpers/plan";
import { simulate, type JobSpec, type Result, type Scenario } from "./expressions";
import { localModules, projectFiles } from "./modules";

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, string>;
    readonly env?: Record<string, string>;
}
interface Job extends JobSpec {
    readonly environment?: string | { readonly name: string; readonly url?: string };
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
    readonly strategy?: { readonly matrix: Record<string, string[]> & { readonly include?: Record<string, string | number>[] } };
    readonly container?: string;
    readonly outputs?: Record<string, string>;
    readonly steps: Step[];
}
interface Workflow {
    readonly name: string;
    readonly on: Record<string, { branches: string[] }>;
    readonly permissions: Record<string, string>;
    readonly env: Record<string, string>;
    readonly jobs: Record<string, Job>;
}
interface CompositeAction {
    readonly runs: { readonly using: string; readonly steps: Step[] };
}

const read = (file: string) => fs.readFileSync(path.join(projectDir, file), "utf8");
const workflow = parse(read(".github/workflows/ci-cd.yml")) as Workflow;
const PULUMI_STACK_ACTION = "./.github/actions/pulumi-stack";
const pulumiStack = parse(read(".github/actions/pulumi-stack/action.yml")) as CompositeAction;
const jobs = workflow.jobs;
const allSteps = [...Object.values(jobs).flatMap((j) => j.steps), ...pulumiStack.runs.steps];

const environmentName = (job: Job) => (typeof job.environment === "string" ? job.environment : job.environment?.name);
const stepUsing = (job: Job, action: string) => job.steps.filter((s) => s.uses?.split("@")[0] === action);
const ran = (results: Record<string, Result>) =>
    Object.keys(results)
        .filter((j) => results[j] !== "skipped")
        .sort();

const PUSH_DEVELOP: Scenario = { event: "push", ref: "refs/heads/develop", outputs: { "deploy-staging": { "last-good-sha": "a".repeat(40) } } };
const PUSH_MAIN: Scenario = { event: "push", ref: "refs/heads/main", outputs: { "deploy-production": { "last-good-sha": "b".repeat(40) } } };
const PULL_REQUEST: Scenario = { event: "pull_request", ref: "refs/pull/42/merge" };
const TESTS = ["code-quality", "dev-stack-e2e", "integration-tests", "unit-tests"];

describe("CI/CD workflow (.github/workflows/ci-cd.yml)", () => {
    it("runs on pushes to main and develop and on pull requests to main, nothing else", () => {
        assert.deepEqual(workflow.on, { push: { branches: ["main", "develop"] }, pull_request: { branches: ["main"] } });
    });

    it("has the design's seven jobs, plus the PR preview, the dev stack end to end and one rollback per stack", () => {
        for (const job of ["code-quality", "unit-tests", "integration-tests", "e2e-tests", "build-images", "deploy-staging", "deploy-production"]) {
            assert.ok(job in jobs, `missing job ${job}`);
        }
        assert.deepEqual(Object.keys(jobs).sort(), [
            "build-images",
            "code-quality",
            "deploy-production",
            "deploy-staging",
            "dev-stack-e2e",
            "e2e-tests",
            "integration-tests",
            "preview",
            "review-diff",
            "rollback-production",
            "rollback-staging",
            "unit-tests",
            // sorted
        ]);
    });

    it("orders the jobs: quality gate, tests, images, deploy, e2e smoke test, rollback", () => {
        const needs = Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, ([] as string[]).concat(job.needs ?? []).sort()]));
        assert.deepEqual(needs, {
            "code-quality": [],
            "unit-tests": ["code-quality"],
            "integration-tests": ["code-quality"],
            // The dev stack on the runner's own Docker Engine (tests/e2e), beside the tests it cannot run in a container: job.
            "dev-stack-e2e": ["code-quality"],
            preview: ["integration-tests", "unit-tests"],
            "review-diff": ["code-quality"],
            "build-images": ["integration-tests", "unit-tests"],
            "deploy-staging": ["build-images"],
            "deploy-production": ["build-images"],
            "e2e-tests": ["deploy-production", "deploy-staging"],
            "rollback-staging": ["deploy-staging", "e2e-tests"],
            "rollback-production": ["deploy-production", "e2e-tests"],
        });
    });

    describe("which jobs run (the job graph simulated as GitHub evaluates `if:`)", () => {
        it("a pull request: the gate, the tests and a preview of each stack; no image, no deployment", () => {
            assert.deepEqual(ran(simulate(jobs, PULL_REQUEST)), [...TESTS, "preview", "review-diff"].sort());
        });

        it("a push to develop deploys staging only, then smoke-tests it", () => {
            assert.deepEqual(ran(simulate(jobs, PUSH_DEVELOP)), [...TESTS, "build-images", "deploy-staging", "e2e-tests"].sort());
        });

        it("a push to main deploys production only, then smoke-tests it", () => {
            assert.deepEqual(ran(simulate(jobs, PUSH_MAIN)), [...TESTS, "build-images", "deploy-production", "e2e-tests"].sort());
        });

        it("a failed staging update or a failed smoke test rolls staging back, never production", () => {
            const failedUpdate = simulate(jobs, { ...PUSH_DEVELOP, failing: ["deploy-staging"] });
            assert.equal(failedUpdate["rollback-staging"], "success");
            assert.equal(failedUpdate["e2e-tests"], "skipped");
            assert.equal(failedUpdate["rollback-production"], "skipped");
            const failedSmoke = simulate(jobs, { ...PUSH_DEVELOP, failing: ["e2e-tests"] });
            assert.equal(failedSmoke["rollback-staging"], "success");
            assert.equal(failedSmoke["rollback-production"], "skipped");
        });

        it("a failed production update or smoke test rolls production back, never staging", () => {
            const failedUpdate = simulate(jobs, { ...PUSH_MAIN, failing: ["deploy-production"] });
            assert.equal(failedUpdate["rollback-production"], "success");
            assert.equal(failedUpdate["rollback-staging"], "skipped");
            assert.equal(simulate(jobs, { ...PUSH_MAIN, failing: ["e2e-tests"] })["rollback-production"], "success");
        });

        it("no rollback after a healthy deployment, before the first good run, or when tests fail before deploying", () => {
            assert.equal(simulate(jobs, PUSH_MAIN)["rollback-production"], "skipped");
            assert.equal(simulate(jobs, { ...PUSH_DEVELOP, outputs: {}, failing: ["e2e-tests"] })["rollback-staging"], "skipped");
            const failedTests = simulate(jobs, { ...PUSH_DEVELOP, failing: ["unit-tests"] });
            assert.deepEqual(ran(failedTests), TESTS);
        });
    });

    it("production deploys through the `production` environment (required reviewers), staging through `staging`", () => {
        const environments = Object.fromEntries(
            Object.entries(jobs)
                .filter(([, job]) => job.environment)
                .map(([name, job]) => [name, environmentName(job)]),
        );
        assert.deepEqual(environments, {
            "deploy-staging": "staging",
            "deploy-production": "production",
            "rollback-staging": "staging",
            "rollback-production": "production-rollback",
        });
        assert.equal((jobs["deploy-production"].environment as { url: string }).url, "${{ steps.deploy.outputs.url }}");
    });

    it("grants id-token: write only to the jobs that sign in by OIDC (preview, deploy, rollback); the default is read-only", () => {
        assert.deepEqual(workflow.permissions, { contents: "read" });
        const withIdToken = Object.keys(jobs).filter((name) => jobs[name].permissions?.["id-token"] === "write");
        const signingIn = Object.keys(jobs).filter((name) => stepUsing(jobs[name], PULUMI_STACK_ACTION).length > 0);
        assert.deepEqual(withIdToken.sort(), ["deploy-production", "deploy-staging", "preview", "rollback-production", "rollback-staging"]);
        assert.deepEqual(withIdToken.sort(), signingIn.sort());
        for (const job of ["code-quality", "unit-tests", "integration-tests", "build-images", "e2e-tests", "review-diff"]) {
            assert.equal(jobs[job].permissions?.["id-token"], undefined, `${job} must not mint OIDC tokens`);
        }
        assert.equal(jobs["build-images"].permissions?.packages, "write");
        assert.equal(jobs.preview.permissions?.["pull-requests"], "write");
    });

    it("never lets two updates of one stack overlap: one queueing concurrency group per stack, shared by deploy and rollback", () => {
        const group = (job: string) => jobs[job].concurrency;
        assert.deepEqual(group("deploy-staging"), { group: "pulumi-staging", "cancel-in-progress": false });
        assert.deepEqual(group("rollback-staging"), group("deploy-staging"));
        assert.deepEqual(group("deploy-production"), { group: "pulumi-prod", "cancel-in-progress": false });
        assert.deepEqual(group("rollback-production"), group("deploy-production"));
        for (const [name, job] of Object.entries(jobs)) {
            const updates = stepUsing(job, PULUMI_STACK_ACTION).filter((s) => s.with?.command === "up");
            for (const step of updates)
                assert.equal(job.concurrency?.group, `pulumi-${step.with?.stack}`, `${name} updates ${step.with?.stack} outside its group`);
        }
        assert.match(jobs.preview.concurrency?.group ?? "", /^preview-\$\{\{ matrix\.stack \}\}-/);
    });

    it("previews both stacks on pull requests with the policy pack and comments on the PR; deploys run `up`", () => {
        assert.deepEqual(jobs.preview.strategy?.matrix.stack, ["staging", "prod"]);
        assert.deepEqual(stepUsing(jobs.preview, PULUMI_STACK_ACTION)[0].with, {
            command: "preview",
            stack: "${{ matrix.stack }}",
            "aws-role-arn": "${{ vars.AWS_PREVIEW_ROLE_ARN }}",
            "comment-on-pr": "true",
        });
        const deploy = (job: string) => stepUsing(jobs[job], PULUMI_STACK_ACTION)[0].with;
        assert.deepEqual(deploy("deploy-staging"), {
            command: "up",
            stack: "staging",
            "aws-role-arn": "${{ vars.AWS_STAGING_ROLE_ARN }}",
            "image-tag": "${{ github.sha }}",
            "role-duration-seconds": DEPLOY_BUDGET_MINUTES * 60,
        });
        assert.deepEqual(deploy("deploy-production"), {
            command: "up",
            stack: "prod",
            "aws-role-arn": "${{ vars.AWS_PROD_ROLE_ARN }}",
            "image-tag": "${{ github.sha }}",
            "role-duration-seconds": DEPLOY_BUDGET_MINUTES * 60,
        });
        assert.equal(deploy("rollback-staging")?.["image-tag"], "${{ needs.deploy-staging.outputs.last-good-sha }}");
        assert.equal(deploy("rollback-production")?.["image-tag"], "${{ needs.deploy-production.outputs.last-good-sha }}");

        const [pulumiStep] = pulumiStack.runs.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.equal(pulumiStep.with?.command, "${{ inputs.command }}");
        assert.equal(pulumiStep.with?.["stack-name"], "${{ env.PULUMI_ORG }}/osint-platform/${{ inputs.stack }}");
        assert.equal(pulumiStep.with?.policyPacks, "policies");
        assert.equal(pulumiStep.with?.policyPackConfigs, "policies/config/${{ inputs.stack }}.json");
        assert.equal(pulumiStep.with?.["comment-on-pr"], "${{ inputs.comment-on-pr }}");
        for (const stack of ["staging", "prod"]) {
            assert.ok(fs.existsSync(path.join(projectDir, "policies", "config", `${stack}.json`)), `policies/config/${stack}.json is missing`);
        }
    });

    it("posts the offline diff of every stack on pull requests as one comment updated in place, with no cloud credentials", () => {
        const job = jobs["review-diff"];
        assert.deepEqual(job.permissions, { contents: "read", "pull-requests": "write" });
        assert.deepEqual(job.concurrency, { group: "review-diff-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
        assert.deepEqual(ran(simulate(jobs, PUSH_MAIN)).includes("review-diff"), false);
        const [checkout] = stepUsing(job, "actions/checkout");
        assert.equal(checkout.with?.["fetch-depth"], 0, "the base branch's commits are fetched, to plan them");
        const diff = job.steps.find((s) => s.run?.includes("npm run -s diff"));
        assert.ok(diff, "a step runs npm run diff");
        assert.match(diff.run ?? "", /npm run -s diff -- --base "origin\/\$BASE_REF" --head HEAD --out diff\.md/);
        assert.equal(diff.env?.BASE_REF, "${{ github.base_ref }}");
        // The fallback comment starts with the marker the posting step looks for, like the diff itself.
        assert.ok((diff.run ?? "").includes(COMMENT_MARKER));
        const [post] = stepUsing(job, "actions/github-script");
        const script = post.with?.script ?? "";
        assert.match(script, /readFileSync\("diff\.md"/);
        assert.match(script, /startsWith\(marker\)/);
        assert.match(script, /updateComment[\s\S]*createComment/);
        assert.match(script, /const limit = 65000;/, "stays under GitHub's 65,536-character comment limit");
        assert.ok(renderMarkdown([], "x").startsWith(`${COMMENT_MARKER}\n`), "the marker is the diff's first line");
        const text = JSON.stringify(job);
        assert.doesNotMatch(text, /id-token|aws-role|role-to-assume|secrets\./, "no cloud credentials");
        const pinned = read(".github/workflows/ci-cd.yml").match(/uses: actions\/github-script@[0-9a-f]{40} # v\d+\.\d+\.\d+/);
        assert.ok(pinned, "github-script pinned by SHA with its release tag");
    });

    it("the review job runs the reachability analysis of staging and prod, shows the reports and fails on exit 1", () => {
        const job = jobs["review-diff"];
        const step = job.steps.find((s) => s.run?.includes("npm run -s reachability"));
        assert.ok(step, "a step runs npm run reachability");
        const run = step.run ?? "";
        assert.match(run, /for stack in staging prod; do/);
        assert.match(run, /npm run -s reachability -- --stack "\$stack" --out "reachability-\$stack\.txt" \|\| status=\$\?/);
        assert.match(run, />> "\$GITHUB_STEP_SUMMARY"/, "the report is offered to reviewers");
        assert.match(run, /exit "\$status"\s*$/, "a failing stack fails the job");
        assert.equal((step as Record<string, unknown>)["continue-on-error"], undefined);
        assert.ok(job.steps.indexOf(step) === job.steps.length - 1, "after the diff comment, which posts whatever the verdict");
        assert.doesNotMatch(JSON.stringify(step), /secrets\.|id-token/, "offline: no credentials");
    });

    it("gets AWS credentials only by assuming a role through OIDC: no access keys anywhere", () => {
        const aws = allSteps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.equal(aws.length, 1);
        assert.equal(aws[0].with?.["role-to-assume"], "${{ inputs.aws-role-arn }}");
        const text = read(".github/workflows/ci-cd.yml") + read(".github/actions/pulumi-stack/action.yml");
        assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|PULUMI_ACCESS_TOKEN: \$\{\{ secrets/);
        assert.ok(
            pulumiStack.runs.steps.some((s) => s.uses?.startsWith("pulumi/auth-actions@")),
            "Pulumi Cloud token by OIDC",
        );
    });

    it("pins every action to a full 40-hex commit SHA (local actions excepted)", () => {
        const uses = allSteps.map((s) => s.uses).filter((u): u is string => u !== undefined);
        assert.ok(uses.length >= 20);
        for (const use of uses) {
            if (use.startsWith("./")) continue;
            assert.match(use, /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._/-]+)?@[0-9a-f]{40}$/, `${use} is not pinned to a commit SHA`);
        }
    });

    it("uploads the offline policy check of each previewed stack as SARIF to code scanning, with a pinned, tagged upload-sarif", () => {
        const preview = jobs.preview;
        assert.equal(preview.permissions?.["security-events"], "write");
        const check = preview.steps.find((s) => /npm run -s check -- --stack "\$STACK" --format sarif --out "policy-check-\$STACK\.sarif"/.test(s.run ?? ""));
        assert.ok(check, "the preview job runs the check with --format sarif");
        assert.equal(check.env?.STACK, "${{ matrix.stack }}");
        const [upload] = stepUsing(preview, "github/codeql-action/upload-sarif");
        assert.ok(upload, "the preview job uploads the SARIF");
        assert.ok(preview.steps.indexOf(upload) > preview.steps.indexOf(check));
        assert.equal(upload.with?.sarif_file, "policy-check-${{ matrix.stack }}.sarif");
        assert.equal(upload.with?.category, "policy-check-${{ matrix.stack }}", "one analysis per stack, so staging's results never close prod's");
        // A refused preview (a mandatory finding) is when the annotations matter most.
        for (const step of [check, upload]) assert.match((step as { if?: string }).if ?? "", /!cancelled\(\)/);
        assert.match(read(".github/workflows/ci-cd.yml"), /uses: github\/codeql-action\/upload-sarif@[0-9a-f]{40} # v[34]\.\d+\.\d+\n/);
    });

    it("never puts an expression (a secret or any other) into a shell script: values reach scripts through env", () => {
        for (const step of allSteps.filter((s) => s.run)) {
            assert.doesNotMatch(step.run ?? "", /\$\{\{/, `step "${step.name ?? step.run}" interpolates an expression into its script`);
            assert.doesNotMatch(step.run ?? "", /\b(echo|printf)\b[^\n]*(SECRET|TOKEN|PASSWORD)/i);
        }
        const secretsUsed = [...read(".github/workflows/ci-cd.yml").matchAll(/secrets\.([A-Z_]+)/g)].map((m) => m[1]);
        assert.deepEqual([...new Set(secretsUsed)], ["GITHUB_TOKEN"]);
    });

    it("caches npm dependencies in every job that installs them", () => {
        const setupNode = allSteps.filter((s) => s.uses?.startsWith("actions/setup-node@"));
        assert.ok(setupNode.length >= 5);
        for (const step of setupNode) assert.deepEqual(step.with, { "node-version": "${{ env.NODE_VERSION }}", cache: "npm" });
    });

    it("builds every application service's production image, tagged with the commit the deploy jobs pass as imageTag", () => {
        const build = jobs["build-images"];
        assert.deepEqual(build.strategy?.matrix.service, [...applicationServices]);
        const [push] = stepUsing(build, "docker/build-push-action");
        assert.equal(push.with?.target, "production");
        // Each image's user is its service's own uid, as the stacks run it.
        assert.deepEqual(
            build.strategy?.matrix.include,
            applicationServices.map((service) => ({ service, uid: serviceDefinitions[service].uid })),
        );
        assert.equal(push.with?.["build-args"], `${UID_BUILD_ARG}=\${{ matrix.uid }}`);
        assert.equal(push.with?.tags, "${{ env.IMAGE_REGISTRY }}/${{ matrix.service }}:${{ github.sha }}");
        assert.match(push.with?.["cache-from"] ?? "", /^type=gha/);
        const imageRegistry = readProjectFile(projectDir).config?.imageRegistry as { default: string };
        assert.equal(workflow.env.IMAGE_REGISTRY, imageRegistry.default);
    });

    it("runs the integration tests on Debian 12 with the programs .ci/run installs (the one list: tools/provision.sh), under the coverage gate", () => {
        const job = jobs["integration-tests"];
        assert.equal(job.container, "node:20-bookworm");
        const runs = job.steps.map((s) => s.run);
        assert.ok(runs.includes("bash tools/provision.sh"), "integration-tests provisions with tools/provision.sh");
        assert.ok(runs.indexOf("bash tools/provision.sh") < runs.indexOf("npm run coverage"));
        assert.ok(!runs.some((run) => run?.includes("apt-get")), "no second list of packages in the workflow");
        assert.match(read(".ci/run"), /^bash tools\/provision\.sh$/m);
    });

    it("keeps every test that starts a real server (PostgreSQL, nginx, Redis, promtool, busybox) out of unit-tests", () => {
        const run = jobs["unit-tests"].steps.find((s) => s.run?.startsWith("npm run test:unit"))?.run ?? "";
        const ignored = [...run.matchAll(/--ignore '([^']+)\/\*\*'/g)].map((m) => m[1]);
        // What starts the suite's real programs: a binary found on the machine, or a PostgreSQL cluster.
        const startsServer = (file: string) => /\brequiredBinary\(|\bclass LocalPostgres\b|\bbusyboxPath\b/.test(read(file));
        const integration = projectFiles("tests").filter((f) => f.endsWith(".test.ts") && [...localModules(f)].some(startsServer));
        assert.ok(integration.length >= 5, "the real-server suites are found");
        for (const file of integration)
            assert.ok(
                ignored.some((dir) => file.startsWith(`${dir}/`)),
                `${file} starts a real server but runs in unit-tests`,
            );
        for (const dir of ignored)
            assert.ok(
                integration.some((f) => f.startsWith(`${dir}/`)),
                `${dir} holds no real-server test; unit-tests need not skip it`,
            );
    });

    it("smoke-tests /healthz of the deployed URL after deploying, and again after a rollback", () => {
        const smoke = jobs["e2e-tests"].steps.find((s) => s.run?.startsWith("npm run smoke-test"));
        assert.equal(smoke?.env?.DEPLOYED_URL, "${{ needs.deploy-staging.outputs.url || needs.deploy-production.outputs.url }}");
        assert.match(smoke?.run ?? "", /--url "\$DEPLOYED_URL" --attempts 10 --interval-seconds 6$/);
        for (const job of ["rollback-staging", "rollback-production"]) {
            assert.ok(jobs[job].steps.some((s) => s.run?.startsWith("npm run smoke-test")));
            assert.equal(jobs[job].steps[0].with?.ref, `\${{ needs.${job.replace("rollback", "deploy")}.outputs.last-good-sha }}`);
        }
        const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
        assert.match(scripts["smoke-test"], /^node --require \S+ tools\/smoke-test\.ts$/);
    });
});
