// The reachability report as reviewers read it: the verdict first, then what fails (each with the
// placement and every hop that blocks it, and for a forbidden flow a security group admits, the rules
// that admit it and what alone still blocks it), then each passing flow with its path.
import type { FlowResult, ReachabilityReport } from "./index";

/** One line: the verdict and its counts. */
export function summaryLine(report: ReachabilityReport, stack: string): string {
    const s = report.summary;
    return `${stack}: ${report.verdict === 0 ? "PASS" : "FAIL"}: ${s.unreachable} of ${s.needed} needed flows unreachable, ${s.reachableForbidden} of ${s.forbidden} forbidden flows reachable, ${s.admittedForbidden} admitted by a security group, ${s.notModelled} resources not modelled`;
}

const title = (f: FlowResult) => `${f.from} → ${f.to} ${f.ports}: ${f.why}`;
const hopLines = (f: FlowResult, only?: boolean) => f.path.filter((h) => only === undefined || h.ok === only).map((h) => `      ${h.ok ? "✓" : "✗"} ${h.text}`);

function failing(f: FlowResult): string[] {
    const where =
        f.kind === "needed"
            ? `unreachable in ${f.placements - f.passing} of ${f.placements} placements, e.g. ${f.placement}`
            : f.reachable
              ? `reachable in ${f.passing} of ${f.placements} placements, e.g. ${f.placement}`
              : `admitted by its destination's security groups in ${f.admitting} of ${f.placements} placements, e.g. ${f.placement}`;
    const layers =
        f.reachable || f.kind === "needed" ? [] : [`      admitted by: ${f.admittedBy.join("; ")}`, `      blocked only by: ${f.blockedOnlyBy.join("; ")}`];
    return [`  ✗ ${title(f)}`, `      ${where}`, ...layers, ...hopLines(f)];
}

function passing(f: FlowResult): string[] {
    if (f.kind === "needed") return [`  ✓ ${title(f)} (all ${f.placements} placements, e.g. ${f.placement})`, ...hopLines(f)];
    // A forbidden flow is shown with what blocks it in the placement shown.
    return [`  ✓ ${title(f)} (blocked in all ${f.placements} placements, e.g. ${f.placement})`, ...hopLines(f, false)];
}

export function renderText(report: ReachabilityReport, stack: string): string {
    const needed = report.flows.filter((f) => f.kind === "needed");
    const forbidden = report.flows.filter((f) => f.kind === "forbidden");
    const section = (heading: string, lines: string[]) => ["", heading, ...(lines.length > 0 ? lines : ["  (none)"])];
    return [
        `Reachability of ${summaryLine(report, stack)}`,
        ...section("Needed flows that are unreachable:", needed.filter((f) => !f.ok).flatMap(failing)),
        ...section("Forbidden flows that are reachable:", forbidden.filter((f) => f.reachable).flatMap(failing)),
        ...section("Forbidden flows a security group admits, closed only by another layer:", forbidden.filter((f) => !f.ok && !f.reachable).flatMap(failing)),
        ...section(
            "Resources that could carry traffic and are not modelled:",
            report.notModelled.map((n) => `  ✗ ${n.urn}: ${n.reason}`),
        ),
        ...(report.notes.length > 0
            ? section(
                  "Notes:",
                  report.notes.map((n) => `  - ${n}`),
              )
            : []),
        ...section("Needed flows, reachable, with their path:", needed.filter((f) => f.ok).flatMap(passing)),
        ...section("Forbidden flows, proven unreachable, with what blocks them:", forbidden.filter((f) => f.ok).flatMap(passing)),
    ].join("\n");
}
