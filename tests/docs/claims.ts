// Every count, size, price, timing and coverage figure the README and docs/ state, each with the one
// source it must equal (runbook flags, ports and AWS limits are out of scope). Timings come from what
// the benchmark stored (`npm run -s benchmark -- --record`, docs/measured/benchmark.json) and from
// the suite's recorded runs (docs/measured/suite.json), with their dates, core counts and ranges.
// tests/docs/claims.test.ts fails when a page and its source disagree, naming both values, and, on
// the pages of fullyClaimedPages, when a number stands in the text with neither a claim nor a reason
// in outOfScope.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { rules } from "../../policies/rules";
import { STACKS } from "../../lib/stacks";
import { planResources } from "../../policies/input/read";
import type { Plan } from "../../lib/plan-engine";
import { DEV_STACK_RUNS, DEV_STACK_TARGET_SECONDS, devStackBlock, devStackSummary } from "../../tools/benchmark-dev-stack";
import {
    benchmarkBlock,
    benchmarkSummary,
    MEMORY_TARGET,
    MEMORY_TARGET_FROM_BYTES,
    REACHABILITY_ADDED_SECONDS,
    readDevStackSessions,
    readSessions,
    RECORD_FILE,
    SCALE,
    SCALE_TARGET,
    spec as benchmarkSpec,
    syntheticExport,
    TARGET_RATIO,
} from "../../tools/benchmark";
import { inWords, thousands, verdictWord } from "../../lib/words";
import { USAGE } from "../../tools/cost/estimate";
import { PRICES } from "../../tools/cost/prices";
import { projectDir, stackPlan } from "../helpers/plan";
import { type ProjectConfigDeclaration, readProjectFile, readStackConfig } from "../../lib/stack-config";
import { DEPLOY_BUDGET_MINUTES, DRIFT_SCHEDULES, sessionDuration } from "../../deployments/settings";
import { AWS_NAME_LIMITS, NAME_HASH_LENGTH } from "../../components/aws/names";
import { MAX_VALUE_LENGTH } from "../../tools/diff/compare";
import { REGISTRY_CREDENTIALS_WAIT_MINUTES } from "../../components/cluster/index";
import { CACHED_IMAGES_KEPT, IMAGE_CACHE_WAIT_MINUTES } from "../../components/cluster/image-mirror";
import { ONE_OFF_TASK_TIMEOUT_MINUTES, POLL_SECONDS, PRE_MIGRATION_SNAPSHOTS_KEPT, SNAPSHOT_WAIT_MINUTES } from "../../components/aws/migration";
import { FINAL_SNAPSHOT_ID_BYTES, SECRET_RECOVERY_WINDOW_DAYS } from "../../components/aws/platform";
import {
    BLUE_GREEN_BAKE_MINUTES,
    CPU_TARGET_PERCENT,
    REQUESTS_PER_TARGET,
    RESOURCE_ALARM_PERCENT,
    TASK_COUNT_ALARM_PERIOD_SECONDS,
    TASK_COUNT_ALARM_PERIODS,
} from "../../components/service/aws";
import { ERROR_RATE_ALARM_PERCENT } from "../../components/proxy/aws";
import {
    CONNECTIONS_ALARM_FRACTION,
    ENGINE_VERSION,
    ENHANCED_MONITORING_SECONDS,
    FORCE_SSL,
    FREE_STORAGE_ALARM_FRACTION,
    STORAGE_AUTOSCALING_FACTOR,
} from "../../components/database/aws";
import { thirdPartyImages } from "../../components/shared/images";
import { HEALTHCHECK_TIMING, LOG_ROTATION, PROCESS_LIMIT, SECRET_FILE_MODE } from "../../components/docker/container";
import { CERTIFICATE_VALIDITY_HOURS } from "../../components/proxy/docker";
import { DATABASE_START_SECONDS, MIGRATION_STEPS } from "../../components/database/migration-job";
import {
    applicationServices,
    BACKUP_METRICS_PORT,
    DATABASE_PORT,
    GRAFANA_PORT,
    HTTP_PORT,
    HTTPS_PORT,
    healthcheckCommand,
    platformServices,
    POSTGRES_EXPORTER_PORT,
    PROMETHEUS_PORT,
    REDIS_EXPORTER_PORT,
    REDIS_PORT,
    serviceDefinitions,
    serviceUser,
} from "../../components/service/catalog";
import { accessModel, roles as loginRoles } from "../../components/database/roles";
import { BACKUP_EXIT, RETRY_SECONDS } from "../../components/backups/backup-script";
import { AUTH_FAILURES_PER_5M, ERROR_RATIO, RESPONSE_TIME_P95_SECONDS } from "../../components/monitoring/alerts";
import { OBJECTIVES } from "../../lib/recovery-objectives";
import { LAST_LOG_LINES } from "../../lab/apply/apply";
import { DEPLOYMENT_VERSIONS, MAX_URN_LENGTH } from "../../policies/input/read";
import { MAX_DEPTH } from "../../lib/property-values";
import { MAX_RESULTS, SECURITY_SEVERITY } from "../../policies/report/sarif";
import { STACK_NAME } from "../../policies/settings/config-file";
import { DEFAULT_HORIZON_DAYS } from "../../policies/waivers/index";
import { AWS_EPHEMERAL, LINUX_EPHEMERAL } from "../../lib/reachability/model";
import { TS_HOOK } from "../helpers/hook";

export interface Claim {
    readonly page: string;
    /**
     * Where the page states it, over the page's text with every run of white space made one space:
     * each capture group is one stated figure.
     */
    readonly pattern: RegExp;
    /** What each group must say, from the source. */
    readonly value: () => Promise<readonly string[]>;
    /** The one source of the figures. */
    readonly source: string;
}

const readText = (file: string) => fs.readFileSync(path.join(projectDir, file), "utf8");
const stackConfig = (stack: string) => readStackConfig(projectDir, stack).config;
/** A `uid:gid` image user's uid. */
const uidOf = (user: string) => user.split(":")[0];
/** "10m" (Docker's log options) → "10 MB". */
const megabytes = (size: string) => `${/^(\d+)m$/.exec(size)![1]} MB`;
/** "30s" (Docker's health check options) → "30". */
const secondsOf = (duration: string) => /^(\d+)s$/.exec(duration)![1];
/** The mode of a directory an image creates, as the docs write it: 1777. */
const octal = (mode: number) => mode.toString(8);
const postgresDirectory = (dir: string) => (thirdPartyImages.postgres.directories as Record<string, { mode: number }>)[dir].mode;
/** The stand-in images' base images, from their Dockerfiles' FROM lines. */
const baseImages = () =>
    ["python-service", "frontend"].flatMap((image) => [...readText(`images/${image}/Dockerfile`).matchAll(/^FROM (\S+:\S+)/gm)].map((m) => m[1]));
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const readJson = <T>(file: string) => JSON.parse(readText(file)) as T;
const coverage = () => readJson<{ lines: number; branches: number }>(".c8rc.json");
/** The pulumi-docker release the program builds on, as package.json pins it: "5.2". */
const pulumiDockerMinor = () =>
    readJson<{ dependencies: Record<string, string> }>("package.json").dependencies["@pulumi/docker"].replace(/^(\d+\.\d+)\..*/, "$1");

/** A package's major version, as package.json pins it. */
const majorOf = (name: string) => /^(\d+)\./.exec(readJson<{ dependencies: Record<string, string> }>("package.json").dependencies[name])![1];
/** The PostgreSQL major tools/provision.sh installs for the tests (and CI's integration job). */
const provisionedPostgres = () => /missing\+=\(postgresql-(\d+) /.exec(readText("tools/provision.sh"))![1];
/** The Node.js major of the integration-tests job's container. */
const ciNode = () => /container: node:(\d+)-bookworm/.exec(readText(".github/workflows/ci-cd.yml"))![1];
/**
 * A numeric constant of a module read from its text, where importing the module would make this test
 * one that starts servers (tools/dr-drill.ts imports the local PostgreSQL cluster's module, and
 * tests/pipeline/workflow.test.ts keeps such tests out of the unit-tests job).
 */
const constantIn = (file: string, name: string) => {
    const found = new RegExp(`^export const ${name} = ([\\d_]+);`, "m").exec(readText(file));
    if (!found) throw new Error(`${file} declares no numeric ${name}`);
    return Number(found[1].replace(/_/g, ""));
};
const healthInterval = () => secondsOf(HEALTHCHECK_TIMING.interval);
/** The tag a third-party image reference pins: `postgres:15-alpine` → `15-alpine`. */
const imageTag = (image: keyof typeof thirdPartyImages) => thirdPartyImages[image].reference.split(":")[1];

// The security review's samples are what the check prints today for the fixture export, run once per
// format; the text sample ends with the exit status (`$ echo $?`), so the output is kept with it.
const FIXTURE_EXPORT = "tests/fixtures/pulumi/stack-export.json";
const checkRuns = new Map<string, string>();
function checkFixture(format: string): string {
    if (!checkRuns.has(format)) {
        const run = spawnSync(process.execPath, ["--require", TS_HOOK, "tools/check.ts", "--input", FIXTURE_EXPORT, "--format", format], {
            cwd: projectDir,
            encoding: "utf8",
        });
        if (run.status !== 1) throw new Error(`check --format ${format} of ${FIXTURE_EXPORT} exited ${run.status}: ${run.stderr}`);
        checkRuns.set(format, `${run.stdout}$ echo $?\n${run.status}\n`);
    }
    return checkRuns.get(format)!;
}
/** The figures `pattern` captures in the check's own output: a sample on a page must be what the tool prints. */
const sampleOf = (format: string, pattern: RegExp) => async () => {
    const found = new RegExp(pattern.source).exec(checkFixture(format).replace(/\s+/g, " "));
    if (!found) throw new Error(`the check's ${format} output of ${FIXTURE_EXPORT} has no ${pattern}`);
    return found.slice(1);
};
/** The CIDR block of a subnet the prod plan declares. */
const prodSubnet = async (name: string) => {
    const subnet = (await planOf("prod")).resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && r.name === name);
    if (!subnet) throw new Error(`the prod plan has no subnet ${name}`);
    return String(subnet.inputs.cidrBlock);
};

// The plans are computed once, for every claim that reads them.
const plans = new Map<string, Promise<Plan>>();
const planOf = (stack: string) => plans.get(stack) ?? plans.set(stack, stackPlan(stack)).get(stack)!;

