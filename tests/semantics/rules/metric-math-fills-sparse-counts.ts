// ALB publishes its error counts only when they are non-zero (Elastic Load Balancing, "CloudWatch
// metrics for your Application Load Balancer", reporting criteria). In metric math a missing
// operand leaves the expression without a datapoint, which treatMissingData notBreaching reads as
// OK: each such count must enter an expression as FILL(id, …).
import type { SemanticsRule } from "../rule";
import { byName, ofType, TYPE } from "../plan-reading";

const SPARSE = /^(HTTPCode_(Target|ELB)_\w+_Count|TargetConnectionErrorCount|RejectedConnectionCount|(Client|Target)TLSNegotiationErrorCount)$/;

interface Query {
    id: string;
    expression?: string;
    metric?: { namespace: string; metricName: string };
}

export const metricMathFillsSparseCounts: SemanticsRule = {
    name: "metric-math-fills-sparse-counts",
    description: "Every metric-math alarm wraps each ALB count published only when non-zero in FILL(…, 0)",
    source: "Elastic Load Balancing user guide, CloudWatch metrics for your Application Load Balancer; CloudWatch metric math FILL()",
    targets: ["aws"],
    check(plan) {
        const findings: string[] = [];
        for (const alarm of ofType(plan, TYPE.alarm)) {
            const queries = (alarm.inputs.metricQueries as Query[] | undefined) ?? [];
            const expressions = queries.flatMap((q) => (q.expression ? [q.expression] : []));
            for (const q of queries) {
                if (q.metric?.namespace !== "AWS/ApplicationELB" || !SPARSE.test(q.metric.metricName)) continue;
                const bare = new RegExp(`(?<!FILL\\()\\b${q.id}\\b`);
                if (expressions.some((e) => bare.test(e))) findings.push(`${alarm.name}: ${q.id} (${q.metric.metricName}) enters an expression without FILL`);
            }
        }
        return findings;
    },
    mutate(plan) {
        const alarm = byName(plan, TYPE.alarm, "proxy-5xx-rate");
        for (const q of alarm.inputs.metricQueries as Query[]) if (q.expression) q.expression = q.expression.replace(/FILL\((\w+), 0\)/g, "$1");
    },
};
