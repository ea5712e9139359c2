// On AWS, CloudWatch does what Prometheus and Grafana do in dev: Container Insights, RDS, ElastiCache
// and load-balancer metrics arrive without exporters, each component raises its own alarms to the
// telemetry topic, and this dashboard shows the stack on one page. Widgets find the stack's
// resources by their physical names (shortened on long stack names, components/aws/names.ts),
// so the dashboard needs no reference to them.
import * as aws from "../aws/sdk";
import type * as pulumi from "@pulumi/pulumi";
import { applicationServices } from "../service/catalog";
import { awsName, sharedNames } from "../aws/names";
import { awsAttachment, awsPrefix } from "../aws/platform";
import type { MonitoringArgs, MonitoringEndpoint } from "./index";

const PERIOD = 300;

export function awsMonitoring(name: string, args: MonitoringArgs, parent: pulumi.ComponentResource): MonitoringEndpoint {
    const platform = awsAttachment(args.network, "osint:observability:Monitoring");
    const names = sharedNames();
    // `term` is the name the metric's dimension holds (the load balancer's, the replication group's).
    const search = (namespace: string, dimension: string, metric: string, stat: string, term: string) => ({
        expression: `SEARCH('{${namespace},${dimension}} MetricName="${metric}" "${term}"', '${stat}', ${PERIOD})`,
    });
    const widget = (title: string, metrics: unknown[], x: number, y: number) => ({
        type: "metric",
        x,
        y,
        width: 12,
        height: 6,
        properties: { title, period: PERIOD, view: "timeSeries", stacked: false, metrics },
    });
    const perService = (metric: string) => applicationServices.map((s) => ["AWS/ECS", metric, "ClusterName", names.cluster, "ServiceName", s]);
    const rds = (metric: string) => ["AWS/RDS", metric, "DBInstanceIdentifier", names.database];
    new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        {
            dashboardName: awsName("aws:cloudwatch/dashboard:Dashboard", "dashboardName", awsPrefix()),
            dashboardBody: platform.region.apply((region) =>
                JSON.stringify({
                    widgets: [
                        widget("Requests", [[search("AWS/ApplicationELB", "LoadBalancer", "RequestCount", "Sum", names.loadBalancer)]], 0, 0),
                        widget(
                            "5xx (targets and load balancer)",
                            [
                                [search("AWS/ApplicationELB", "LoadBalancer", "HTTPCode_Target_5XX_Count", "Sum", names.loadBalancer)],
                                [search("AWS/ApplicationELB", "LoadBalancer", "HTTPCode_ELB_5XX_Count", "Sum", names.loadBalancer)],
                            ],
                            12,
                            0,
                        ),
                        widget(
                            "Target response time p95 (s)",
                            [[search("AWS/ApplicationELB", "LoadBalancer", "TargetResponseTime", "p95", names.loadBalancer)]],
                            0,
                            6,
                        ),
                        widget(
                            "Unhealthy targets",
                            [[search("AWS/ApplicationELB", "LoadBalancer,TargetGroup", "UnHealthyHostCount", "Maximum", names.loadBalancer)]],
                            12,
                            6,
                        ),
                        widget("ECS CPU (%)", perService("CPUUtilization"), 0, 12),
                        widget("ECS memory (%)", perService("MemoryUtilization"), 12, 12),
                        widget("PostgreSQL CPU (%) and connections", [rds("CPUUtilization"), [...rds("DatabaseConnections"), { yAxis: "right" }]], 0, 18),
                        widget("PostgreSQL free storage (bytes)", [rds("FreeStorageSpace")], 12, 18),
                        widget(
                            "Redis memory (% of maxmemory)",
                            [[search("AWS/ElastiCache", "CacheClusterId", "DatabaseMemoryUsagePercentage", "Maximum", names.cache)]],
                            0,
                            24,
                        ),
                    ].map((w) => ({ ...w, properties: { ...w.properties, region } })),
                }),
            ),
        },
        { parent },
    );
    return {};
}
