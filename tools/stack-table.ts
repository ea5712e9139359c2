// npm run -s stack-table [-- --write]
// The staging-vs-prod table of docs/architecture.md, generated from the stacks' config and the sizing
// table, so it cannot drift from what the program deploys (a test compares it with the page).
import * as path from "node:path";
import { fargateTaskSize } from "../components/aws/fargate";
import { sizes } from "../components/shared/sizing";
import { applicationServices } from "../components/service/catalog";
// config.ts and the stack file reader are imported where they are used: they load the Pulumi SDK,
// which --help and usage errors do not need.
import type { StackConfig } from "../config";
import { runTool, type ToolSpec } from "./cli";
import { checkGeneratorValues, generate, type GeneratedBlock, generatorOptions } from "./generated-page";

export const stackTableBlock: GeneratedBlock = {
    page: "docs/architecture.md",
    begin: "<!-- stack-table:begin (npm run stack-table -- --write) -->",
    end: "<!-- stack-table:end -->",
};
const projectDir = path.resolve(__dirname, "..");
const stacks = ["staging", "prod"] as const;

function rows(config: StackConfig, region: string): [string, string][] {
    const size = sizes[config.environment];
    const zones = config.availabilityZoneCount;
    const task = (service: (typeof applicationServices)[number]) => {
        const { memoryMb, cpus } = size[service];
        const fargate = fargateTaskSize(size[service]);
        const container = `${memoryMb} MiB / ${cpus} vCPU`;
        const fits = fargate.memoryMb === memoryMb && fargate.cpuUnits === cpus * 1024;
        return fits ? container : `${container} in a ${fargate.memoryMb} MiB / ${fargate.cpuUnits / 1024} vCPU task`;
    };
    return [
        ["region (DR region)", `${region} (${config.drRegion || "none"})`],
        ["availability zones / NAT gateways", `${zones} / ${config.multiAz ? zones : 1}`],
        ["VPC", config.vpcCidr],
        ...applicationServices.map((s): [string, string] => [`${s} container (task)`, task(s)]),
        ["backend tasks (auto-scaling)", `${config.backendMinTasks}-${config.backendMaxTasks}`],
        ["frontend tasks", String(config.backendMinTasks)],
        [
            "deployments (web tier)",
            config.deploymentStrategy === "blue-green" ? "ECS blue/green, automatic rollback" : "rolling, circuit breaker with rollback",
        ],
        ["PostgreSQL 15", `${config.dbInstanceClass}, ${config.multiAz ? "Multi-AZ" : "single-AZ"}, ${config.dbAllocatedStorageGb} GiB gp3`],
        ["database backups", `${config.backupRetentionDays} days PITR + daily AWS Backup${config.drRegion ? `, copied to ${config.drRegion}` : ""}`],
        ["Redis 7", `${config.multiAz ? 2 : 1} x ${config.cacheNodeType}${config.multiAz ? ", automatic failover" : ""}`],
        ["log retention", `${config.logRetentionDays} days`],
        ["`protect` on data, keys and vaults", config.environment === "production" ? "yes" : "no"],
    ];
}

export async function renderStackTable(): Promise<string> {
    const { parseConfig } = await import("../config");
    const { readStackConfig } = await import("../lib/stack-config");
    const columns = stacks.map((stack) => {
        const raw = readStackConfig(projectDir, stack).config;
        return rows(parseConfig(stack, raw), raw["aws:region"]);
    });
    const lines = [`| | ${stacks.join(" | ")} |`, `| --- | ${stacks.map(() => "---").join(" | ")} |`];
    columns[0].forEach(([label], i) => lines.push(`| ${label} | ${columns.map((c) => c[i][1]).join(" | ")} |`));
    return [stackTableBlock.begin, ...lines, stackTableBlock.end].join("\n");
}

export const spec: ToolSpec<typeof generatorOptions> = {
    name: "stack-table",
    summary: "prints the staging-vs-prod table (Markdown) generated from Pulumi.staging.yaml, Pulumi.prod.yaml and the sizing table",
    usage: ["[--out <file>]", "--write"],
    options: generatorOptions,
    examples: ["npm run -s stack-table", "npm run -s stack-table -- --write"],
    exitCodes: { 0: "the table was printed or written" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        checkGeneratorValues(values, stackTableBlock);
        generate(values, stackTableBlock, await renderStackTable());
        return 0;
    });
