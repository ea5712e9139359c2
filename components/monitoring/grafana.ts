// Grafana provisioning: the Prometheus data source and the dashboards, provisioned read-only.
import { toYaml } from "./yaml";
import { CONFIG_ROOT } from "../docker/container";

const DATASOURCE = { type: "prometheus", uid: "prometheus" } as const;

export function renderDatasources(prometheusUrl: string): string {
    return toYaml({
        apiVersion: 1,
        datasources: [{ name: "Prometheus", ...DATASOURCE, access: "proxy", url: prometheusUrl, isDefault: true, editable: false }],
    });
}

// Under /etc/osint (a volume), not the image's /etc/grafana: the root file system stays read-only.
export const PROVISIONING_DIR = `${CONFIG_ROOT}/grafana/provisioning`;
export const DASHBOARDS_DIR = `${CONFIG_ROOT}/grafana/dashboards`;

/** The dashboard provider: loads every JSON file in DASHBOARDS_DIR, read-only in the UI. */
export function renderDashboardProvider(): string {
    return toYaml({
        apiVersion: 1,
        providers: [
            { name: "osint-platform", folder: "OSINT platform", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: DASHBOARDS_DIR } },
        ],
    });
}

interface Panel {
    readonly title: string;
    readonly unit: string;
    readonly queries: readonly { readonly expr: string; readonly legend: string }[];
}

// The design's metrics ("Metrics Collection"): performance, resource usage and infrastructure health.
export const OVERVIEW_PANELS: readonly Panel[] = [
    {
        title: "Response time (p95)",
        unit: "s",
        queries: [{ expr: "histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m])))", legend: "{{job}}" }],
    },
    { title: "Throughput", unit: "reqps", queries: [{ expr: "sum by (job) (rate(http_requests_total[5m]))", legend: "{{job}}" }] },
    {
        title: "Error rate (5xx)",
        unit: "percentunit",
        queries: [{ expr: 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))', legend: "{{job}}" }],
    },
    {
        title: "Authentication failures (401)",
        unit: "short",
        queries: [{ expr: 'sum by (job) (increase(http_requests_total{status="401"}[5m]))', legend: "{{job}}" }],
    },
    { title: "CPU", unit: "short", queries: [{ expr: "rate(process_cpu_seconds_total[5m])", legend: "{{job}}" }] },
    { title: "Memory", unit: "bytes", queries: [{ expr: "process_resident_memory_bytes", legend: "{{job}}" }] },
    { title: "Targets up", unit: "short", queries: [{ expr: "up", legend: "{{job}}" }] },
    {
        title: "Database health",
        unit: "short",
        queries: [
            { expr: "pg_up", legend: "up" },
            { expr: "sum(pg_stat_activity_count)", legend: "connections" },
            { expr: "max(pg_settings_max_connections)", legend: "max connections" },
        ],
    },
    {
        title: "Redis health",
        unit: "short",
        queries: [
            { expr: "redis_up", legend: "up" },
            { expr: "redis_memory_used_bytes / redis_memory_max_bytes", legend: "memory used / maxmemory" },
            { expr: "rate(redis_evicted_keys_total[5m])", legend: "evictions/s" },
            { expr: "redis_connected_clients", legend: "clients" },
        ],
    },
    { title: "Age of the last successful backup", unit: "s", queries: [{ expr: "time() - osint_backup_last_success_timestamp_seconds", legend: "age" }] },
];

export function renderOverviewDashboard(): string {
    const width = 12;
    const height = 8;
    const dashboard = {
        uid: "osint-overview",
        title: "OSINT platform overview",
        tags: ["osint-platform"],
        timezone: "utc",
        refresh: "30s",
        schemaVersion: 39,
        time: { from: "now-6h", to: "now" },
        panels: OVERVIEW_PANELS.map((panel, index) => ({
            id: index + 1,
            type: "timeseries",
            title: panel.title,
            datasource: DATASOURCE,
            gridPos: { x: (index % 2) * width, y: Math.floor(index / 2) * height, w: width, h: height },
            fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
            targets: panel.queries.map((q, i) => ({ refId: String.fromCharCode(65 + i), expr: q.expr, legendFormat: q.legend, datasource: DATASOURCE })),
        })),
    };
    return `${JSON.stringify(dashboard, null, 2)}\n`;
}
