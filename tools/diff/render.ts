// The diff as a pull request comment (markdown) or as JSON for tools.
import { formatMoney } from "../cost";
import { type CostDelta } from "./cost";
import { dangerousRemovals, type PlanDiff, type ResourceDiff } from "./compare";
import type { Finding, PolicyDelta } from "./policy";

export interface StackReport {
    readonly diff: PlanDiff;
    readonly policy: PolicyDelta;
    readonly cost: CostDelta;
}

/** The first line of the comment: the pipeline finds its earlier comment by it and updates it in place. */
export const COMMENT_MARKER = "<!-- osint-platform-diff -->";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const signed = (n: number, currency: string) => `${n < 0 ? "−" : "+"}${formatMoney(Math.abs(n), currency)}`;

function counts(diff: PlanDiff): string {
    return `${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove`;
}

function resourceLine(r: ResourceDiff): string {
    return `- ${code(r.name)} (${code(r.type)})${r.risks.length > 0 ? ` **${r.risks.join(", ")}**` : ""}`;
}

function findingLine(f: Finding): string {
    const controls = f.controls.length > 0 ? ` [${f.controls.join(", ")}]` : "";
    return `- **${f.policy}** (${f.enforcement})${controls} on ${code(f.urn.slice(f.urn.lastIndexOf("::") + 2))}: ${f.message}`;
}

function stackMarkdown({ diff, policy, cost }: StackReport): string[] {
    const lines = [`### ${diff.stack}: ${counts(diff)}`, ""];
    const dangerous = dangerousRemovals(diff);
    if (dangerous.length > 0) {
        lines.push("> [!CAUTION]", `> **${dangerous.length} removal${dangerous.length === 1 ? "" : "s"} of protected, retained or stateful resources:**`);
        lines.push(...dangerous.map((r) => `> ${resourceLine(r)}`), "");
    }
    const safeRemovals = diff.removed.filter((r) => !dangerous.includes(r));
    if (safeRemovals.length > 0) lines.push("**Removed**", "", ...safeRemovals.map(resourceLine), "");
    if (diff.added.length > 0) lines.push("**Added**", "", ...diff.added.map(resourceLine), "");
    if (diff.changed.length > 0) {
        lines.push("**Changed**", "");
        for (const r of diff.changed) {
            lines.push(resourceLine(r), "", "  | Property | Base | Head |", "  | --- | --- | --- |");
            lines.push(...r.changes.map((c) => `  | ${code(c.path)} | ${cell(c.old ?? "(none)")} | ${cell(c.new ?? "(none)")} |`), "");
        }
    }
    if (policy.introduced.length + policy.fixed.length > 0) {
        lines.push("**Policy**", "");
        if (policy.introduced.length > 0) lines.push(`New in head (${policy.introduced.length}):`, ...policy.introduced.map(findingLine), "");
        if (policy.fixed.length > 0) lines.push(`Fixed since base (${policy.fixed.length}):`, ...policy.fixed.map(findingLine), "");
    } else lines.push("**Policy**: no finding added or fixed.", "");
    if (cost.note) lines.push(`**Cost**: ${formatMoney(0, cost.currency)}/month, ${cost.note}.`);
    else {
        lines.push(
            `**Cost**: ${formatMoney(cost.before, cost.currency)} → ${formatMoney(cost.after, cost.currency)}/month (${signed(cost.delta, cost.currency)}, list prices; see \`npm run cost\`)`,
        );
        if (cost.changes.length > 0) {
            lines.push("", "  | Resource | Base | Head |", "  | --- | ---: | ---: |");
            lines.push(
                ...cost.changes.map(
                    (c) =>
                        `  | ${code(c.urn.slice(c.urn.lastIndexOf("::") + 2))} | ${formatMoney(c.before, cost.currency)} | ${formatMoney(c.after, cost.currency)} |`,
                ),
            );
        }
    }
    return [...lines, ""];
}

export function renderMarkdown(reports: readonly StackReport[], subject: string): string {
    return [COMMENT_MARKER, `## Infrastructure diff: ${subject}`, "", ...reports.flatMap(stackMarkdown)].join("\n").trimEnd();
}

export function renderJson(reports: readonly StackReport[], subject: string): string {
    return JSON.stringify(
        {
            subject,
            stacks: reports.map(({ diff, policy, cost }) => ({
                counts: { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length },
                dangerousRemovals: dangerousRemovals(diff).map((r) => r.urn),
                ...diff,
                policy,
                cost,
            })),
        },
        null,
        2,
    );
}
