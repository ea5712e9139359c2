// Pulumi Deployments for the osint-platform stacks: each deploys from its branch (on push when
// deployOnPush is on), previews pull requests, installs with `npm ci`, reaches AWS by OIDC, runs
// under the CrossGuard pack (published from policies/, enforced per stack with policies/config/<stack>.json)
// and is checked for drift daily. Pull requests to main get review stacks from the `pr` template.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { ConfigError, PROJECT } from "../config";

export const repositoryRoot = path.resolve(__dirname, "..");
const policiesDir = path.join(repositoryRoot, "policies");

/**
 * How long one `pulumi up` of staging or prod may take, first prod `up` included (docs/aws-stacks.md
 * lists its critical path: RDS Multi-AZ creation, the pre-migration snapshot, the migration's bound,
 * the services' steady state and blue/green bake). The CI deploy jobs' timeout, the AWS role session
 * of CI (configure-aws-credentials) and of Deployments (OIDC) are this long, so no credential expires
 * while a long migration runs; the deploy roles' MaxSessionDuration must allow it.
 */
export const DEPLOY_BUDGET_MINUTES = 240;

/** Go-style duration, as Deployments' OIDC settings take it: 240 → "4h0m0s". */
export function sessionDuration(minutes: number): string {
    return `${Math.floor(minutes / 60)}h${minutes % 60}m0s`;
}

/** The stacks Deployments drives, the branch each deploys from, and the config key of its AWS role. */
export const deployedStacks = [
    { stack: "staging", branch: "develop", roleKey: "stagingRoleArn" },
    { stack: "prod", branch: "main", roleKey: "prodRoleArn" },
] as const;

export type RoleKey = (typeof deployedStacks)[number]["roleKey"];

/** Daily drift detection (UTC), staggered so staging's report comes first. */
export const DRIFT_SCHEDULES: Readonly<Record<(typeof deployedStacks)[number]["stack"], string>> = { staging: "0 5 * * *", prod: "30 5 * * *" };

/**
 * The review-stack template: Deployments creates a stack from it (with Pulumi.pr.yaml's staging-shaped
 * config) for each pull request to its branch and destroys it when the pull request is merged or
 * closed; review stacks live in the staging account.
 */
export const reviewTemplate = { stack: "pr", branch: "main", roleKey: "stagingRoleArn" } as const;

export interface SettingsConfig {
    readonly organization: string;
    readonly repository: string;
    readonly deployOnPush: boolean;
    readonly roles: Readonly<Record<RoleKey, string>>;
}

/**
 * Files whose change alters what `pulumi up --stack <stack>` does: the program, its lockfile, the pack, the stack's config,
 * the library it reads (lib/: "did you mean", the secret placeholder) and the TypeScript require hook of Pulumi.yaml's nodeargs.
 */
export function deployPaths(stack: string): string[] {
    return [
        "index.ts",
        "config.ts",
        "components/**",
        "database/**",
        "policies/**",
        "tools/register.js",
        "lib/**",
        "package.json",
        "package-lock.json",
        "Pulumi.yaml",
        `Pulumi.${stack}.yaml`,
    ];
}

const checks = {
    organization: { expected: "a Pulumi organization name (letters, digits, - and _)", pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/ },
    repository: { expected: "a GitHub repository as owner/name", pattern: /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/ },
    boolean: { expected: "true or false", pattern: /^(true|false)$/ },
    role: { expected: "an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)", pattern: /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/ },
};

/** Reads and checks this program's config; a bad value throws ConfigError before anything is registered. */
export function readSettingsConfig(config = new pulumi.Config(), stack = pulumi.getStack()): SettingsConfig {
    const read = (key: string, check: { expected: string; pattern: RegExp }): string => {
        const value = config.get(key);
        if (value === undefined || !check.pattern.test(value)) {
            throw new ConfigError(stack, `${config.name}:${key}`, check.expected, value === undefined ? "nothing" : JSON.stringify(value));
        }
        return value;
    };
    return {
        organization: read("organization", checks.organization),
        repository: read("repository", checks.repository),
        deployOnPush: read("deployOnPush", checks.boolean) === "true",
        roles: { stagingRoleArn: read("stagingRoleArn", checks.role), prodRoleArn: read("prodRoleArn", checks.role) },
    };
}

