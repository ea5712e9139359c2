// The Pulumi Deployments settings program (deployments/) under mocks: what it asks Pulumi Cloud to
// configure for staging and prod, and how it refuses bad config.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, PROJECT } from "../../config";
import { PACK_NAME } from "../../policies/rules";
import { recordProgram, type Plan, type PlanResource } from "../../lib/plan-engine";
import { readStackConfig } from "../../lib/stack-config";
import { DEPLOY_BUDGET_MINUTES, DRIFT_SCHEDULES, deployPaths, repositoryRoot, reviewTemplate, sessionDuration } from "../../deployments/settings";
import { parse } from "yaml";
import { ofType } from "../helpers/plan";
import { localModules, projectFiles } from "./modules";

const deploymentsDir = path.join(repositoryRoot, "deployments");
const STAGING_ROLE = "arn:aws:iam::111111111111:role/osint-platform-pulumi-deployments";
const PROD_ROLE = "arn:aws:iam::222222222222:role/osint-platform-pulumi-deployments";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const program = require("../../deployments/index.ts") as () => Promise<unknown>;

function settingsConfig(overrides: Record<string, string> = {}) {
    const shipped = readStackConfig(deploymentsDir, "settings");
    const config = {
        ...shipped.config,
        "osint-platform-deployments:stagingRoleArn": STAGING_ROLE,
        "osint-platform-deployments:prodRoleArn": PROD_ROLE,
        ...overrides,
    };
    return { project: shipped.project, config, secretKeys: shipped.secretKeys };
}

function record(overrides: Record<string, string> = {}, run: () => unknown = program): Promise<Plan> {
    const { project, config, secretKeys } = settingsConfig(overrides);
    return recordProgram(project, "settings", config, secretKeys, run);
}

const readJson = (...parts: string[]) => JSON.parse(fs.readFileSync(path.join(repositoryRoot, ...parts), "utf8"));

function globRegExp(glob: string): RegExp {
    const body = glob
        .split("**")
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
        .join(".*");
    return new RegExp(`^${body}$`);
}

