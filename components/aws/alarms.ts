// Every alarm notifies the stack's alarm topic, and says so again when it recovers.
import * as aws from "./sdk";
import type * as pulumi from "@pulumi/pulumi";
import type * as awsInput from "@pulumi/aws/types/input";

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

/** An alarm on an expression of metrics (metric math): `queries` holds the expression and its operands. */
export interface MathAlarmSpec {
    readonly description: string;
    readonly threshold: number;
    readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
    readonly evaluationPeriods?: number;
    readonly queries: pulumi.Input<awsInput.cloudwatch.MetricAlarmMetricQuery>[];
}

/** What every alarm shares: missing data is not a breach, and the topic hears of the alarm and of its recovery. */
function notifying(topicArn: pulumi.Input<string>) {
    return { treatMissingData: "notBreaching", alarmActions: [topicArn], okActions: [topicArn] };
}

export function mathAlarm(name: string, spec: MathAlarmSpec, topicArn: pulumi.Input<string>, parent: pulumi.Resource): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            alarmDescription: spec.description,
            comparisonOperator: spec.comparison,
            threshold: spec.threshold,
            evaluationPeriods: spec.evaluationPeriods ?? 2,
            metricQueries: spec.queries,
            ...notifying(topicArn),
        },
        { parent },
    );
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
            ...notifying(topicArn),
        },
        { parent },
    );
}
