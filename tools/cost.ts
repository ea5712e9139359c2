// npm run -s cost -- --stack <dev|staging|prod|pr> [--format markdown|json] [--budget N] [--out FILE]
// The stack's monthly cost estimated offline from its plan, with every price's date and source and
// every usage assumption printed next to the figure it produced.
import * as fs from "node:fs";
import * as path from "node:path";
import { DECIMAL, expectedErrors, modeTakesOnly, outOption, planFromArgs, planOptions, runTool, type ToolSpec, UsageError, writeResult } from "./cli";
import { type CostReport, estimate, PriceError } from "./cost/estimate";
import { type GeneratedBlock, pagePath, withBlock } from "./generated-page";
import { STACK_VALUE } from "../lib/stacks";

expectedErrors(PriceError);

export const formatMoney = (n: number, currency = "USD") => `${currency === "USD" ? "$" : `${currency} `}${n.toFixed(2)}`;

export function renderCost(report: CostReport): string {
    const lines = [`## Monthly cost estimate: ${report.stack}`, ""];
    if (report.note) return [...lines, `${formatMoney(0, report.currency)}: ${report.note}.`].join("\n");
    lines.push(
        `Total: **${formatMoney(report.total, report.currency)}/month**${report.totalMax !== report.total ? ` (up to ${formatMoney(report.totalMax, report.currency)} with auto-scaled services at their maximum)` : ""}.`,
        `Prices: version ${report.prices.version}, list prices as of ${report.prices.takenOn}; ${report.prices.source}.`,
        "",
        "| Resource | Type | Monthly | Assumptions |",
        "| --- | --- | ---: | --- |",
    );
    for (const r of [...report.resources].sort((a, b) => b.monthly - a.monthly)) {
        const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
        const monthly = `${formatMoney(r.monthly, report.currency)}${r.monthlyMax !== undefined ? ` – ${formatMoney(r.monthlyMax, report.currency)}` : ""}`;
        lines.push(`| ${name} | ${r.type.split(":")[1] ?? r.type} | ${monthly} | ${r.assumptions.join("; ")} |`);
    }
    if (report.unpriced.length > 0) lines.push("", `Not priced (add them to tools/cost/estimate.ts): ${report.unpriced.join(", ")}.`);
    return lines.join("\n");
}

export const DOCS_FILE = "docs/platform-team.md";
/** The page's block that --write-docs regenerates. */
const TOTALS: GeneratedBlock = { page: DOCS_FILE, begin: "<!-- cost-totals:begin (npm run cost -- --write-docs) -->", end: "<!-- cost-totals:end -->" };
/** The stacks whose totals the platform page shows (dev runs on Docker and costs nothing). */
export const PRICED_STACKS = ["staging", "prod"] as const;

/** The generated block of docs/platform-team.md: each AWS stack's total, at minimum and maximum capacity. */
export function totalsBlock(reports: readonly CostReport[]): string {
    const { prices } = reports[0];
    return [
        TOTALS.begin,
        "| Stack | Monthly estimate | With auto-scaled services at their maximum |",
        "| --- | ---: | ---: |",
        ...reports.map((r) => `| ${r.stack} | ${formatMoney(r.total, r.currency)} | ${formatMoney(r.totalMax, r.currency)} |`),
        "",
        `List prices version ${prices.version} as of ${prices.takenOn} (tools/cost/prices.ts); usage assumptions in tools/cost/estimate.ts (USAGE).`,
        TOTALS.end,
    ].join("\n");
}

/** `document` with its totals block replaced by `block`. */
export function withTotals(document: string, block: string): string {
    return withBlock(TOTALS, document, block);
}

const options = {
    ...planOptions,
    "write-docs": { type: "boolean", description: `regenerate the staging and prod totals in ${DOCS_FILE} (no --stack)` },
    format: { type: "string", value: "<markdown|json>", default: "markdown", description: "markdown table per resource, or the JSON report" },
    budget: { type: "string", value: "<amount>", description: "exit 1 when the monthly total (at minimum capacity) is above this amount" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "cost",
    summary: "estimates a stack's monthly AWS cost offline from its plan and a dated list-price table (tools/cost/prices.ts)",
    usage: [`--stack ${STACK_VALUE} [--format markdown|json] [--budget <amount>] [--out <file>] [--config-file <file>]`, "--write-docs"],
    options,
    examples: [
        "npm run -s cost -- --stack prod",
        "npm run -s cost -- --stack staging --format json | jq .total",
        "npm run -s cost -- --stack prod --budget 2500",
    ],
    exitCodes: { 0: "the estimate was printed (and is within --budget)", 1: "the total is above --budget" },
};

export function parseBudget(value: string | undefined): number | undefined {
    if (value === undefined) return undefined;
    const budget = Number(value);
    if (!DECIMAL.test(value)) throw new UsageError(`option --budget: expected a non-negative number, found ${JSON.stringify(value)}`);
    return budget;
}

export function parseFormat(value: string | undefined): "markdown" | "json" {
    if (value !== "markdown" && value !== "json") throw new UsageError(`option --format: expected markdown or json, found ${JSON.stringify(value)}`);
    return value;
}

if (require.main === module)
    runTool(spec, async (values) => {
        const projectDir = path.resolve(__dirname, "..");
        // The planner and the config reader are loaded once the command line is valid, not above: they
        // load the Pulumi SDK, which --help and usage errors do not need.
        modeTakesOnly(spec, values, "write-docs");
        if (values["write-docs"]) {
            const { buildPlan } = await import("../lib/plan-engine");
            const { stackRegions } = await import("./cost/regions");
            const reports = [];
            for (const stack of PRICED_STACKS) reports.push(estimate(await buildPlan(projectDir, stack), stackRegions(projectDir, stack)));
            const file = pagePath(TOTALS);
            fs.writeFileSync(file, withTotals(fs.readFileSync(file, "utf8"), totalsBlock(reports)));
            return 0;
        }
        const format = parseFormat(values.format);
        const budget = parseBudget(values.budget);
        const plan = await planFromArgs(values);
        const { stackRegions } = await import("./cost/regions");
        const report = estimate(plan, stackRegions(projectDir, plan.stack, values["config-file"]));
        // JSON: `{stack, currency, total, resources: [{urn, type, monthly, assumptions}]}` plus extras.
        writeResult(format === "json" ? JSON.stringify(report, null, 2) : renderCost(report), values.out);
        if (budget !== undefined && report.total > budget) {
            process.stderr.write(`cost: ${plan.stack} is estimated at ${formatMoney(report.total)}/month, above the budget of ${formatMoney(budget)}\n`);
            return 1;
        }
        return 0;
    });