describe("Pulumi Deployments settings (deployments/)", () => {
    let plan: Plan;
    before(async () => {
        plan = await record();
    });
    const settingsOf = (stack: string): PlanResource => {
        const found = ofType(plan, "pulumiservice:index:DeploymentSettings").filter((r) => r.inputs.stack === stack);
        assert.equal(found.length, 1, `one DeploymentSettings for ${stack}`);
        return found[0];
    };

    it("configures exactly the staging and prod stacks and the review-stack template of project osint-platform in the configured organization", () => {
        const settings = ofType(plan, "pulumiservice:index:DeploymentSettings");
        assert.deepEqual(settings.map((r) => [r.inputs.organization, r.inputs.project, r.inputs.stack]).sort(), [
            ["osint-platform", PROJECT, "pr"],
            ["osint-platform", PROJECT, "prod"],
            ["osint-platform", PROJECT, "staging"],
        ]);
    });

    it("deploys staging from develop and prod from main and previews pull requests; push deploys stay with the pipeline by default", () => {
        for (const [stack, branch] of [
            ["staging", "refs/heads/develop"],
            ["prod", "refs/heads/main"],
        ]) {
            const { inputs } = settingsOf(stack);
            assert.deepEqual(inputs.sourceContext, { git: { branch } });
            assert.deepEqual(inputs.vcs, {
                provider: "github",
                repository: "osint-platform/osint-platform-infra",
                deployCommits: false,
                previewPullRequests: true,
                pullRequestTemplate: false,
                paths: deployPaths(stack),
            });
        }
    });

    it("deploys every push to both stacks' branches when deployOnPush is on", async () => {
        const pushing = await record({ "osint-platform-deployments:deployOnPush": "true" });
        const deployCommits = ofType(pushing, "pulumiservice:index:DeploymentSettings").map((r) => [
            r.inputs.stack,
            (r.inputs.vcs as { deployCommits: boolean }).deployCommits,
        ]);
        assert.deepEqual(deployCommits, [
            ["staging", true],
            ["prod", true],
            [reviewTemplate.stack, false],
        ]);
    });

    it("installs with `npm ci` before the operation (instead of the default install) and caches dependencies", () => {
        for (const stack of ["staging", "prod"]) {
            const { inputs } = settingsOf(stack);
            const context = inputs.operationContext as { preRunCommands: string[]; options: Record<string, unknown> };
            assert.deepEqual(context.preRunCommands, ["npm ci"]);
            assert.deepEqual(context.options, { skipInstallDependencies: true });
            assert.deepEqual(inputs.cacheOptions, { enable: true });
        }
    });

    it("reaches AWS by OIDC with each stack's own role, one-hour sessions, no stored keys", () => {
        for (const [stack, role] of [
            ["staging", STAGING_ROLE],
            ["prod", PROD_ROLE],
        ]) {
            const context = settingsOf(stack).inputs.operationContext as { oidc: unknown; environmentVariables?: unknown };
            assert.deepEqual(context.oidc, { aws: { roleARN: role, sessionName: `pulumi-deployments-${stack}`, duration: "4h0m0s" } });
            assert.equal(context.environmentVariables, undefined, "no AWS keys in the deployment's environment");
        }
    });

    it("filters pushes to the files that change the stack: each path matches a file, and covers every module index.ts loads", () => {
        const files = projectFiles();
        for (const stack of ["staging", "prod"]) {
            const patterns = deployPaths(stack).map(globRegExp);
            deployPaths(stack).forEach((glob, i) =>
                assert.ok(
                    files.some((f) => patterns[i].test(f)),
                    `path filter ${glob} matches no file`,
                ),
            );
            for (const module of localModules("index.ts")) {
                assert.ok(
                    patterns.some((p) => p.test(module)),
                    `${module} is loaded by the program but a change to it would not deploy ${stack}`,
                );
            }
            assert.ok(
                !patterns.some((p) => p.test(`Pulumi.${stack === "prod" ? "staging" : "prod"}.yaml`)),
                "the other stack's config does not deploy this one",
            );
            assert.ok(!patterns.some((p) => p.test("README.md") || p.test("tests/config.test.ts")), "docs and tests do not deploy");
        }
    });

    it("publishes the policy pack from policies/ under its own name and version, and enforces it per stack with that stack's config", () => {
        const [pack] = ofType(plan, "pulumiservice:index:PolicyPack");
        const policiesPackage = readJson("policies", "package.json");
        assert.equal(pack.inputs.name, PACK_NAME);
        assert.equal(pack.inputs.versionTag, policiesPackage.version);
        assert.equal(pack.inputs.sourcePath, path.join(repositoryRoot, "policies"));
        assert.ok(fs.existsSync(path.join(pack.inputs.sourcePath as string, "PulumiPolicy.yaml")));

        const groups = ofType(plan, "pulumiservice:index:PolicyGroup");
        assert.equal(groups.length, 2);
        for (const stack of ["staging", "prod"]) {
            const group = groups.find((g) => g.inputs.name === `${PROJECT}-${stack}`);
            assert.ok(group, `a policy group for ${stack}`);
            assert.equal(group.inputs.mode, "preventative");
            assert.equal(group.inputs.entityType, "stacks");
            assert.deepEqual(group.inputs.stacks, [{ name: stack, routingProject: PROJECT }]);
            assert.deepEqual(group.inputs.policyPacks, [
                { name: PACK_NAME, versionTag: policiesPackage.version, config: readJson("policies", "config", `${stack}.json`) },
            ]);
        }
        assert.equal(plan.outputs.policyPack, `${PACK_NAME}@${policiesPackage.version}`);
    });

    it("checks staging and prod for drift daily, never remediating prod; staging remediates only when Deployments owns its updates", async () => {
        const schedules = (p: Plan) =>
            ofType(p, "pulumiservice:index:DriftSchedule").map((r) => [
                r.inputs.organization,
                r.inputs.project,
                r.inputs.stack,
                r.inputs.scheduleCron,
                r.inputs.autoRemediate,
            ]);
        const daily = /^(\d|[1-5]\d) (\d|1\d|2[0-3]) \* \* \*$/;
        for (const cron of Object.values(DRIFT_SCHEDULES)) assert.match(cron, daily, `${cron} runs once a day`);
        assert.deepEqual(schedules(plan), [
            ["osint-platform", PROJECT, "staging", DRIFT_SCHEDULES.staging, false],
            ["osint-platform", PROJECT, "prod", DRIFT_SCHEDULES.prod, false],
        ]);
        const pushing = await record({ "osint-platform-deployments:deployOnPush": "true" });
        assert.deepEqual(
            schedules(pushing).map(([, , stack, , remediate]) => [stack, remediate]),
            [
                ["staging", true],
                ["prod", false],
            ],
        );
        // A schedule runs through its stack's deployment settings (OIDC role): it waits for them.
        for (const drift of ofType(plan, "pulumiservice:index:DriftSchedule")) {
            assert.deepEqual(drift.options.dependsOn, [settingsOf(drift.inputs.stack as string).urn]);
        }
    });

    it("makes the pr stack the review-stack template of pull requests to main: staging-shaped, in the staging account by OIDC, never deployed itself", () => {
        const template = settingsOf(reviewTemplate.stack);
        const workflow = parse(fs.readFileSync(path.join(repositoryRoot, ".github", "workflows", "ci-cd.yml"), "utf8"));
        assert.deepEqual(workflow.on.pull_request.branches, [reviewTemplate.branch], "the branch pull requests target");
        assert.deepEqual(template.inputs.sourceContext, { git: { branch: `refs/heads/${reviewTemplate.branch}` } });
        assert.deepEqual(template.inputs.vcs, {
            provider: "github",
            repository: "osint-platform/osint-platform-infra",
            deployCommits: false,
            previewPullRequests: false,
            pullRequestTemplate: true,
            paths: deployPaths(reviewTemplate.stack),
        });
        const context = template.inputs.operationContext as { oidc: unknown; environmentVariables?: unknown; preRunCommands: string[] };
        assert.deepEqual(context.oidc, {
            aws: { roleARN: STAGING_ROLE, sessionName: "pulumi-deployments-review", duration: sessionDuration(DEPLOY_BUDGET_MINUTES) },
        });
        assert.equal(context.environmentVariables, undefined);
        assert.deepEqual(context.preRunCommands, ["npm ci"]);
        const templates = ofType(plan, "pulumiservice:index:DeploymentSettings").filter(
            (r) => (r.inputs.vcs as { pullRequestTemplate?: boolean }).pullRequestTemplate,
        );
        assert.deepEqual(
            templates.map((r) => r.inputs.stack),
            [reviewTemplate.stack],
            "only the template makes review stacks",
        );

        // Staging's shape: the same keys and sizes, its own domain and address space.
        const own = ["osint-platform:domainName", "osint-platform:vpcCidr", "osint-platform:reviewStackTtlHours"];
        const staging = readStackConfig(repositoryRoot, "staging").config;
        const review = readStackConfig(repositoryRoot, reviewTemplate.stack).config;
        const without = (config: Record<string, string>) => Object.fromEntries(Object.entries(config).filter(([k]) => !own.includes(k)));
        assert.deepEqual(without(review), without(staging));
        for (const key of own) assert.notEqual(review[key], staging[key], `${key} differs from staging's`);
    });

    it("schedules no stack's destroy itself: each review stack schedules its own (components/review)", () => {
        assert.deepEqual(ofType(plan, "pulumiservice:index:TtlSchedule"), []);
        assert.ok(Number(readStackConfig(repositoryRoot, reviewTemplate.stack).config["osint-platform:reviewStackTtlHours"]) > 0);
    });

    it("refuses a malformed or missing role ARN or repository with the stack, key, expectation and value; nothing is registered", async () => {
        const cases: Array<[Record<string, string>, RegExp]> = [
            [
                { "osint-platform-deployments:prodRoleArn": "arn:aws:iam::2222:role/x" },
                /stack settings: config key osint-platform-deployments:prodRoleArn: expected an IAM role ARN .* found "arn:aws:iam::2222:role\/x"/,
            ],
            [
                { "osint-platform-deployments:repository": "osint-platform-infra" },
                /config key osint-platform-deployments:repository: expected a GitHub repository as owner\/name/,
            ],
            [{ "osint-platform-deployments:deployOnPush": "yes" }, /config key osint-platform-deployments:deployOnPush: expected true or false, found "yes"/],
        ];
        for (const [overrides, message] of cases) {
            let error: unknown;
            const failed = await record(overrides, async () => {
                try {
                    await program();
                } catch (err) {
                    error = err;
                }
            });
            assert.ok(error instanceof ConfigError);
            assert.match(error.message, message);
            assert.deepEqual(
                failed.resources.map((r) => r.type),
                ["pulumi:pulumi:Stack"],
            );
        }
        const { project, config, secretKeys } = settingsConfig();
        const { "osint-platform-deployments:stagingRoleArn": _missing, ...withoutStagingRole } = config;
        await assert.rejects(
            recordProgram(project, "settings", withoutStagingRole, secretKeys, program),
            /config key osint-platform-deployments:stagingRoleArn: expected an IAM role ARN .* found nothing/,
        );
    });
});
