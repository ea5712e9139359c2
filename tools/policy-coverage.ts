// npm run -s policy-coverage [-- --write]
// The coverage table of docs/policy-coverage.md: every anchor check (Checkov, Security Hub FSBP) on a
// resource type the AWS stacks declare, and the rule that covers it, derived from the rules' controls
// (policies/coverage/table.ts) and the stacks' plans, so it cannot drift (a test compares it with the page).
import * as path from "node:path";
import { runTool, type ToolSpec } from "./cli";
import { checkGeneratorValues, generate, type GeneratedBlock, generatorOptions } from "./generated-page";

export const coverageBlock: GeneratedBlock = {
    page: "docs/policy-coverage.md",
    begin: "<!-- policy-coverage:begin (npm run -s policy-coverage -- --write) -->",
    end: "<!-- policy-coverage:end -->",
};
const projectDir = path.resolve(__dirname, "..");
/** The stacks whose plans declare the AWS resource types the anchors are counted on. */
export const AWS_STACKS = ["staging", "prod", "pr"] as const;

/** The AWS resource types the stacks' plans declare. */
export async function declaredAwsTypes(): Promise<Set<string>> {
    const { buildPlan } = await import("../lib/plan-engine");
    const types = new Set<string>();
    // One plan at a time: the offline engine runs one program per process at once.
    for (const stack of AWS_STACKS) for (const r of (await buildPlan(projectDir, stack)).resources) if (r.type.startsWith("aws:")) types.add(r.type);
    return types;
}

/** The block, markers included, for these declared types. */
export async function renderCoverage(declared: ReadonlySet<string>): Promise<string> {
    const { ANCHORS } = await import("../policies/coverage/anchors");
    const { anchorCoverage, coverageMarkdown } = await import("../policies/coverage/table");
    const { rules } = await import("../policies/rules");
    return [coverageBlock.begin, coverageMarkdown(ANCHORS.map((a) => anchorCoverage(a, rules, declared))), coverageBlock.end].join("\n");
}

export const spec: ToolSpec<typeof generatorOptions> = {
    name: "policy-coverage",
    summary: "prints the policy pack's coverage of Checkov's and Security Hub FSBP's checks on the resource types the AWS stacks declare (Markdown)",
    usage: ["[--out <file>]", "--write"],
    options: generatorOptions,
    examples: ["npm run -s policy-coverage", "npm run -s policy-coverage -- --write"],
    exitCodes: { 0: "the table was printed or written" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        checkGeneratorValues(values, coverageBlock);
        generate(values, coverageBlock, await renderCoverage(await declaredAwsTypes()));
        return 0;
    });
