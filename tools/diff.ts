// npm run -s diff -- --base origin/main --head HEAD [--stack <dev|staging|prod|pr>] [--format markdown|json] [--fail-on-destroy] [--out FILE]
// npm run -s diff -- --base-plan base.json --head-plan head.json [...]
// What a change does to each stack, offline: resources added, changed (property by property) and
// removed, the policy findings it adds or fixes, and what it does to the monthly cost.
import * as fs from "node:fs";
import { expectedErrors, outOption, runTool, SIGNAL_EXIT, type ToolSpec, type ToolValues, UsageError, writeResult } from "./cli";
import { parseFormat } from "./cost";
import { estimate, PriceError, type Regions } from "./cost/estimate";
import { comparePlans, dangerousRemovals } from "./diff/compare";
import { costDelta } from "./diff/cost";
import { renderJson, renderMarkdown, type StackReport } from "./diff/render";
import { DiffInputError, planAt, toolCheckout, withRevisions } from "./diff/revisions";
import { fileProblem } from "../lib/file-problems";
import { parseJsonText } from "../lib/json-text";
import type { Plan } from "../lib/plan-engine";
import { LONG_LIVED_STACKS, STACK_VALUE, STACKS } from "../lib/stacks";

expectedErrors(DiffInputError, PriceError);

/** One side of a diff: a stack's plan and the regions its config deploys to. */
export interface Side {
    readonly plan: Plan;
    readonly regions: Regions;
}

export async function stackReport(base: Side, head: Side): Promise<StackReport> {
    // Loaded here, not above: the policy pack loads the Pulumi SDKs, which --help and usage errors do not need.
    const { policyDelta, policyFindings } = await import("./diff/policy");
    const [baseFindings, headFindings] = [await policyFindings(base.plan), await policyFindings(head.plan)];
    return {
        diff: comparePlans(base.plan, head.plan),
        policy: policyDelta(baseFindings, headFindings),
        cost: costDelta(estimate(base.plan, base.regions), estimate(head.plan, head.regions)),
    };
}

/** stackRegions, loaded on first use: the config reader loads the Pulumi SDK, which --help and usage errors do not need. */
async function regionsOf(dir: string, stack: string): Promise<Regions> {
    return (await import("./cost/regions")).stackRegions(dir, stack);
}

/** A plan JSON file (`npm run plan -- --json`), checked for the fields the diff reads. */
export function readPlanFile(file: string): Plan {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new DiffInputError(`${file}: expected the plan JSON of \`npm run plan -- --json\`, found ${fileProblem(err)}`);
    }
    const document = parseJsonText(text, file, (message) => new DiffInputError(message));
    const plan = document as Partial<Plan>;
    if (typeof plan !== "object" || plan === null || typeof plan.stack !== "string" || !Array.isArray(plan.resources))
        throw new DiffInputError(
            `${file}: expected an object with "stack" (a string) and "resources" (an array), found ${JSON.stringify(document)?.slice(0, 60)}`,
        );
    plan.resources.forEach((r, i) => {
        if (typeof r !== "object" || r === null || Array.isArray(r))
            throw new DiffInputError(`${file}: key resources[${i}]: expected a resource object, found ${JSON.stringify(r)}`);
        for (const [key, ok] of [
            ["urn", typeof r?.urn === "string"],
            ["type", typeof r?.type === "string"],
            ["inputs", typeof r?.inputs === "object" && r?.inputs !== null],
            ["options", typeof r?.options === "object" && r?.options !== null],
        ] as const) {
            if (!ok)
                throw new DiffInputError(
                    `${file}: key resources[${i}].${key}: expected ${key === "inputs" || key === "options" ? "an object" : "a string"}, found ${key in r ? JSON.stringify(r[key]) : "nothing (the key is missing)"}`,
                );
        }
    });
    return plan as Plan;
}

