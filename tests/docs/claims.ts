// Every count, size, price, timing and coverage figure the README and docs/ state, each with the one
// source it must equal (runbook flags, ports and AWS limits are out of scope). Timings come from what
// the benchmark stored (`npm run -s benchmark -- --record`, docs/measured/benchmark.json) and from
// the suite's recorded runs (docs/measured/suite.json), with their dates, core counts and ranges.
// tests/docs/claims.test.ts fails when a page and its source disagree, naming both values.
import * as fs from "node:fs";
import * as path from "node:path";
import { applicationServices, platformServices } from "../../components/service/catalog";
import { rules } from "../../policies/rules";
import { STACKS } from "../../lib/stacks";
import { planResources } from "../../policies/input/read";
import type { Plan } from "../../lib/plan-engine";
import {
    benchmarkBlock,
    benchmarkSummary,
    REACHABILITY_ADDED_SECONDS,
    readSessions,
    RECORD_FILE,
    spec as benchmarkSpec,
    syntheticExport,
    TARGET_RATIO,
} from "../../tools/benchmark";
import { inWords } from "../../lib/words";
import { USAGE } from "../../tools/cost/estimate";
import { PRICES } from "../../tools/cost/prices";
import { projectDir, stackPlan } from "../helpers/plan";

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

const thousands = (n: number) => n.toLocaleString("en-US");
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(path.join(projectDir, file), "utf8")) as T;
const coverage = () => readJson<{ lines: number; branches: number }>(".c8rc.json");

// The plans are computed once, for every claim that reads them.
const plans = new Map<string, Promise<Plan>>();
const planOf = (stack: string) => plans.get(stack) ?? plans.set(stack, stackPlan(stack)).get(stack)!;

interface SuiteRun {
    readonly seconds: number;
    readonly cores: number;
}
interface SuiteRecord {
    /** Who measured, when: the runs' provenance, stated with them. */
    readonly source: string;
    readonly freshCloneWithProvisioning: readonly SuiteRun[];
}

/** "3 min 22 s". */
export const minutes = (seconds: number) => `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

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
        pattern: /provisioning included, it took (\d+ min \d+ s) to (\d+ min \d+ s) on (\d+) cores \(([^)]*)\)/,
        value: async () => {
            const runs = suite().freshCloneWithProvisioning;
            const seconds = runs.map((r) => r.seconds);
            return [minutes(Math.min(...seconds)), minutes(Math.max(...seconds)), [...new Set(runs.map((r) => r.cores))].join(" or "), suite().source];
        },
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
        pattern: new RegExp(`${escaped(benchmarkBlock.begin)} (.*?) ${escaped(benchmarkBlock.end)}`),
        value: async () => [benchmarkSummary(readSessions())],
        source: RECORD_FILE,
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
        pattern: /stack prod \(export\): (\d+) policies over/,
        value: async () => [String(rules.length)],
        source: "policies/rules/index.ts",
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
];
