// Every alarm notifies the stack's alarm topic, and says so again when it recovers.
import * as aws from "./sdk";
import type * as pulumi from "@pulumi/pulumi";

export interface AlarmSpec {
    readonly description: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, pulumi.Input<string>>;
    /** "Average", "Maximum", ... or a percentile such as "p95". */
    readonly statistic: string;
    readonly threshold: number;
    readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
    readonly periodSeconds?: number;
    readonly evaluationPeriods?: number;
}

export function metricAlarm(name: string, spec: AlarmSpec, topicArn: pulumi.Input<string>, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
    const percentile = /^p\d/.test(spec.statistic);
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            alarmDescription: spec.description,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: percentile ? undefined : spec.statistic,
            extendedStatistic: percentile ? spec.statistic : undefined,
            threshold: spec.threshold,
            comparisonOperator: spec.comparison,
            period: spec.periodSeconds ?? 300,
            evaluationPeriods: spec.evaluationPeriods ?? 2,
            treatMissingData: "notBreaching",
            alarmActions: [topicArn],
            okActions: [topicArn],
        },
        { parent },
    );
}