const options = {
    base: { type: "string", value: "<revision>", description: "the git revision to compare from (e.g. origin/main); planned in a temporary worktree" },
    head: { type: "string", value: "<revision>", description: "the git revision to compare to (e.g. HEAD)" },
    "base-plan": { type: "string", value: "<file>", description: "compare from this plan JSON instead of a revision" },
    "head-plan": { type: "string", value: "<file>", description: "compare to this plan JSON instead of a revision" },
    stack: { type: "string", value: STACK_VALUE, description: `only this stack (with revisions; default: ${LONG_LIVED_STACKS.join(", ")})` },
    format: { type: "string", value: "<markdown|json>", default: "markdown", description: "markdown for a pull request comment, or JSON" },
    "fail-on-destroy": { type: "boolean", description: "exit 1 when a protected, retained or stateful resource would be removed" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "diff",
    summary: "shows what a change does to each stack offline: resources added, changed and removed, the policy findings it adds or fixes, its monthly cost",
    usage: [
        `--base <revision> --head <revision> [--stack ${STACK_VALUE}] [--format markdown|json] [--fail-on-destroy] [--out <file>]`,
        "--base-plan <file> --head-plan <file> [--format markdown|json] [--fail-on-destroy] [--out <file>]",
    ],
    options,
    examples: [
        "npm run -s diff -- --base origin/main --head HEAD",
        "npm run -s diff -- --base origin/main --head HEAD --stack prod --fail-on-destroy",
        "npm run -s diff -- --base-plan main-prod.json --head-plan prod.json --format json",
    ],
    exitCodes: {
        0: "the diff was printed",
        1: "--fail-on-destroy and a protected, retained or stateful resource would be removed",
        [SIGNAL_EXIT.SIGINT]: "interrupted (Ctrl-C): its plans stopped and its worktrees removed",
        [SIGNAL_EXIT.SIGTERM]: "terminated (SIGTERM): likewise",
    },
};

type Values = ToolValues<typeof options>;

/** The stacks to compare, from plan files or from two revisions of this repository. */
export async function reportsFor(values: Values, repo = toolCheckout): Promise<{ reports: StackReport[]; subject: string }> {
    const byFiles = values["base-plan"] !== undefined || values["head-plan"] !== undefined;
    const byRevisions = values.base !== undefined || values.head !== undefined;
    if (byFiles === byRevisions) throw new UsageError("give either --base and --head (revisions) or --base-plan and --head-plan (files)");
    if (byFiles) {
        if (!values["base-plan"] || !values["head-plan"]) throw new UsageError("--base-plan and --head-plan go together");
        if (values.stack) throw new UsageError("--stack selects a stack to plan from revisions; plan files name their own");
        const [base, head] = [readPlanFile(values["base-plan"]), readPlanFile(values["head-plan"])];
        if (base.stack !== head.stack)
            throw new DiffInputError(`${values["head-plan"]}: key stack: expected ${base.stack} (the stack of ${values["base-plan"]}), found ${head.stack}`);
        const regions = await regionsOf(repo, base.stack);
        return { reports: [await stackReport({ plan: base, regions }, { plan: head, regions })], subject: `${values["base-plan"]} → ${values["head-plan"]}` };
    }
    if (!values.base || !values.head) throw new UsageError("--base and --head go together");
    if (values.stack !== undefined && !(STACKS as readonly string[]).includes(values.stack))
        throw new UsageError(`option --stack: expected one of ${STACKS.join(", ")}, found ${JSON.stringify(values.stack)}`);
    const stacks = values.stack ? [values.stack] : [...LONG_LIVED_STACKS];
    const [baseRevision, headRevision] = [values.base, values.head];
    const reports = await withRevisions(repo, [baseRevision, headRevision], async ([base, head]) => {
        const result: StackReport[] = [];
        for (const stack of stacks) {
            const side = async (checkout: typeof base): Promise<Side> => ({
                plan: await planAt(checkout, stack),
                regions: await regionsOf(checkout.dir, stack),
            });
            result.push(await stackReport(await side(base), await side(head)));
        }
        return result;
    });
    return { reports, subject: `${baseRevision} → ${headRevision}` };
}

if (require.main === module)
    runTool(spec, async (values) => {
        const format = parseFormat(values.format);
        const { reports, subject } = await reportsFor(values);
        writeResult(format === "json" ? renderJson(reports, subject) : renderMarkdown(reports, subject), values.out);
        const dangerous = reports.flatMap((r) => dangerousRemovals(r.diff));
        if (values["fail-on-destroy"] && dangerous.length > 0) {
            process.stderr.write(
                // Named with their type: two resources may share a name (the DR vault and its key policy, say).
                `diff: ${dangerous.length} protected, retained or stateful resource(s) would be removed: ${dangerous.map((r) => `${r.name} (${r.type})`).join(", ")}\n`,
            );
            return 1;
        }
        return 0;
    });