function readJson(file: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** The operation context every deployment shares: `npm ci` instead of the default install, AWS by OIDC. */
function operationContext(role: string, stack: string) {
    return {
        // A lockfile-exact install replaces the default one, which would not use `npm ci`.
        preRunCommands: ["npm ci"],
        options: { skipInstallDependencies: true },
        oidc: { aws: { roleARN: role, sessionName: `pulumi-deployments-${stack}`, duration: sessionDuration(DEPLOY_BUDGET_MINUTES) } },
    };
}

/** A stack's Deployments settings: its branch, on GitHub pushes that touch its files, as `role` (session `session`). */
function stackSettings(
    config: SettingsConfig,
    stack: string,
    branch: string,
    role: string,
    session: string,
    triggers: { deployCommits: boolean; previewPullRequests: boolean; pullRequestTemplate?: boolean },
): service.DeploymentSettings {
    return new service.DeploymentSettings(`${stack}-deployments`, {
        organization: config.organization,
        project: PROJECT,
        stack,
        sourceContext: { git: { branch: `refs/heads/${branch}` } },
        vcs: { provider: "github", repository: config.repository, ...triggers, paths: deployPaths(stack) },
        operationContext: operationContext(role, session),
        cacheOptions: { enable: true },
    });
}

export function deploymentSettings(config: SettingsConfig) {
    const { name, version } = readJson(path.join(policiesDir, "package.json")) as { name: string; version: string };
    const pack = new service.PolicyPack("security-pack", { organization: config.organization, name, versionTag: version, sourcePath: policiesDir });

    const stacks = deployedStacks.map(({ stack, branch, roleKey }) => {
        const settings = stackSettings(config, stack, branch, config.roles[roleKey], stack, { deployCommits: config.deployOnPush, previewPullRequests: true });
        // Daily `pulumi refresh --preview-only` against the cloud, through the stack's own settings (OIDC role).
        // Prod never remediates: its drift is read and decided by a person. Staging remediates only
        // when Deployments owns its updates (deployOnPush): otherwise a remediating `up` would roll
        // staging back to the stack file's imageTag instead of the pipeline's commit images.
        const drift = new service.DriftSchedule(
            `${stack}-drift`,
            {
                organization: config.organization,
                project: PROJECT,
                stack,
                scheduleCron: DRIFT_SCHEDULES[stack],
                autoRemediate: stack === "prod" ? false : config.deployOnPush,
            },
            { dependsOn: [settings] },
        );
        // Preventative: a mandatory violation stops the update, with the stack's own thresholds.
        const policies = new service.PolicyGroup(`${stack}-policies`, {
            organizationName: config.organization,
            name: `${PROJECT}-${stack}`,
            entityType: "stacks",
            mode: "preventative",
            stacks: [{ name: stack, routingProject: PROJECT }],
            policyPacks: [{ name: pack.name, versionTag: pack.versionTag, config: readJson(path.join(policiesDir, "config", `${stack}.json`)) }],
        });
        return { stack, branch, settings: settings.id, policyGroup: policies.name, driftSchedule: drift.scheduleId };
    });

    // The template never deploys itself: it only shapes the stack of each pull request to main.
    const review = stackSettings(config, reviewTemplate.stack, reviewTemplate.branch, config.roles[reviewTemplate.roleKey], "review", {
        deployCommits: false,
        previewPullRequests: false,
        pullRequestTemplate: true,
    });
    // Deployments destroys a review stack when its pull request closes; one still open destroys itself
    // after its time to live (Pulumi.pr.yaml's reviewStackTtlHours, components/review).
    return {
        policyPack: pulumi.interpolate`${pack.name}@${pack.versionTag}`,
        stacks,
        reviewTemplate: review.id,
    };
}