/** One timed run of the README's test command from a fresh clone (docs/measured/suite.json). */
interface SuiteRun {
    readonly date: string;
    readonly commit: string;
    readonly command: string;
    /** quiet: nothing else running; busy: other jobs beside it; one-core: `taskset -c 0` shared with a busy loop. */
    readonly setting: "quiet" | "busy" | "one-core";
    /** warm: the lab's cache held the Debian packages and images; cold: it started empty; none: the e2e excluded. */
    readonly labCache: "warm" | "cold" | "none";
    readonly cores: number;
    readonly seconds: number;
    /** The coverage run's share of lines, in percent. */
    readonly linesCovered: number;
}
interface SuiteRecord {
    /** Who measured, how: the runs' provenance. */
    readonly source: string;
    readonly runs: readonly SuiteRun[];
}

/** "3 min 22 s". */
export const minutes = (seconds: number) => `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

/** "6 min 1 s to 6 min 40 s", or one time alone. */
const minutesRange = (runs: readonly SuiteRun[]) => {
    const seconds = runs.map((r) => r.seconds);
    const [low, high] = [Math.min(...seconds), Math.max(...seconds)];
    return low === high ? minutes(low) : `${minutes(low)} to ${minutes(high)}`;
};

/** Issue 20: `npm test` from a fresh clone, provisioning and the Docker e2e included, within 9 minutes. */
const FRESH_CLONE_TARGET_SECONDS = 9 * 60;

/** The README's sentences on the suite's time and its coverage under load, from the recorded runs. */
export function suiteSummary(record: SuiteRecord, targetSeconds: number): string {
    const of = (setting: SuiteRun["setting"], labCache?: SuiteRun["labCache"]) =>
        record.runs.filter((r) => r.setting === setting && (labCache === undefined || r.labCache === labCache));
    const [warm, cold, busy, oneCore] = [of("quiet", "warm"), of("quiet", "cold"), of("busy"), of("one-core")];
    const fresh = [...warm, ...cold];
    const met = verdictWord(fresh.length > 0 && fresh.every((r) => r.seconds <= targetSeconds));
    // Coverage under load is compared with quiet runs of the same commits: other commits cover other code.
    const quietCoverage = [
        ...new Set(
            of("quiet")
                .filter((r) => oneCore.some((o) => o.commit === r.commit))
                .map((r) => r.linesCovered.toFixed(2)),
        ),
    ].join(" and ");
    const dates = [...new Set(record.runs.map((r) => r.date))].join(", ");
    const cores = [...new Set(record.runs.map((r) => r.cores))].join(" or ");
    return (
        `From a fresh clone, provisioning and the Docker e2e included, \`CI=true bash .ci/run\` took ${minutesRange(warm)} on a quiet machine ` +
        `with the lab cache warm and ${minutesRange(cold)} with it cold (the base's Debian packages downloaded and every lab image built; ` +
        `target ${targetSeconds / 60} min: ${met}), and ${minutesRange(busy)} with other jobs beside it (${cores} cores, ${dates}). ` +
        `Confined to one core shared with a busy loop (\`taskset -c 0\`), \`npm ci && npm test\` passed in ${minutesRange(oneCore)} ` +
        `with ${oneCore.map((r) => r.linesCovered.toFixed(2)).join(" and ")} % of lines covered, against ${quietCoverage || "no"} % for quiet runs of the same commit.`
    );
}

const suite = () => readJson<SuiteRecord>("docs/measured/suite.json");

/** The interface endpoints of a stack and what their hours cost a month. */
async function endpointHours(stack: string): Promise<{ count: number; zones: number; monthly: number }> {
    const endpoints = (await planOf(stack)).resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface");
    const zones = new Set(endpoints.map((e) => (e.inputs.subnetIds as unknown[]).length));
    if (zones.size !== 1) throw new Error(`${stack}'s interface endpoints span different zone counts: ${[...zones].join(", ")}`);
    const [zoneCount] = zones;
    return {
        count: endpoints.length,
        zones: zoneCount,
        monthly: endpoints.length * zoneCount * PRICES.regions["us-east-1"].interfaceEndpointHour * USAGE.hoursPerMonth,
    };
}

const enforcementLevels = ["mandatory", "advisory", "disabled"] as const;
type PolicyConfig = Record<string, string | { enforcementLevel?: string; minimumDays?: number; waivers?: { resource: string; expires: string }[] }>;

/** The security review's table of each stack's enforcement as shipped, from policies/config/<stack>.json. */
export function enforcementTable(): string {
    const rows = STACKS.filter((stack) => fs.existsSync(path.join(projectDir, "policies", "config", `${stack}.json`))).map((stack) => {
        const config = readJson<PolicyConfig>(`policies/config/${stack}.json`);
        const levelOf = (entry: PolicyConfig[string]) => (typeof entry === "string" ? entry : entry.enforcementLevel);
        const all = (config.all as string | undefined) ?? "mandatory";
        const exceptions = enforcementLevels
            .filter((level) => level !== all)
            .flatMap((level) => {
                const named = Object.keys(config).filter((name) => name !== "all" && levelOf(config[name]) === level);
                return named.length ? [`${named.map((n) => `\`${n}\``).join(", ")} ${level}`] : [];
            });
        const waivers = Object.entries(config).flatMap(([name, entry]) =>
            typeof entry === "object" ? (entry.waivers ?? []).map((w) => `\`${name}\` on \`${w.resource}\` (until ${w.expires})`) : [],
        );
        const minimum = (name: string) => {
            const entry = config[name];
            return typeof entry === "object" && entry.minimumDays !== undefined ? String(entry.minimumDays) : "the rule's default";
        };
        return `| ${stack} | all ${all}${exceptions.length ? `; ${exceptions.join("; ")}` : ""} | ${waivers.length ? `${waivers.length}: ${waivers.join("; ")}` : "none"} | ${minimum("backup-retention")} | ${minimum("log-retention")} |`;
    });
    return ["| stack | levels | waivers | backup-retention `minimumDays` | log-retention `minimumDays` |", "| --- | --- | --- | --- | --- |", ...rows].join(
        "\n",
    );
}

/** When the waiver of `rule` on `resource` expires: the same day in staging and prod, or an error. */
function waiverExpiry(rule: string, resource: string): string {
    const expiries = ["staging", "prod"].map((stack) => {
        const entry = readJson<PolicyConfig>(`policies/config/${stack}.json`)[rule];
        const waiver = typeof entry === "object" ? entry.waivers?.find((w) => w.resource === resource) : undefined;
        if (!waiver) throw new Error(`policies/config/${stack}.json waives no ${rule} on ${resource}`);
        return waiver.expires;
    });
    if (new Set(expiries).size !== 1) throw new Error(`${rule} on ${resource}: the waivers expire on different days: ${expiries.join(", ")}`);
    return expiries[0];
}

