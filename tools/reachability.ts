// npm run -s reachability -- --stack <staging|prod> | --input <file|-> [--format text|json] [--out FILE]
// Proves from the plan, offline, that every ECS task reaches what it needs and that nothing reaches
// what must stay closed (lib/reachability): the offline counterpart of VPC Reachability Analyzer and
// Network Access Analyzer.
import * as fs from "node:fs";
import { expectedErrors, isExpectedError, outOption, planFromArgs, planOptions, runTool, type ToolSpec, UsageError, writeResult } from "./cli";
import { fileProblem, PathError } from "../lib/file-problems";
import { NoAwsResourcesError, analyse, type NetworkResource, planResources } from "../lib/reachability";
import type { Plan } from "../lib/plan-engine";
import { renderText, summaryLine } from "../lib/reachability/render";

expectedErrors(NoAwsResourcesError);

const FORMATS = ["text", "json"] as const;

const options = {
    ...planOptions,
    input: {
        type: "string",
        value: "<file|->",
        description: "analyse a saved file instead: the plan JSON, `pulumi preview --json` or `pulumi stack export` (- reads stdin)",
    },
    format: { type: "string", value: "<text|json>", default: "text", description: "the report as text, or as JSON" },
    ...outOption,
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "reachability",
    summary:
        "proves offline, from a stack's plan, that every ECS task reaches what it needs and that the internet, the load balancer and tasks without data access reach no data store or task",
    usage: ["--stack <staging|prod> [--config-file <file>] [--format <text|json>] [--out <file>]", "--input <file|-> [--format <text|json>] [--out <file>]"],
    options,
    examples: [
        "npm run -s reachability -- --stack prod",
        "npm run -s reachability -- --stack staging --format json | jq '.flows[] | select(.ok | not)'",
        "npm run -s plan -- --stack prod --json --out out/prod-plan.json && npm run -s reachability -- --input out/prod-plan.json",
    ],
    exitCodes: {
        0: "every needed flow is reachable, every forbidden flow is unreachable and refused by its destination's security groups, and every resource that could carry traffic is modelled",
        1: "a needed flow is unreachable, a forbidden flow is reachable or admitted by its destination's security groups (even where a route or an address blocks it), or a resource that could carry traffic is not modelled",
    },
};

async function readInputText(file: string): Promise<string> {
    try {
        if (file !== "-") return fs.readFileSync(file, "utf8");
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString("utf8");
    } catch (err) {
        throw new PathError(`${file}: cannot be read: ${fileProblem(err)}`);
    }
}

if (require.main === module)
    runTool(spec, async (values) => {
        if ((values.stack === undefined) === (values.input === undefined)) throw new UsageError("give either --stack or --input");
        if (values.input !== undefined && values["config-file"] !== undefined)
            throw new UsageError("--config-file goes with --stack (an --input file is read as it was planned)");
        const format = values.format ?? "text";
        if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`option --format: expected text or json, found ${JSON.stringify(format)}`);
        // The input reader loads the mocks the plan was made with; loaded once the command line is valid.
        const { InputError, readInput, stackOfUrns } = await import("../policies/input/read");
        expectedErrors(InputError);
        let stack: string;
        let resources: readonly NetworkResource[];
        if (values.input === undefined) {
            const plan = await planFromArgs(values).catch((err: unknown) => {
                if (isExpectedError(err)) throw err;
                throw new InputError(
                    `stack ${values.stack}: the offline plan failed, so nothing was analysed: ${err instanceof Error ? err.message : String(err)}`,
                );
            });
            stack = plan.stack;
            resources = await planResources(plan);
        } else {
            const file = values.input === "-" ? "standard input" : values.input;
            const text = await readInputText(values.input);
            const input = await readInput(text, file);
            // A plan records each resource's dependencies, which the model reads (a warmed image); the other formats' readers drop them.
            resources = input.format === "plan" ? await planResources(JSON.parse(text) as Plan) : input.resources;
            stack = stackOfUrns(input) ?? file;
        }
        const report = analyse(resources, `stack ${stack}`);
        writeResult(format === "json" ? JSON.stringify({ stack, ...report }, null, 2) : renderText(report, stack), values.out);
        if (report.verdict !== 0) process.stderr.write(`reachability: ${summaryLine(report, stack)}\n`);
        return report.verdict;
    });