export const claims: readonly Claim[] = [
    {
        page: "README.md",
        pattern: /as one Pulumi program in TypeScript, with (\w+) stacks:/,
        value: async () => [inWords(STACKS.length)],
        source: "lib/stacks.ts",
    },
    {
        page: "README.md",
        pattern: /runs the platform's (\w+) services \(([^)]*)\)/,
        value: async () => [inWords(platformServices.length), platformServices.map((s) => `\`${s}\``).join(", ")],
        source: "platformServices in components/service/catalog.ts",
    },
    {
        page: "README.md",
        pattern: /the application's (\w+) \(/,
        value: async () => [inWords(applicationServices.length)],
        source: "applicationServices in components/service/catalog.ts",
    },
    {
        page: "README.md",
        pattern: /the mocha suite under an (\d+) % coverage gate/,
        value: async () => [String(coverage().lines)],
        source: ".c8rc.json",
    },
    {
        page: "README.md",
        pattern: /(From a fresh clone, provisioning and the Docker e2e included, .*? % for quiet runs of the same commit\.)/,
        value: async () => [suiteSummary(suite(), FRESH_CLONE_TARGET_SECONDS)],
        source: "docs/measured/suite.json",
    },
    {
        page: "README.md",
        pattern: /a generated ([\d,]+)-resource `pulumi stack export`/,
        value: async () => [thousands(Number(benchmarkSpec.options.resources.default))],
        source: "tools/benchmark.ts (--resources default)",
    },
    {
        page: "README.md",
        pattern: /a prod plan and a ([\d,]+)-resource check timed/,
        value: async () => [thousands(Number(benchmarkSpec.options.resources.default))],
        source: "tools/benchmark.ts (--resources default)",
    },
    {
        page: "README.md",
        pattern: /the check's growth to ([\d,]+) and its memory/,
        value: async () => [thousands(Number(benchmarkSpec.options.resources.default) * SCALE)],
        source: "tools/benchmark.ts (--resources default, SCALE)",
    },
    {
        page: "README.md",
        pattern: new RegExp(`${escaped(benchmarkBlock.begin)} (.*?) ${escaped(benchmarkBlock.end)}`),
        value: async () => [benchmarkSummary(readSessions())],
        source: RECORD_FILE,
    },
    {
        page: "README.md",
        pattern: new RegExp(`${escaped(devStackBlock.begin)} (.*?) ${escaped(devStackBlock.end)}`),
        value: async () => [devStackSummary(readDevStackSessions())],
        source: `${RECORD_FILE} (devStack)`,
    },
    {
        page: "README.md",
        pattern: /the check's is reading (\d+) MB of JSON/,
        value: async () => {
            const plan = await planOf("prod");
            const exported = syntheticExport(plan, await planResources(plan), Number(benchmarkSpec.options.resources.default));
            return [String(Math.round(JSON.stringify(exported).length / 1e6))];
        },
        source: "tools/benchmark.ts (the generated export, as written)",
    },
    {
        page: "README.md",
        pattern: /and the (\d+) rules\./,
        value: async () => [String(rules.length)],
        source: "policies/rules/index.ts",
    },
    {
        page: "docs/pipeline.md",
        pattern: /fails below (\d+)% of lines or (\d+)% of branches/,
        value: async () => [String(coverage().lines), String(coverage().branches)],
        source: ".c8rc.json",
    },
    {
        page: "docs/security-review.md",
        pattern: /\(Samples from the (\d+) rules of this writing;/,
        value: async () => [String(rules.length)],
        source: "policies/rules/index.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /<!-- enforcement:begin --> (.*?) <!-- enforcement:end -->/,
        value: async () => [enforcementTable()],
        source: "policies/config/<stack>.json",
    },
    {
        page: "docs/tools.md",
        pattern: /of `--resources` resources \(([\d,]+) by default/,
        value: async () => [thousands(Number(benchmarkSpec.options.resources.default))],
        source: "tools/benchmark.ts (--resources default)",
    },
    {
        page: "docs/tools.md",
        pattern: /prints the ratios against the ([\d.]+)× target/,
        value: async () => [String(TARGET_RATIO)],
        source: "TARGET_RATIO in tools/benchmark.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /a ratio above ([\d.]+)× its floor, an analysis adding more than ([\d.]+) s/,
        value: async () => [String(TARGET_RATIO), String(REACHABILITY_ADDED_SECONDS)],
        source: "TARGET_RATIO and REACHABILITY_ADDED_SECONDS in tools/benchmark.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /against its target \(warm (\d+) s, cold (\d+) s\)/,
        value: async () => [String(DEV_STACK_TARGET_SECONDS.warm), String(DEV_STACK_TARGET_SECONDS.cold)],
        source: "DEV_STACK_TARGET_SECONDS in tools/benchmark-dev-stack.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern: /Cost: one key per stack, about USD (\d+) a month/,
        value: async () => [String(PRICES.regions["us-east-1"].kmsKeyMonth)],
        source: "tools/cost/prices.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern:
            /about USD ([\d.]+) per AZ-hour in us-east-1\): (\w+) endpoints × (\d+) zones \(staging\) ≈ USD (\d+) a month, × (\d+) zones \(prod\) ≈ USD (\d+) a month/,
        value: async () => {
            const [staging, prod] = [await endpointHours("staging"), await endpointHours("prod")];
            if (staging.count !== prod.count)
                throw new Error(`staging has ${staging.count} interface endpoints, prod ${prod.count}: the page states one count`);
            return [
                String(PRICES.regions["us-east-1"].interfaceEndpointHour),
                inWords(staging.count),
                String(staging.zones),
                String(Math.round(staging.monthly)),
                String(prod.zones),
                String(Math.round(prod.monthly)),
            ];
        },
        source: "the staging and prod plans' interface endpoints × tools/cost/prices.ts × USAGE.hoursPerMonth",
    },
    {
        page: "docs/aws-security.md",
        pattern: /not charged NAT processing \(about USD ([\d.]+)\/GB\)/,
        value: async () => [String(PRICES.regions["us-east-1"].natGatewayGb)],
        source: "tools/cost/prices.ts",
    },
    {
        page: "docs/platform-team.md",
        pattern:
            /(\d+) hours a month; (\d+) GB a month through each NAT gateway; (\w+) load balancer capacity unit \(LCU\) on average; (\d+) million requests a month through WAF; ([\d,]+) API calls a month per secret; (\d+) GB of logs a month per log group, kept for its retention; (\d+) GB in each S3 bucket; (\d+)% of the database's storage changing per day .*?; (\d+) GB a month through each interface endpoint; (\d+) GB of images in an ECR pull-through cache/,
        value: async () => [
            String(USAGE.hoursPerMonth),
            String(USAGE.natGatewayGbPerMonth),
            inWords(USAGE.albAverageLcu),
            String(USAGE.wafMillionRequestsPerMonth),
            thousands(USAGE.secretApiCallsPerMonth),
            String(USAGE.logIngestionGbPerGroupMonth),
            String(USAGE.s3BucketGb),
            String(USAGE.dailyChangeFraction * 100),
            String(USAGE.interfaceEndpointGbPerMonth),
            String(USAGE.ecrCachedImagesGb),
        ],
        source: "USAGE in tools/cost/estimate.ts",
    },
    // docs/aws-stacks.md: the deploy's bounds and the alarms' thresholds, each a constant next to what it governs.
    {
        page: "docs/aws-stacks.md",
        pattern: /with a session of at least (\d+) hours \(`DEPLOY_BUDGET_MINUTES`/,
        value: async () => [String(DEPLOY_BUDGET_MINUTES / 60)],
        source: "DEPLOY_BUDGET_MINUTES in deployments/settings.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern:
            /`role-duration-seconds: (\d+)`\) and Pulumi Deployments OIDC \(`duration: (\w+)`\); the deploy roles' `MaxSessionDuration` must be at least (\d+) seconds/,
        value: async () => [String(DEPLOY_BUDGET_MINUTES * 60), sessionDuration(DEPLOY_BUDGET_MINUTES), String(DEPLOY_BUDGET_MINUTES * 60)],
        source: "DEPLOY_BUDGET_MINUTES in deployments/settings.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /then checks it every (\d+) s for up to (\d+) minutes \(`REGISTRY_CREDENTIALS_WAIT_MINUTES`/,
        value: async () => [String(POLL_SECONDS), String(REGISTRY_CREDENTIALS_WAIT_MINUTES)],
        source: "POLL_SECONDS in components/aws/migration.ts, REGISTRY_CREDENTIALS_WAIT_MINUTES in components/cluster/index.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /`aws ecr describe-images` every (\d+) s until ECR lists the tag, for up to (\d+) minutes, `IMAGE_CACHE_WAIT_MINUTES`/,
        value: async () => [String(POLL_SECONDS), String(IMAGE_CACHE_WAIT_MINUTES)],
        source: "POLL_SECONDS, IMAGE_CACHE_WAIT_MINUTES in components/cluster/image-mirror.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /The postgres client image runs as uid (\d+) with a read-only root; .*? `\/var\/lib\/postgresql\/data` \(postgres:postgres, (\d+)\)/,
        value: async () => [uidOf(thirdPartyImages.postgres.user), octal(postgresDirectory("/var/lib/postgresql/data"))],
        source: "thirdPartyImages.postgres in components/shared/images.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /\(the CLI waiter allows (\d+) minutes\), then every older pre-migration snapshot beyond the newest (\d+) is deleted/,
        value: async () => [String(SNAPSHOT_WAIT_MINUTES), String(PRE_MIGRATION_SNAPSHOTS_KEPT)],
        source: "SNAPSHOT_WAIT_MINUTES, PRE_MIGRATION_SNAPSHOTS_KEPT in components/aws/migration.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /the step polls it every (\d+) s for up to (\d+) minutes \(`ONE_OFF_TASK_TIMEOUT_MINUTES`\)/,
        value: async () => [String(POLL_SECONDS), String(ONE_OFF_TASK_TIMEOUT_MINUTES)],
        source: "POLL_SECONDS, ONE_OFF_TASK_TIMEOUT_MINUTES in components/aws/migration.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /`osint-platform-<stack>-final-<(\d+) hex digits>`/,
        value: async () => [String(FINAL_SNAPSHOT_ID_BYTES * 2)],
        source: "FINAL_SNAPSHOT_ID_BYTES in components/aws/platform.ts (two hex digits a byte)",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /`DEPLOY_BUDGET_MINUTES = (\d+)` is the one number/,
        value: async () => [String(DEPLOY_BUDGET_MINUTES)],
        source: "deployments/settings.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /the snapshot \((\d+)\), the migration's bound \((\d+)\), the services' steady state with the (\d+)-minute blue\/green bake/,
        value: async () => [String(SNAPSHOT_WAIT_MINUTES), String(ONE_OFF_TASK_TIMEOUT_MINUTES), String(BLUE_GREEN_BAKE_MINUTES)],
        source: "components/aws/migration.ts, BLUE_GREEN_BAKE_MINUTES in components/service/aws.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /5xx rate above (\d+) % and unhealthy targets/,
        value: async () => [String(ERROR_RATE_ALARM_PERCENT)],
        source: "ERROR_RATE_ALARM_PERCENT in components/proxy/aws.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /The backend scales on CPU \((\d+) %\) and on requests per target \((\d+)\)/,
        value: async () => [String(CPU_TARGET_PERCENT), String(REQUESTS_PER_TARGET)],
        source: "CPU_TARGET_PERCENT, REQUESTS_PER_TARGET in components/service/aws.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /per service: CPU and memory above (\d+) %, and \*\*fewer tasks running than desired\*\* for (\d+) minutes/,
        value: async () => [String(RESOURCE_ALARM_PERCENT), String((TASK_COUNT_ALARM_PERIODS * TASK_COUNT_ALARM_PERIOD_SECONDS) / 60)],
        source: "RESOURCE_ALARM_PERCENT, TASK_COUNT_ALARM_PERIOD(S|_SECONDS) in components/service/aws.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern:
            /connections above (\d+) % of `max_connections`, and free storage below (\d+) % of the \*\*autoscaling ceiling\*\* \((\w+) times `dbAllocatedStorageGb`\)/,
        value: async () => [String(CONNECTIONS_ALARM_FRACTION * 100), String(FREE_STORAGE_ALARM_FRACTION * 100), inWords(STORAGE_AUTOSCALING_FACTOR)],
        source: "components/database/aws.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /\(`SECRET_RECOVERY_WINDOW_DAYS`, `components\/aws\/platform.ts`\): (\d+) days in staging \(AWS's shortest\), (\d+) in prod/,
        value: async () => [String(SECRET_RECOVERY_WINDOW_DAYS.staging), String(SECRET_RECOVERY_WINDOW_DAYS.production)],
        source: "SECRET_RECOVERY_WINDOW_DAYS in components/aws/platform.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern:
            /the GHCR wait \((\d+) min\), the poll interval \((\d+) s\), the one-off task bound \((\d+) min\), the pre-migration snapshots kept \((\d+)\), the deploy budget \((\d+) min\), the recovery windows \((\d+) \/ (\d+) days\)/,
        value: async () => [
            String(REGISTRY_CREDENTIALS_WAIT_MINUTES),
            String(POLL_SECONDS),
            String(ONE_OFF_TASK_TIMEOUT_MINUTES),
            String(PRE_MIGRATION_SNAPSHOTS_KEPT),
            String(DEPLOY_BUDGET_MINUTES),
            String(SECRET_RECOVERY_WINDOW_DAYS.staging),
            String(SECRET_RECOVERY_WINDOW_DAYS.production),
        ],
        source: "components/cluster/index.ts, components/aws/migration.ts, deployments/settings.ts, components/aws/platform.ts",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /the GHCR credentials \((\d+) minutes\)/,
        value: async () => [String(REGISTRY_CREDENTIALS_WAIT_MINUTES)],
        source: "REGISTRY_CREDENTIALS_WAIT_MINUTES in components/cluster/index.ts",
    },
    // docs/dev-stack.md: the services, the containers' hardening, the dev stack's ports and steps.
    {
        page: "docs/dev-stack.md",
        pattern: /`dev` runs the design's (\w+) services on one Docker engine/,
        value: async () => [inWords(platformServices.length)],
        source: "platformServices in components/service/catalog.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /rotated JSON logs \((\d+ MB) x (\d+)\), a process limit \(`nproc` (\d+) per uid/,
        value: async () => [megabytes(LOG_ROTATION["max-size"]), LOG_ROTATION["max-file"], String(PROCESS_LIMIT)],
        source: "LOG_ROTATION, PROCESS_LIMIT in components/docker/container.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /pulumi-docker (\d+\.\d+) has no `pids_limit`/,
        value: async () => [pulumiDockerMinor()],
        source: "@pulumi/docker in package.json",
    },
    {
        page: "docs/lab-images.md",
        pattern: /Upload owners come from pulumi-docker (\d+\.\d+)'s schema/,
        value: async () => [pulumiDockerMinor()],
        source: "@pulumi/docker in package.json",
    },
    {
        page: "docs/dev-stack.md",
        pattern:
            /postgres's home `\/var\/lib\/postgresql` \((\d+)\), the backup metric \(`backup_metrics`\) at its socket directory `\/var\/run\/postgresql` \((\d+)\)/,
        value: async () => [octal(postgresDirectory("/var/lib/postgresql")), octal(postgresDirectory("/var/run/postgresql"))],
        source: "thirdPartyImages.postgres.directories in components/shared/images.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /The daily `backups` container runs the postgres image as uid (\d+), not as postgres's (\d+) \(the database's\)/,
        value: async () => [uidOf(thirdPartyImages.postgres.backupUser), uidOf(thirdPartyImages.postgres.user)],
        source: "thirdPartyImages.postgres in components/shared/images.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /`docker run --rm --user (\d+:\d+) -v backup_metrics:\/m --entrypoint rm (\S+) -f \/m\/osint_backup.prom`/,
        value: async () => [thirdPartyImages.postgres.user, thirdPartyImages.postgres.reference],
        source: "thirdPartyImages.postgres in components/shared/images.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /Needs Docker, the Pulumi CLI and Node.js ([\d.]+) or later/,
        value: async () => [/^>=([\d.]+)/.exec(readJson<{ engines: { node: string } }>("package.json").engines.node)![1]],
        source: "engines.node in package.json",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /then runs the migration job's (\w+) steps in order/,
        value: async () => [inWords(MIGRATION_STEPS.length)],
        source: "MIGRATION_STEPS in components/database/migration-job.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /pulumi stack output url # https:\/\/localhost:(\d+) curl -k https:\/\/localhost:(\d+)\/healthz/,
        value: async () => [stackConfig("dev")["osint-platform:httpsPort"], stackConfig("dev")["osint-platform:httpsPort"]],
        source: "osint-platform:httpsPort in Pulumi.dev.yaml",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /\(`tls:SelfSignedCert`, (\w+) years?\)\. HTTP on (\d+) redirects to HTTPS on (\d+)\./,
        value: async () => [
            inWords(CERTIFICATE_VALIDITY_HOURS / (24 * 365)),
            stackConfig("dev")["osint-platform:httpPort"],
            stackConfig("dev")["osint-platform:httpsPort"],
        ],
        source: "CERTIFICATE_VALIDITY_HOURS in components/proxy/docker.ts, Pulumi.dev.yaml",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /The (\w+) migration steps carry a run label/,
        value: async () => [inWords(MIGRATION_STEPS.length)],
        source: "MIGRATION_STEPS in components/database/migration-job.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /a preview always lists the (\w+) steps as replaced/,
        value: async () => [inWords(MIGRATION_STEPS.length)],
        source: "MIGRATION_STEPS in components/database/migration-job.ts",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /`<buildContextRoot>\/<service>\/Dockerfile` \((\w+) builds;/,
        value: async () => [inWords(applicationServices.length)],
        source: "applicationServices in components/service/catalog.ts",
    },
    // docs/operations.md: the roles model, the backups, the drill's objectives.
    {
        page: "docs/operations.md",
        pattern: /recovery in under (\d+) minutes \(RTO\), at most (\w+) hour of data lost \(RPO\)/,
        value: async () => [String(OBJECTIVES.rtoSeconds / 60), inWords(OBJECTIVES.rpoSeconds / 3600)],
        source: "OBJECTIVES in lib/recovery-objectives.ts",
    },
    {
        page: "docs/operations.md",
        pattern:
            /and (\w+) login roles with connection limits: `osint_migrator` \((\d+); owns the schema, runs migrations\), `osint_app` \((\d+); reads and writes, no DDL\), `osint_readonly` \((\d+); SELECT only\)/,
        value: async () => [
            inWords(loginRoles.length),
            String(accessModel.roles.osint_migrator.connectionLimit),
            String(accessModel.roles.osint_app.connectionLimit),
            String(accessModel.roles.osint_readonly.connectionLimit),
        ],
        source: "accessModel in components/database/roles.ts",
    },
    {
        page: "docs/operations.md",
        pattern: /runs the init scripts on a real PostgreSQL (\d+) as the entrypoint/,
        value: async () => [ENGINE_VERSION],
        source: "ENGINE_VERSION in components/database/aws.ts",
    },
    {
        page: "docs/operations.md",
        pattern: /image's `\/var\/lib\/postgresql`, which its uid (\d+) owns with mode (\d+); the container runs as uid (\d+), a uid of its own/,
        value: async () => [
            uidOf(thirdPartyImages.postgres.user),
            octal(postgresDirectory("/var/lib/postgresql")),
            uidOf(thirdPartyImages.postgres.backupUser),
        ],
        source: "thirdPartyImages.postgres in components/shared/images.ts",
    },
    {
        page: "docs/operations.md",
        pattern: /`backupRetentionDays` \((\d+)\) are pruned/,
        value: async () => [stackConfig("dev")["osint-platform:backupRetentionDays"]],
        source: "osint-platform:backupRetentionDays in Pulumi.dev.yaml",
    },
    {
        page: "docs/operations.md",
        pattern:
            /the next try comes (\d+) minutes later\. `osint-backup once` exits (\d+) \(good dump\), (\d+) \(`pg_dump` failed\), (\d+) \(did not verify\), (\d+) \(bad configuration\)/,
        value: async () => [
            String(RETRY_SECONDS / 60),
            String(BACKUP_EXIT.ok),
            String(BACKUP_EXIT.dumpFailed),
            String(BACKUP_EXIT.verifyFailed),
            String(BACKUP_EXIT.badConfiguration),
        ],
        source: "RETRY_SECONDS, BACKUP_EXIT in components/backups/backup-script.ts",
    },
    {
        page: "docs/operations.md",
        pattern: /AWS Backup's daily snapshot \((\d+) days in prod\)/,
        value: async () => [stackConfig("prod")["osint-platform:backupRetentionDays"]],
        source: "osint-platform:backupRetentionDays in Pulumi.prod.yaml (the backup plan's deleteAfter)",
    },
    {
        page: "docs/operations.md",
        pattern: /Starts PostgreSQL (\d+) on loopback/,
        value: async () => [ENGINE_VERSION],
        source: "ENGINE_VERSION in components/database/aws.ts",
    },
    {
        page: "docs/operations.md",
        pattern: /\(database RTO < (\d+) min, RPO < (\d+) h\)/,
        value: async () => [String(OBJECTIVES.rtoSeconds / 60), String(OBJECTIVES.rpoSeconds / 3600)],
        source: "OBJECTIVES in lib/recovery-objectives.ts",
    },
    // docs/image-contract.md: the catalog's ports, uids and probes; the health check's timing; the alerts.
    {
        page: "docs/image-contract.md",
        pattern: /\| port \(`PORT`\) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| \| uid \(`APP_UID`\) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|/,
        value: async () => {
            const columns = (["backend", "ai-processor", "playwright", "frontend"] as const).map((s) => serviceDefinitions[s]);
            return [...columns.map((d) => String(d.port)), ...columns.map((d) => String(d.uid))];
        },
        source: "serviceDefinitions in components/service/catalog.ts",
    },
    {
        page: "docs/image-contract.md",
        pattern: /\| health check \| `python -c '([^']*)'` \| the same on `([^`]*)` \| the same on `([^`]*)` \| `([^`]*)` \|/,
        value: async () => {
            const [backend, aiProcessor, playwright, frontend] = (["backend", "ai-processor", "playwright", "frontend"] as const).map((s) =>
                healthcheckCommand(serviceDefinitions[s]),
            );
            const url = (command: string[]) => /"([^"]+)"/.exec(command[3])![1];
            return [backend[3], url(aiProcessor), url(playwright), frontend.slice(1).join(" ")];
        },
        source: "healthcheckCommand in components/service/catalog.ts (components/shared/probes.ts)",
    },
    {
        page: "docs/image-contract.md",
        pattern: /the health check runs every (\d+) s, (\d+) s timeout, (\d+) retries, (\d+) s start period/,
        value: async () => [
            secondsOf(HEALTHCHECK_TIMING.interval),
            secondsOf(HEALTHCHECK_TIMING.timeout),
            String(HEALTHCHECK_TIMING.retries),
            secondsOf(HEALTHCHECK_TIMING.startPeriod),
        ],
        source: "HEALTHCHECK_TIMING in components/docker/container.ts",
    },
    {
        page: "docs/image-contract.md",
        pattern: /p95 above (\d+) s, more than (\d+)% 5xx, more than (\d+) 401s in 5 minutes/,
        value: async () => [String(RESPONSE_TIME_P95_SECONDS), String(ERROR_RATIO * 100), String(AUTH_FAILURES_PER_5M)],
        source: "components/monitoring/alerts.ts",
    },
    {
        page: "docs/image-contract.md",
        pattern: /Docker rotates them \((\d+ MB) x (\d+)\)/,
        value: async () => [megabytes(LOG_ROTATION["max-size"]), LOG_ROTATION["max-file"]],
        source: "LOG_ROTATION in components/docker/container.ts",
    },
    {
        page: "docs/image-contract.md",
        pattern: /\*\*Processes\*\*: at most (\d+) for the service's uid/,
        value: async () => [String(PROCESS_LIMIT)],
        source: "PROCESS_LIMIT in components/docker/container.ts",
    },
    {
        page: "docs/image-contract.md",
        pattern: /The stand-ins pin `([^`]+)`, `([^`]+)` and `([^`]+)` by exact patch tag/,
        value: async () => baseImages(),
        source: "the FROM lines of images/python-service/Dockerfile and images/frontend/Dockerfile",
    },
    {
        page: "docs/dev-stack.md",
        pattern:
            /Grafana at https:\/\/localhost:(\d+)\/grafana\/ .*?openssl s_client -connect localhost:(\d+) .*?--url https:\/\/localhost:(\d+) --ca-file dev.crt NODE_EXTRA_CA_CERTS=dev.crt npm run -s smoke-test -- --url https:\/\/localhost:(\d+)/,
        value: async () => Array(4).fill(stackConfig("dev")["osint-platform:httpsPort"]),
        source: "osint-platform:httpsPort in Pulumi.dev.yaml",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /Both listen on (\S+) only, so a laptop does not serve its network/,
        value: async () => [String((readProjectFile(projectDir).config?.publishAddress as ProjectConfigDeclaration).default)],
        source: "publishAddress's default in Pulumi.yaml",
    },
    {
        page: "docs/dev-stack.md",
        pattern: /Secret files \(`\/run\/secrets`, mode (\d+), owned by the container's user\)/,
        value: async () => [SECRET_FILE_MODE],
        source: "SECRET_FILE_MODE in components/docker/container.ts",
    },
    {
        page: "docs/operations.md",
        pattern: /CI runs a (\d+)-row drill/,
        value: async () => [/runDrill\((\d+),/.exec(readText("tests/database/dr-drill.test.ts"))![1]],
        source: "the drill tests/database/dr-drill.test.ts runs",
    },
    {
        page: "docs/image-contract.md",
        pattern: /\| bases \| `python:([\d.]+)-slim` \(backend, playwright, ai-processor\) and `node:(\d+)-alpine`/,
        value: async () => {
            const [python, node] = baseImages();
            return [/^python:(\d+\.\d+)\./.exec(python)![1], /^node:(\d+)\./.exec(node)![1]];
        },
        source: "the FROM lines of images/python-service/Dockerfile and images/frontend/Dockerfile",
    },
    {
        page: "docs/image-contract.md",
        pattern: /`http_request_duration_seconds\{handler, method\}` \(buckets ([\d.]+), ([\d.]+), ([\d.]+)\)/,
        value: async () =>
            /^DURATION_BUCKETS = \(([^)]*)\)/m
                .exec(readText("images/python-service/service.py"))![1]
                .split(",")
                .map((b) => String(Number(b))),
        source: "DURATION_BUCKETS in images/python-service/service.py",
    },
    {
        page: "docs/image-contract.md",
        pattern: /\(`\/run\/secrets\/db_password`, (\d+), owned by the service's uid\)/,
        value: async () => [SECRET_FILE_MODE],
        source: "SECRET_FILE_MODE in components/docker/container.ts",
    },
    {
        page: "docs/image-contract.md",
        pattern: /\(`rds\.force_ssl=(\d+)`\)/,
        value: async () => [FORCE_SSL.value],
        source: "FORCE_SSL in components/database/aws.ts",
    },
    // docs/migrations.md: the migration job's bounds, image and user, and the backup step's exit codes.
    {
        page: "docs/migrations.md",
        pattern: /after waiting up to (\d+) s for a database that is still starting/,
        value: async () => [String(DATABASE_START_SECONDS)],
        source: "DATABASE_START_SECONDS in components/database/migration-job.ts",
    },
    {
        page: "docs/migrations.md",
        pattern: /psql from the postgres (\d+) client image/,
        value: async () => [/^postgres:(\d+)/.exec(thirdPartyImages.postgres.reference)![1]],
        source: "thirdPartyImages.postgres in components/shared/images.ts",
    },
    {
        page: "docs/migrations.md",
        pattern: /\(its uid in `components\/service\/catalog.ts`, `(\d+):(\d+)`\)/,
        value: async () => serviceUser("backend").split(":"),
        source: "serviceDefinitions.backend.uid in components/service/catalog.ts",
    },
    {
        page: "docs/migrations.md",
        pattern: /osint-backup.sh`\): (\d+) `pg_dump` failed, (\d+) the dump did not verify with `pg_restore --list`, (\d+) bad configuration/,
        value: async () => [String(BACKUP_EXIT.dumpFailed), String(BACKUP_EXIT.verifyFailed), String(BACKUP_EXIT.badConfiguration)],
        source: "BACKUP_EXIT in components/backups/backup-script.ts",
    },
    // docs/pipeline.md: the formatter's settings, the CI image and packages, the deployed smoke test.
    {
        page: "docs/pipeline.md",
        pattern:
            /Prettier \(`\.prettierrc`: (\d+)-space indent, double quotes, semicolons, trailing commas, (\d+) columns; YAML and `package\.json` at (\d+)\)/,
        value: async () => {
            const rc = readJson<{ tabWidth: number; printWidth: number; overrides: { options: { tabWidth: number } }[] }>(".prettierrc");
            return [String(rc.tabWidth), String(rc.printWidth), String(rc.overrides[0].options.tabWidth)];
        },
        source: ".prettierrc",
    },
    {
        page: "docs/pipeline.md",
        pattern: /in `node:(\d+)-bookworm` as root: installs PostgreSQL (\d+),/,
        value: async () => [ciNode(), provisionedPostgres()],
        source: "the integration-tests job's container in .github/workflows/ci-cd.yml, the packages tools/provision.sh installs",
    },
    {
        page: "docs/pipeline.md",
        pattern: /GET `\/healthz` up to (\d+) times, (\d+) s apart/,
        value: async () => {
            const runs = [...readText(".github/workflows/ci-cd.yml").matchAll(/smoke-test -- .*--attempts (\d+) --interval-seconds (\d+)/g)].map(
                (m) => `${m[1]} ${m[2]}`,
            );
            if (runs.length === 0 || new Set(runs).size !== 1) throw new Error(`the workflow's smoke tests differ: ${runs.join("; ")}`);
            return runs[0].split(" ");
        },
        source: "the smoke-test steps of .github/workflows/ci-cd.yml",
    },
    // docs/platform-team.md: the drift schedules, the review stacks' lifetime, the name limits the model enforces.
    {
        page: "docs/platform-team.md",
        pattern: /Values longer than (\d+) characters are elided/,
        value: async () => [String(MAX_VALUE_LENGTH)],
        source: "MAX_VALUE_LENGTH in tools/diff/compare.ts",
    },
    {
        page: "docs/platform-team.md",
        pattern: /`@pulumi\/pulumiservice` ([\d.]+), which has everything used here/,
        value: async () => [readJson<{ dependencies: Record<string, string> }>("package.json").dependencies["@pulumi/pulumiservice"]],
        source: "@pulumi/pulumiservice in package.json",
    },
    {
        page: "docs/platform-team.md",
        pattern: /staging daily at (\d\d:\d\d) UTC, prod at (\d\d:\d\d) UTC \(`DRIFT_SCHEDULES`\)/,
        value: async () =>
            [DRIFT_SCHEDULES.staging, DRIFT_SCHEDULES.prod].map((cron) => {
                const [minute, hour] = cron.split(" ").map(Number);
                return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
            }),
        source: "DRIFT_SCHEDULES in deployments/settings.ts",
    },
    {
        page: "docs/platform-team.md",
        pattern: /`reviewStackTtlHours` \((\d+) in `Pulumi\.pr\.yaml`\)/,
        value: async () => [stackConfig("pr")["osint-platform:reviewStackTtlHours"]],
        source: "osint-platform:reviewStackTtlHours in Pulumi.pr.yaml",
    },
    {
        page: "docs/platform-team.md",
        pattern:
            /the load balancer's (\d+) characters, the Redis replication group's (\d+), the ECR cache prefix's (\d+), the backup vault's (\d+), the RDS identifier's (\d+)\./,
        value: async () =>
            [
                AWS_NAME_LIMITS["aws:lb/loadBalancer:LoadBalancer"].name,
                AWS_NAME_LIMITS["aws:elasticache/replicationGroup:ReplicationGroup"].replicationGroupId,
                AWS_NAME_LIMITS["aws:ecr/pullThroughCacheRule:PullThroughCacheRule"].ecrRepositoryPrefix,
                AWS_NAME_LIMITS["aws:backup/vault:Vault"].name,
                AWS_NAME_LIMITS["aws:rds/instance:Instance"].identifier,
            ].map((limit) => String(limit.max)),
        source: "AWS_NAME_LIMITS in components/aws/names.ts",
    },
    {
        page: "docs/platform-team.md",
        pattern: /its readable beginning plus `-` and the first (\d+) hex digits of the full name's SHA-256/,
        value: async () => [String(NAME_HASH_LENGTH)],
        source: "NAME_HASH_LENGTH in components/aws/names.ts",
    },
    // docs/aws-security.md: the ports the catalog gives the rules, the monitoring interval, the cache's lifecycle, the waiver.
    {
        page: "docs/aws-security.md",
        pattern: /accepts traffic from anywhere, on (\d+) \(redirect\) and (\d+);.*?0\.0\.0\.0\/0 on (\d+)\/(\d+) \|/,
        value: async () => [HTTP_PORT, HTTPS_PORT, HTTP_PORT, HTTPS_PORT].map(String),
        source: "HTTP_PORT, HTTPS_PORT in components/service/catalog.ts",
    },
    ...[
        /may reach on (\d+) only the endpoints' security group/,
        /The endpoints' group admits (\d+) from every task group/,
        /so their security groups allow (\d+) to any address/,
        /tasks other than playwright may send (\d+) only to the endpoints/,
        /Why not the other way, (\d+) to the internet through NAT/,
        /nothing but the endpoints and S3 on (\d+)\)/,
    ].map((pattern): Claim => ({
        page: "docs/aws-security.md",
        pattern,
        value: async () => [String(HTTPS_PORT)],
        source: "HTTPS_PORT in components/service/catalog.ts",
    })),
    {
        page: "docs/aws-security.md",
        pattern: /PostgreSQL's default port (\d+) \|.*?every client and runbook assumes (\d+) \|/,
        value: async () => [String(DATABASE_PORT), String(DATABASE_PORT)],
        source: "DATABASE_PORT in components/service/catalog.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern: /the database's group admitting (\d+) from 0\.0\.0\.0\/0/,
        value: async () => [String(DATABASE_PORT)],
        source: "DATABASE_PORT in components/service/catalog.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern: /enhanced monitoring every (\d+) s/,
        value: async () => [String(ENHANCED_MONITORING_SECONDS)],
        source: "ENHANCED_MONITORING_SECONDS in components/database/aws.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern: /a lifecycle policy \(the newest (\d+) images\)/,
        value: async () => [String(CACHED_IMAGES_KEPT)],
        source: "CACHED_IMAGES_KEPT in components/cluster/image-mirror.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern: /lifecycle policy keeps the newest (\d+) images per repository, so the running tag stays cached until (\w+)/,
        value: async () => [String(CACHED_IMAGES_KEPT), inWords(CACHED_IMAGES_KEPT)],
        source: "CACHED_IMAGES_KEPT in components/cluster/image-mirror.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern: /waived in `policies\/config\/staging.json` and `prod.json` until (\d{4}-\d\d-\d\d) \|.*?waived, with that reason, until (\d{4}-\d\d-\d\d)\./,
        value: async () => Array(2).fill(waiverExpiry("secrets-manager-kms", "network-cluster-ghcr-credentials")),
        source: "the secrets-manager-kms waivers in policies/config/staging.json and prod.json",
    },
    {
        page: "docs/aws-security.md",
        pattern: /\(`sns-delivery-status-logging` waived on `network-telemetry-alarms` until (\d{4}-\d\d-\d\d)\)/,
        value: async () => [waiverExpiry("sns-delivery-status-logging", "network-telemetry-alarms")],
        source: "the sns-delivery-status-logging waivers in policies/config/staging.json and prod.json",
    },
    {
        page: "docs/aws-security.md",
        pattern: /it rotates yearly, takes (\d+) days to delete/,
        value: async () => [/deletionWindowInDays: (\d+)/.exec(readText("components/secrets/index.ts"))![1]],
        source: "the secrets key's deletionWindowInDays in components/secrets/index.ts",
    },
    {
        page: "docs/aws-security.md",
        pattern: /for up to `IMAGE_CACHE_WAIT_MINUTES` \((\d+)\)/,
        value: async () => [String(IMAGE_CACHE_WAIT_MINUTES)],
        source: "IMAGE_CACHE_WAIT_MINUTES in components/cluster/image-mirror.ts",
    },
    // README.md: the programs the suite starts, the health checks' floor, the libraries named.
    {
        page: "README.md",
        pattern: /The suite starts real PostgreSQL (\d+), nginx/,
        value: async () => [provisionedPostgres()],
        source: "the packages tools/provision.sh installs",
    },
    {
        page: "README.md",
        pattern: /About (\d+) s of the time to all healthy is waiting for the first health probes \(the plan's (\d+) s interval is the floor\)/,
        value: async () => [healthInterval(), healthInterval()],
        source: "HEALTHCHECK_TIMING in components/docker/container.ts",
    },
    {
        page: "README.md",
        pattern: /zod (\d+)'s index \(`zod\/v3`\)/,
        value: async () => [majorOf("zod")],
        source: "zod in package.json",
    },
    // docs/tools.md: the tools' bounds and targets, each the constant the tool reads.
    {
        page: "docs/tools.md",
        pattern: /time growing faster than the input or memory above (\d+)× it, the e2e's median/,
        value: async () => [String(MEMORY_TARGET)],
        source: "MEMORY_TARGET in tools/benchmark.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /on a real PostgreSQL (\d+) on loopback and measures it against the design's RTO \((\d+) min\) and RPO \((\d+) h\)/,
        value: async () => [provisionedPostgres(), String(OBJECTIVES.rtoSeconds / 60), String(OBJECTIVES.rpoSeconds / 3600)],
        source: "the packages tools/provision.sh installs, OBJECTIVES in lib/recovery-objectives.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /Preload (\d+) rows per streamed write \(`--rows 2000` preloads ([\d,]+)\)/,
        value: async () => {
            const perWrite = constantIn("tools/dr-drill.ts", "PRELOAD_ROWS_PER_WRITE");
            return [String(perWrite), thousands(2000 * perWrite)];
        },
        source: "PRELOAD_ROWS_PER_WRITE in tools/dr-drill.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /`--rows` must be an integer of at least (\d+)\./,
        value: async () => [String(constantIn("tools/dr-drill.ts", "MIN_ROWS"))],
        source: "MIN_ROWS in tools/dr-drill.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /a stack export, deployment version (\d+) as `pulumi stack export` writes it/,
        value: async () => {
            const plan = await planOf("prod");
            return [String((syntheticExport(plan, await planResources(plan), 1) as { version: number }).version)];
        },
        source: "syntheticExport in tools/benchmark.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /against the prod plan \(the analysis may add at most ([\d.]+) s to it\).*?the analysis's added seconds against ([\d.]+) s\./,
        value: async () => [String(REACHABILITY_ADDED_SECONDS), String(REACHABILITY_ADDED_SECONDS)],
        source: "REACHABILITY_ADDED_SECONDS in tools/benchmark.ts",
    },
    {
        page: "docs/tools.md",
        pattern:
            /\(target: at most ([\d.]+)× the smaller one's time beyond the check's start-up, the check of a preview of the Stack and its providers alone, which no rule judges one by one\) and each check's peak memory against its input \(target: at most (\d+)× from (\d+) MiB of input\)/,
        value: async () => [String(SCALE_TARGET), String(MEMORY_TARGET), String(MEMORY_TARGET_FROM_BYTES / 1024 / 1024)],
        source: "SCALE_TARGET, MEMORY_TARGET, MEMORY_TARGET_FROM_BYTES in tools/benchmark.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /`--runs` \((\d+) by default\) cold runs/,
        value: async () => [String(DEV_STACK_RUNS)],
        source: "DEV_STACK_RUNS in tools/benchmark-dev-stack.ts",
    },
    {
        page: "docs/tools.md",
        pattern: /\| PostgreSQL (\d+) \(`\/usr\/lib\/postgresql\/(\d+)\/bin`, or `PG_BIN`\) \|/,
        value: async () => [provisionedPostgres(), /\$\{PG_BIN:-\/usr\/lib\/postgresql\/(\d+)\/bin\}/.exec(readText("tools/provision.sh"))![1]],
        source: "tools/provision.sh",
    },
    {
        page: "docs/tools.md",
        pattern: /the backup script is tested in the shell of `postgres:(\d+)-alpine`/,
        value: async () => [/^(\d+)-/.exec(imageTag("postgres"))![1]],
        source: "thirdPartyImages.postgres in components/shared/images.ts",
    },
    // docs/lab-images.md: the health budget's floor, what the lab images reproduce, from the images the stack pins.
    {
        page: "docs/lab-images.md",
        pattern: /its last (\d+) log lines/,
        value: async () => [String(LAST_LOG_LINES)],
        source: "LAST_LOG_LINES in lab/apply/apply.ts",
    },
    {
        page: "docs/lab-images.md",
        pattern: /reading its files \(a secret (\d+), owned by its uid\)/,
        value: async () => [SECRET_FILE_MODE],
        source: "SECRET_FILE_MODE in components/docker/container.ts",
    },
    {
        page: "docs/lab-images.md",
        pattern:
            /The plan's (\d+) s health-check interval is the floor: a container is first probed (\d+) s after it starts, so the stack is healthy at the earliest (\d+) s after/,
        value: async () => [healthInterval(), healthInterval(), healthInterval()],
        source: "HEALTHCHECK_TIMING in components/docker/container.ts",
    },
    {
        page: "docs/lab-images.md",
        pattern: /GitHub Actions `integration-tests` \(`container: node:(\d+)-bookworm`\)/,
        value: async () => [ciNode()],
        source: "the integration-tests job's container in .github/workflows/ci-cd.yml",
    },
    {
        page: "docs/lab-images.md",
        pattern:
            /\| `postgres:([^`]+)` \| `postgres\/` \| postgresql-(\d+) \(\d+\.x\) \| uid\/gid (\d+); `\/var\/lib\/postgresql` (\d+), `\/var\/run\/postgresql` (\d+), `\$PGDATA` (\d+);.*?port (\d+), `CMD postgres` \|/,
        value: async () => [
            imageTag("postgres"),
            provisionedPostgres(),
            uidOf(thirdPartyImages.postgres.user),
            ...["/var/lib/postgresql", "/var/run/postgresql", "/var/lib/postgresql/data"].map((dir) => octal(postgresDirectory(dir))),
            String(DATABASE_PORT),
        ],
        source: "thirdPartyImages.postgres in components/shared/images.ts, tools/provision.sh, DATABASE_PORT in components/service/catalog.ts",
    },
    {
        page: "docs/lab-images.md",
        pattern: /\| `redis:([^`]+)` \| `redis\/` \| redis-server \(\d+\.\d+\) \| uid (\d+) gid (\d+);.*?port (\d+) \|/,
        value: async () => [imageTag("redis"), ...thirdPartyImages.redis.user.split(":"), String(REDIS_PORT)],
        source: "thirdPartyImages.redis in components/shared/images.ts, REDIS_PORT in components/service/catalog.ts",
    },
    {
        page: "docs/lab-images.md",
        pattern:
            /\| `nginxinc\/nginx-unprivileged` \(([^,]+), and the frontend's production base\) \| `nginx-unprivileged\/` \| nginx-light \(\d+\.\d+\) \| uid\/gid (\d+);/,
        value: async () => [imageTag("nginx"), uidOf(thirdPartyImages.nginx.user)],
        source: "thirdPartyImages.nginx in components/shared/images.ts",
    },
    {
        page: "docs/lab-images.md",
        pattern: /`\/var\/cache\/nginx` and `\/etc\/nginx` (\d+):(\d+) g\+w; .*?; port (\d+), `STOPSIGNAL SIGQUIT`, `USER (\d+)` \|/,
        value: async () => {
            const recipe = readText("lab/images/nginx-unprivileged/Dockerfile");
            return [.../chown -R (\d+):(\d+) \/var\/cache\/nginx/.exec(recipe)!.slice(1), /^EXPOSE (\d+)/m.exec(recipe)![1], /^USER (\d+)/m.exec(recipe)![1]];
        },
        source: "the lab recipe lab/images/nginx-unprivileged/Dockerfile",
    },
    {
        page: "docs/lab-images.md",
        pattern:
            /\| `(prom\/prometheus:[^`]+)` \|.*?port (\d+) \| \| `(quay\.io\/prometheuscommunity\/postgres-exporter:[^`]+)` \|.*?port (\d+) \| \| `(oliver006\/redis_exporter:[^`]+)` \|.*?`USER (\d+):(\d+)`, port (\d+) \| \| `(prom\/node-exporter:[^`]+)` \|.*?port (\d+) \| \| `(grafana\/grafana:[^`]+)` \|.*?uid (\d+), gid (\d+) on the data directory, `GF_PATHS_\*` directories (\d+), port (\d+);/,
        value: async () => [
            thirdPartyImages.prometheus.reference,
            String(PROMETHEUS_PORT),
            thirdPartyImages.postgresExporter.reference,
            String(POSTGRES_EXPORTER_PORT),
            thirdPartyImages.redisExporter.reference,
            ...thirdPartyImages.redisExporter.user.split(":"),
            String(REDIS_EXPORTER_PORT),
            thirdPartyImages.nodeExporter.reference,
            String(BACKUP_METRICS_PORT),
            thirdPartyImages.grafana.reference,
            uidOf(thirdPartyImages.grafana.user),
            thirdPartyImages.grafana.directories["/var/lib/grafana"].owner.split(":")[1],
            octal(thirdPartyImages.grafana.directories["/var/lib/grafana"].mode),
            String(GRAFANA_PORT),
        ],
        source: "thirdPartyImages in components/shared/images.ts, the ports in components/service/catalog.ts",
    },
    {
        page: "docs/lab-images.md",
        pattern: /\| `(python:[^`]+)` \| `python\/` \| python3 \(\d+\.\d+\.\d+\), python3-venv \|.*?\| `(node:[^`]+)` \| `node\/` \|.*?uid\/gid (\d+) `node`/,
        value: async () => [...baseImages().slice(0, 2), /addgroup -g (\d+) node/.exec(readText("lab/images/node/Dockerfile"))![1]],
        source: "the FROM lines of images/python-service/Dockerfile and images/frontend/Dockerfile, lab/images/node/Dockerfile",
    },
    // docs/policies.md: the provider version whose aliases the rules read.
    {
        page: "docs/policies.md",
        pattern: /@pulumi\/aws (\d+) still ships older tokens/,
        value: async () => [majorOf("@pulumi/aws")],
        source: "@pulumi/aws in package.json",
    },
    // docs/security-review.md: the check's samples as it prints them today, its limits, the reachability model's ports.
    {
        page: "docs/security-review.md",
        pattern: /must be a name Pulumi accepts for a stack \(`([^`]+)`, else exit 2\)/,
        value: async () => [STACK_NAME.source.replace(/^\^|\$$/g, "")],
        source: "STACK_NAME in policies/settings/config-file.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /\| `pulumi stack export` \(deployment version (\d+) or (\d+)\) \|/,
        value: async () => DEPLOYMENT_VERSIONS.map(String),
        source: "DEPLOYMENT_VERSIONS in policies/input/read.ts",
    },
    ...[
        /rds-storage-encrypted \(mandatory\): (\d+) findings/,
        /stack prod \(export\): (\d+) policies over (\d+) resources, (\d+) findings: (\d+) mandatory, (\d+) advisory, (\d+) waived \$ echo \$\? (\d+)/,
    ].map((pattern): Claim => ({ page: "docs/security-review.md", pattern, value: sampleOf("text", pattern), source: `check --input ${FIXTURE_EXPORT}` })),
    ...[
        /"ruleId": "rds-storage-encrypted", "ruleIndex": (\d+),/,
        /"uri": "components\/database\/aws\.ts", "uriBaseId": "%SRCROOT%" \}, "region": \{ "startLine": (\d+) \}/,
    ].map((pattern): Claim => ({
        page: "docs/security-review.md",
        pattern,
        value: sampleOf("sarif", pattern),
        source: `check --input ${FIXTURE_EXPORT} --format sarif`,
    })),
    ...[
        /<testsuites name="prod: osint-platform security review" tests="(\d+)" failures="(\d+)" errors="(\d+)">/,
        /<testsuite name="container-non-root" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)">/,
        /<testsuite name="rds-storage-encrypted" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)">/,
        /registered at: components\/database\/aws\.ts:(\d+)<\/system-out>/,
        /<testsuite name="rds-force-ssl" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)">/,
    ].map((pattern): Claim => ({
        page: "docs/security-review.md",
        pattern,
        value: sampleOf("junit", pattern),
        source: `check --input ${FIXTURE_EXPORT} --format junit`,
    })),
    {
        page: "docs/security-review.md",
        pattern: /A run holds at most ([\d,]+) results \(GitHub's limit\)/,
        value: async () => [thousands(MAX_RESULTS)],
        source: "MAX_RESULTS in policies/report/sarif.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /\(critical ([\d.]+), high ([\d.]+), medium ([\d.]+), low ([\d.]+): GitHub's scale\)/,
        value: async () => [SECURITY_SEVERITY.critical, SECURITY_SEVERITY.high, SECURITY_SEVERITY.medium, SECURITY_SEVERITY.low],
        source: "SECURITY_SEVERITY in policies/report/sarif.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /\| a property nested deeper than (\d+) levels .*?\| a URN over ([\d,]+) characters \|/,
        value: async () => [String(MAX_DEPTH), thousands(MAX_URN_LENGTH)],
        source: "MAX_DEPTH in lib/property-values.ts, MAX_URN_LENGTH in policies/input/read.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /the config's `"waiver-horizon": \{"days": (\d+)\}` sets the horizon/,
        value: async () => [String(DEFAULT_HORIZON_DAYS)],
        source: "DEFAULT_HORIZON_DAYS in policies/waivers/index.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /"Ephemeral ports" \(Linux (\d+)-(\d+), NAT gateway and ELB (\d+)-(\d+)\).*?reply tcp\/(\d+)-(\d+) out .*?reply tcp\/(\d+)-(\d+) in/,
        value: async () => [LINUX_EPHEMERAL, AWS_EPHEMERAL, LINUX_EPHEMERAL, LINUX_EPHEMERAL].flatMap((r) => [String(r.lo), String(r.hi)]),
        source: "LINUX_EPHEMERAL, AWS_EPHEMERAL in lib/reachability/model.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /unreachable in (\d+) of (\d+) placements/,
        value: async () => {
            const zones = Number(stackConfig("prod")["osint-platform:availabilityZoneCount"]);
            return [String(zones * zones), String(zones * zones)];
        },
        source: "osint-platform:availabilityZoneCount in Pulumi.prod.yaml (a private subnet to an isolated one, per zone pair)",
    },
    {
        page: "docs/security-review.md",
        pattern: /\(blocked in all (\d+) placements,.*?admitted by its destination's security groups in (\d+) of (\d+) placements/,
        value: async () => Array(3).fill(stackConfig("prod")["osint-platform:availabilityZoneCount"]),
        source: "osint-platform:availabilityZoneCount in Pulumi.prod.yaml (one isolated subnet per zone)",
    },
    {
        page: "docs/security-review.md",
        pattern:
            /admits tcp\/5432 to database-postgres \(([\d.]+\/\d+)\) .*?network-private-0: ([\d.]+\/\d+) → local .*?request tcp\/5432 out to ([\d.]+\/\d+):.*?request tcp\/5432 in from ([\d.]+\/\d+):.*?from backend \(service backend\) \(([\d.]+\/\d+)\).*?reply tcp\/32768-60999 out to ([\d.]+\/\d+):.*?reply tcp\/32768-60999 in from ([\d.]+\/\d+):/,
        value: async () => {
            const [isolated, privateSubnet] = [await prodSubnet("network-isolated-0"), await prodSubnet("network-private-0")];
            return [isolated, stackConfig("prod")["osint-platform:vpcCidr"], isolated, privateSubnet, privateSubnet, privateSubnet, isolated];
        },
        source: "the prod plan's subnets, osint-platform:vpcCidr in Pulumi.prod.yaml",
    },
    {
        page: "docs/security-review.md",
        pattern: /Opening (\d+) to the world in the database's group alone/,
        value: async () => [String(DATABASE_PORT)],
        source: "DATABASE_PORT in components/service/catalog.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /The same holds for (\d+) on the cache's group/,
        value: async () => [String(REDIS_PORT)],
        source: "REDIS_PORT in components/service/catalog.ts",
    },
    {
        page: "docs/security-review.md",
        pattern: /the analysis may add at most ([\d.]+) s\./,
        value: async () => [String(REACHABILITY_ADDED_SECONDS)],
        source: "REACHABILITY_ADDED_SECONDS in tools/benchmark.ts",
    },
];

/** Pages where every number-looking token is a claim's figure or listed below as out of scope. */
export const fullyClaimedPages = [
    "docs/aws-stacks.md",
    "docs/dev-stack.md",
    "docs/operations.md",
    "docs/image-contract.md",
    "docs/migrations.md",
    "docs/pipeline.md",
    "docs/platform-team.md",
    "docs/aws-security.md",
    "README.md",
    "docs/tools.md",
    "docs/lab-images.md",
    "docs/policies.md",
    "docs/security-review.md",
    "docs/configuration.md",
] as const;

export interface OutOfScope {
    /** A page of fullyClaimedPages, or "*" for all of them. */
    readonly page: string;
    /** Over the page's prose as claims read it: the capture groups (or the whole match) are out of scope. */
    readonly pattern: RegExp;
    readonly reason: string;
}

export const outOfScope: readonly OutOfScope[] = [
    { page: "*", pattern: /(\d+)\. \*\*|(?:^|[.:)] )(\d+)\. (?=\[|[A-Z`])/, reason: "an ordered list's item number" },
    { page: "*", pattern: /\b(127\.0\.0\.1)\b/, reason: "the loopback address" },
    { page: "*", pattern: /\b[A-Z][A-Z0-9_]*=(\d+)\b/, reason: "an environment variable's value in a command (a switch, not a figure)" },
    { page: "*", pattern: /[\w\]]\[(\d+)\]/, reason: "an index in a property path or a query" },
    { page: "*", pattern: /\bSARIF (2\.1\.0)\b/, reason: "a standard's version" },
    { page: "*", pattern: /\bCIS Docker (\d+(?:\.\d+)?)\b|\bNIST (800)-(53)\b/, reason: "a standard's name or a control's id in it" },
    {
        page: "*",
        pattern: /\bexit(?:ed|s)? (\d+)(?! \()|exit (\d+) at head/,
        reason: "an exit code of the contract a program keeps (docs/tools.md, docs/migrations.md)",
    },
    {
        page: "*",
        pattern: /(?:root-owned|root:root|owned by root with mode) (0755)/,
        reason: "Docker's and Fargate's own mode for a mount they create (moby, ECS bind mounts)",
    },
    { page: "docs/aws-stacks.md", pattern: /over its mode (1777) `\/tmp`/, reason: "the base images' own /tmp mode" },
    { page: "docs/aws-stacks.md", pattern: /RDS Multi-AZ creation, (\d+)-(\d+) minutes/, reason: "AWS's timing" },
    {
        page: "*",
        pattern: /\((?:issue (\d+), )?items? (\d+)(?:–(\d+))?[,)]|\(issue (\d+)(?:, fix (\d+))?\)|\bissue (\d+)'s\b/,
        reason: "a reference to an issue and its items",
    },
    { page: "*", pattern: /(0\.0\.0\.0)\/(0)/, reason: "the CIDR of every address" },
    { page: "docs/aws-stacks.md", pattern: /wait for step (1)|\), step (3)\./, reason: "a reference to a numbered step" },
    { page: "docs/aws-stacks.md", pattern: /regional quota, (\d+) by default/, reason: "an AWS limit" },
    { page: "docs/aws-stacks.md", pattern: /it gives up after (\d+) minutes while the task keeps running/, reason: "the AWS CLI waiter's limit" },
    {
        page: "docs/aws-stacks.md",
        pattern: /RDS Multi-AZ creation \(allow (\d+)\),.*?bake \(allow (\d+)\)/,
        reason: "allowances for AWS's timing, which tests/aws/first-up.test.ts adds up against the budget",
    },
    {
        page: "docs/aws-stacks.md",
        pattern: /FILL\(…, (0)\)|FILL\(RunningTaskCount, (0)\)/,
        reason: "CloudWatch metric math: a missing datapoint counts as none",
    },
    { page: "docs/aws-stacks.md", pattern: /bodies above (8) KB|the first (8) KB of a body/, reason: "an AWS WAF limit" },
    { page: "docs/aws-stacks.md", pattern: /force-deletes \((0) days\)/, reason: "the AWS API's value for deleting without a recovery window" },
    { page: "docs/dev-stack.md", pattern: /publishAddress (0\.0\.0\.0)/, reason: "an example value of a config key" },
    {
        page: "docs/lab-images.md",
        pattern: /at the release pulumi-docker (5\.1) pins/,
        reason: "an earlier pulumi-docker release the cited provider source belongs to",
    },
    { page: "docs/operations.md", pattern: /--rows (\d+) --json/, reason: "a runbook flag's example value" },
    { page: "docs/operations.md", pattern: /`lost` \(must be (0)\)|it exits (1) when a row is lost/, reason: "the drill's verdict and exit code" },
    { page: "docs/image-contract.md", pattern: /`(200)` when every configured dependency is healthy and `(503)` otherwise/, reason: "HTTP status codes" },
    { page: "docs/image-contract.md", pattern: /"timestamp": "[^"]*"/, reason: "an example log timestamp" },
    { page: "docs/image-contract.md", pattern: /\(`SELECT (1)`\)/, reason: "an SQL literal" },
    { page: "docs/image-contract.md", pattern: /version=(0\.0\.4)/, reason: "Prometheus's text format version" },
    { page: "docs/image-contract.md", pattern: /401s in (5) minutes/, reason: "the alert's rate window, named by AUTH_FAILURES_PER_5M (claimed with it)" },
    { page: "docs/image-contract.md", pattern: /ISO (8601)/, reason: "a standard's number" },
    { page: "docs/image-contract.md", pattern: /holds about (\d+) `\.py` files/, reason: "a count of a third-party virtualenv's files" },
    { page: "docs/image-contract.md", pattern: /`ip-(10)-\.\.\.`/, reason: "Fargate's host names" },
    { page: "docs/migrations.md", pattern: /\| (\d+)\. (?:backup|migrate|seed) \|/, reason: "a step's position in the table" },
    {
        page: "docs/migrations.md",
        pattern: /\| (0) \| the database is at head|The seed step exits (3) \(psql/,
        reason: "an exit code of alembic's and psql's contract",
    },
    {
        page: "docs/platform-team.md",
        pattern: /<!-- cost-totals:begin.*?<!-- cost-totals:end -->/,
        reason: "generated by npm run cost -- --write-docs; tests/review/cost.test.ts compares it with a fresh estimate",
    },
    {
        page: "docs/platform-team.md",
        pattern: /Exit codes: (0) the diff was printed; (1) `--fail-on-destroy`.*?; (2) a usage or input error/,
        reason: "exit codes of the CLI contract",
    },
    { page: "docs/platform-team.md", pattern: /--budget (1500) # exit (1) above (1,500) a month/, reason: "a flag's example value" },
    { page: "docs/platform-team.md", pattern: /leave the key at (0) \(never\)/, reason: "the key's value for never" },
    { page: "docs/pipeline.md", pattern: /until it answers (200) with/, reason: "an HTTP status code" },
    { page: "docs/migrations.md", pattern: /`downgrade -(1)`/, reason: "an alembic argument" },
    { page: "docs/migrations.md", pattern: /`(\d+)-[a-z]+\.sql`/, reason: "a seed file's name (its number orders the files)" },
    {
        page: "README.md",
        pattern: /\| exit code \| meaning \| \| --- \| --- \| \| (0) \|.*?\| (1) \| the tool's verdict.*?\| (2) \| a usage.*?\| (3) \| an internal error/,
        reason: "the exit codes of the CLI contract",
    },
    {
        page: "docs/tools.md",
        pattern:
            /\| code \| meaning \| tools \| \| --- \| --- \| --- \| \| (0) \|.*?\| (1) \| the verdict.*?\| (2) \| usage.*?\| (3) \| internal.*?\| (130) \| interrupted.*?\| (143) \| terminated/,
        reason: "the exit codes of the CLI contract",
    },
    { page: "docs/tools.md", pattern: /exits 130 or (143) with one line/, reason: "an exit code of the CLI contract" },
    { page: "docs/tools.md", pattern: /Exit (0) clean or advisory\/waived only, (1) a mandatory finding/, reason: "the check's exit codes" },
    { page: "docs/tools.md", pattern: /\(`--rows (2000)` preloads/, reason: "a flag's example value" },
    { page: "docs/tools.md", pattern: /`HTTP (503): redis: down`/, reason: "an HTTP status code in an example" },
    {
        page: "docs/lab-images.md",
        pattern: /\(start period \+ interval × \(retries \+ (1)\) \+ timeout\)/,
        reason: "the health budget's formula: Docker probes once more than the retries",
    },
    {
        page: "docs/lab-images.md",
        pattern: /Debian (12) \(bookworm\)|Debian (12) ships Node (18)|versions are Debian (12)'s/,
        reason: "Debian's release number and what it ships",
    },
    {
        page: "docs/lab-images.md",
        pattern:
            /postgresql-15 \((15)\.x\)|redis-server \((7\.0)\)|nginx-light \((1\.22)\)|prometheus \((2\.42)\)|prometheus-postgres-exporter \((0\.11)\)|prometheus-redis-exporter \((1\.45)\)|prometheus-node-exporter \((1\.5)\)|python3 \((3\.11\.2)\)/,
        reason: "the version of a Debian 12 package",
    },
    {
        page: "docs/lab-images.md",
        pattern: /and umask (0077); port|`\/prometheus` nobody-owned g\+w.*?port (9090)/,
        reason: "an upstream image's fact reproduced in its lab recipe (lab/images/<image>/), cited there",
    },
    {
        page: "docs/configuration.md",
        pattern: /```text plan: stack dev: .*?```/,
        reason: "the plan's output for a broken stack file, which tests/plan-cli.test.ts compares with this page",
    },
    {
        page: "docs/configuration.md",
        pattern: /<!-- config-reference:begin.*?<!-- config-reference:end -->/,
        reason: "generated by npm run config-reference -- --write; tests/docs/docs.test.ts compares it with a fresh rendering",
    },
    {
        page: "docs/policies.md",
        pattern:
            /<!-- standards-table:begin.*?<!-- standards-table:end -->|<!-- policy-table:begin.*?<!-- policy-table:end -->|<!-- dockerfile-table:begin.*?<!-- dockerfile-table:end -->/,
        reason: "generated from the rules and policies/lib/standards.ts; tests/policies/reference.test.ts compares each with a fresh rendering",
    },
    {
        page: "docs/security-review.md",
        pattern:
            /\| code \| meaning \| \| --- \| --- \| \| (0) \| no failing.*?\| (1) \| at least.*?\| (2) \| usage.*?\| (3) \| internal error.*?None of (2) or (3) is ever a pass/,
        reason: "the check's exit codes",
    },
    { page: "docs/security-review.md", pattern: /XML (1\.0) cannot carry|<\?xml version="(1\.0)"/, reason: "a standard's version" },
    {
        page: "docs/security-review.md",
        pattern: /a line below (1) is (1)\.|points at line (1) of `Pulumi/,
        reason: "SARIF's first line number",
    },
    {
        page: "docs/security-review.md",
        pattern:
            /fixed upstream in (2\.0) \(SEC-7\)", "expires": "(\d{4})-(\d\d)-(\d\d)"|expired on (\d{4})-(\d\d)-(\d\d), \.\.\.`|"expires": "(9999)-(12)-(31)"/,
        reason: "an example waiver's values",
    },
    {
        page: "docs/security-review.md",
        pattern: /\btcp\/(\d+)(?!-)/,
        reason: "a port in a report's excerpt (the catalog's ports are claimed on docs/aws-security.md)",
    },
    { page: "docs/security-review.md", pattern: /\(allow (100)\)/, reason: "the rule number of AWS's default network ACL" },
    { page: "docs/security-review.md", pattern: /found its defects (1) and (2) on both stacks/, reason: "a reference to an issue's items" },
];
