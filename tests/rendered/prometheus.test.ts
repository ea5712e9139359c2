// The dev stack's rendered Prometheus config and alert rules, checked by real promtool, and a
// `promtool test rules` unit test per alert: it fires on unhealthy input (not before its `for`),
// and stays silent on healthy input.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { RESOURCE_USAGE_RATIO } from "../../components/monitoring/alerts";
import { sizes } from "../../components/shared/sizing";
import { CONFIG_PATH, RULES_DIR } from "../../components/monitoring/prometheus";
import { renderedPath } from "../../tools/render";
import { check, renderedDev, renderedText, requiredBinary, substitute, tempDir } from "./helpers";

const RULES_FILE = `${RULES_DIR}/alerts.yml`;

interface Case {
    /** Input series: `series` → promtool expanding notation, one sample a minute. */
    readonly unhealthy: Record<string, string>;
    readonly healthy: Record<string, string>;
    /** When the alert must fire, and an earlier time (inside its `for`) when it must not yet. */
    readonly firesAt: string;
    readonly notYetAt?: string;
    readonly labels: Record<string, string>;
    /** Other failure modes the alert must fire on too (at firesAt), each with the labels it fires with. */
    readonly alsoUnhealthy?: readonly { readonly input: Record<string, string>; readonly labels: Record<string, string> }[];
    readonly summary: string;
    /** Sample and evaluation interval; long windows use a coarser one to stay fast. */
    readonly interval?: string;
}

// Numbers from the design and the dev sizes (the sizing table, read here, never copied), backups daily.
const MiB = 1024 * 1024;
const backend = sizes.development.backend;
// Halfway between the alert's threshold and the limit, and well under the threshold.
const hotMemoryMb = Math.ceil((backend.memoryMb * (1 + RESOURCE_USAGE_RATIO)) / 2);
const coolMemoryMb = Math.floor(backend.memoryMb * RESOURCE_USAGE_RATIO * 0.8);

/** Prometheus's humanize1024 template function: %.4g with a binary prefix. */
function humanize1024(value: number): string {
    const prefixes = ["", "ki", "Mi", "Gi", "Ti"];
    let i = 0;
    while (Math.abs(value) >= 1024 && i < prefixes.length - 1) {
        value /= 1024;
        i++;
    }
    return `${Number(value.toPrecision(4))}${prefixes[i]}`;
}
const cases: Record<string, Case> = {
    ResponseTimeDegraded: {
        // Every request between 1 s and 2.5 s, versus every request under 0.5 s.
        unhealthy: {
            'http_request_duration_seconds_bucket{job="backend",le="0.5"}': "0x30",
            'http_request_duration_seconds_bucket{job="backend",le="1"}': "0x30",
            'http_request_duration_seconds_bucket{job="backend",le="2.5"}': "0+60x30",
            'http_request_duration_seconds_bucket{job="backend",le="+Inf"}': "0+60x30",
        },
        healthy: {
            'http_request_duration_seconds_bucket{job="backend",le="0.5"}': "0+60x30",
            'http_request_duration_seconds_bucket{job="backend",le="1"}': "0+60x30",
            'http_request_duration_seconds_bucket{job="backend",le="2.5"}': "0+60x30",
            'http_request_duration_seconds_bucket{job="backend",le="+Inf"}': "0+60x30",
        },
        firesAt: "15m",
        notYetAt: "8m",
        labels: { job: "backend", severity: "warning" },
        summary: "backend: 95th percentile response time above 1 s",
    },
    ErrorRateHigh: {
        // 10% versus 1% of requests failing with 5xx (the instrumentator's grouped "5xx" label).
        unhealthy: { 'http_requests_total{job="backend",status="2xx"}': "0+540x30", 'http_requests_total{job="backend",status="5xx"}': "0+60x30" },
        healthy: { 'http_requests_total{job="backend",status="2xx"}': "0+594x30", 'http_requests_total{job="backend",status="5xx"}': "0+6x30" },
        firesAt: "10m",
        notYetAt: "4m",
        labels: { job: "backend", severity: "critical" },
        summary: "backend: more than 5% of requests fail with 5xx",
    },
    ContainerDown: {
        unhealthy: { 'up{job="backend",instance="backend:8000"}': "0x10" },
        healthy: { 'up{job="backend",instance="backend:8000"}': "1x10" },
        firesAt: "3m",
        notYetAt: "1m",
        labels: { job: "backend", instance: "backend:8000", severity: "critical" },
        summary: "backend at backend:8000 is not answering scrapes",
    },
    DatabaseDown: {
        unhealthy: { 'pg_up{job="postgres"}': "0x10" },
        healthy: {
            'pg_up{job="postgres"}': "1x10",
            'pg_exporter_last_scrape_error{job="postgres"}': "0x10",
            'up{job="postgres",instance="postgres-exporter:9187"}': "1x10",
        },
        firesAt: "3m",
        notYetAt: "1m",
        labels: { job: "postgres", severity: "critical" },
        alsoUnhealthy: [
            // postgres_exporter v0.16.0 keeping pg_up at 1 while its connection fails (prometheus-community/postgres_exporter#1120).
            {
                input: { 'pg_up{job="postgres"}': "1x10", 'pg_exporter_last_scrape_error{job="postgres"}': "1x10" },
                labels: { job: "postgres", severity: "critical" },
            },
            // The scrape itself failing (the stopped database's name outlasting the scrape timeout): up, and no pg_ series.
            {
                input: { 'up{job="postgres",instance="postgres-exporter:9187"}': "0x10" },
                labels: { job: "postgres", instance: "postgres-exporter:9187", severity: "critical" },
            },
        ],
        summary: "PostgreSQL is unreachable from its exporter",
    },
    CacheDown: {
        unhealthy: { 'redis_up{job="redis"}': "0x10" },
        healthy: { 'redis_up{job="redis"}': "1x10" },
        firesAt: "3m",
        notYetAt: "1m",
        labels: { job: "redis", severity: "critical" },
        summary: "Redis is unreachable from its exporter",
    },
    DatabaseConnectionsExhausted: {
        // 85 versus 50 of the dev max_connections of 100.
        unhealthy: { 'pg_stat_activity_count{datname="osint_platform",state="active"}': "85x10", pg_settings_max_connections: "100x10" },
        healthy: { 'pg_stat_activity_count{datname="osint_platform",state="active"}': "50x10", pg_settings_max_connections: "100x10" },
        firesAt: "6m",
        notYetAt: "4m",
        labels: { severity: "warning" },
        summary: "PostgreSQL uses over 80% of max_connections",
    },
    CacheRefusingWrites: {
        unhealthy: { 'redis_errors_total{job="redis",err="OOM"}': "0 0 3 5 5 5" },
        healthy: { 'redis_errors_total{job="redis",err="WRONGTYPE"}': "0 0 3 5 5 5" },
        firesAt: "3m",
        labels: { job: "redis", err: "OOM", severity: "critical" },
        summary: "Redis refuses writes: maxmemory is full of keys without a TTL",
    },
    MemoryNearLimit: {
        unhealthy: { 'process_resident_memory_bytes{job="backend"}': `${hotMemoryMb * MiB}x10` },
        healthy: { 'process_resident_memory_bytes{job="backend"}': `${coolMemoryMb * MiB}x10` },
        firesAt: "6m",
        notYetAt: "4m",
        labels: { job: "backend", severity: "warning" },
        summary: `backend uses ${humanize1024(hotMemoryMb * MiB)}B, over ${RESOURCE_USAGE_RATIO * 100}% of its memory limit`,
    },
    CpuNearLimit: {
        // All of the backend's CPU limit versus 40% of it, in CPU-seconds per one-minute sample.
        unhealthy: { 'process_cpu_seconds_total{job="backend"}': `0+${backend.cpus * 60}x20` },
        healthy: { 'process_cpu_seconds_total{job="backend"}': `0+${backend.cpus * 60 * 0.4}x20` },
        firesAt: "15m",
        notYetAt: "8m",
        labels: { job: "backend", severity: "warning" },
        summary: `backend uses ${backend.cpus.toFixed(2)} CPU, over ${RESOURCE_USAGE_RATIO * 100}% of its limit`,
    },
    AuthenticationFailures: {
        // 30 versus 10 failed logins in five minutes.
        unhealthy: { 'http_requests_total{job="backend",status="401"}': "0+6x10" },
        healthy: { 'http_requests_total{job="backend",status="401"}': "0+2x10" },
        firesAt: "6m",
        labels: { job: "backend", severity: "warning" },
        summary: "backend: more than 20 failed authentications in 5 minutes",
    },
    CacheAuthenticationFailures: {
        unhealthy: { 'redis_errors_total{job="redis",err="WRONGPASS"}': "0+2x10" },
        healthy: { 'redis_errors_total{job="redis",err="WRONGPASS"}': "0x10" },
        firesAt: "6m",
        labels: { severity: "critical" },
        summary: "Redis saw more than 5 failed authentications in 5 minutes",
    },
    BackupFailed: {
        // The last success stays at t=0: 26 h later it is overdue. Healthy: another success after a day.
        unhealthy: { [`osint_backup_last_success_timestamp_seconds{job="backups"}`]: "0x160" },
        healthy: { [`osint_backup_last_success_timestamp_seconds{job="backups"}`]: "0x143 86400x16" },
        firesAt: "1570m",
        notYetAt: "1550m",
        interval: "10m",
        labels: { job: "backups", severity: "critical" },
        summary: "No successful database backup for more than 26 hours",
    },
    BackupMetricMissing: {
        unhealthy: {},
        healthy: { [`osint_backup_last_success_timestamp_seconds{job="backups"}`]: "0x90" },
        firesAt: "61m",
        notYetAt: "59m",
        labels: { severity: "critical" },
        summary: "The backup job reports no successful backup at all",
    },
};

function seriesOf(input: Record<string, string>): { series: string; values: string }[] {
    return Object.entries(input).map(([series, values]) => ({ series, values }));
}

function unitTests(alert: string, c: Case, rulesFile: string): string {
    const expected = [{ exp_labels: c.labels, exp_annotations: { summary: c.summary } }];
    const at = (time: string, exp: unknown[]) => ({ eval_time: time, alertname: alert, exp_alerts: exp });
    const interval = c.interval ?? "1m";
    return stringify({
        rule_files: [rulesFile],
        evaluation_interval: interval,
        tests: [
            { interval, input_series: seriesOf(c.unhealthy), alert_rule_test: [at(c.firesAt, expected), ...(c.notYetAt ? [at(c.notYetAt, [])] : [])] },
            { interval, input_series: seriesOf(c.healthy), alert_rule_test: [at(c.firesAt, [])] },
            ...(c.alsoUnhealthy ?? []).map((other) => ({
                interval,
                input_series: seriesOf(other.input),
                alert_rule_test: [at(c.firesAt, [{ exp_labels: other.labels, exp_annotations: { summary: c.summary } }])],
            })),
        ],
    });
}

describe("rendered Prometheus config and alert rules (dev) in real promtool", function () {
    const promtool = requiredBinary("promtool");
    let rulesFile: string;
    let alertNames: string[];

    before(async () => {
        rulesFile = renderedPath(await renderedDev(), "prometheus", RULES_FILE);
        alertNames = (parse(fs.readFileSync(rulesFile, "utf8")) as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) =>
            g.rules.map((r) => r.alert),
        );
    });

    it("passes promtool check config, with the rules file it uploads found by its rule_files glob", async () => {
        const dir = tempDir("prometheus");
        const renderedRules = path.dirname(rulesFile);
        const config = substitute(await renderedText("prometheus", CONFIG_PATH), [{ from: `${RULES_DIR}/`, to: `${renderedRules}/`, count: 1 }]);
        fs.writeFileSync(path.join(dir, "prometheus.yml"), config);
        const output = check(promtool, ["check", "config", path.join(dir, "prometheus.yml")]);
        assert.match(output, /SUCCESS: 1 rule files found/);
        assert.match(output, new RegExp(`SUCCESS: ${alertNames.length} rules found`));
    });

    it("passes promtool check rules", () => {
        assert.match(check(promtool, ["check", "rules", rulesFile]), new RegExp(`SUCCESS: ${alertNames.length} rules found`));
    });

    it("covers the design's alerts and every alert has a unit test", () => {
        // Design, "Alerting System": response time, error rate, container failures, resource exhaustion,
        // authentication failures; "Monitoring: backup validation".
        for (const alert of [
            "ResponseTimeDegraded",
            "ErrorRateHigh",
            "ContainerDown",
            "MemoryNearLimit",
            "CpuNearLimit",
            "AuthenticationFailures",
            "BackupFailed",
        ]) {
            assert.ok(alertNames.includes(alert), alert);
        }
        assert.deepEqual([...new Set(alertNames)].sort(), Object.keys(cases).sort());
    });

    for (const [alert, c] of Object.entries(cases)) {
        it(`${alert}: fires on unhealthy input${c.notYetAt ? ` (not before ${c.notYetAt})` : ""} and stays silent on healthy input`, () => {
            const file = path.join(tempDir("promtool-test"), `${alert}.yml`);
            fs.writeFileSync(file, unitTests(alert, c, rulesFile));
            assert.match(check(promtool, ["test", "rules", file]), /SUCCESS/);
        });
    }
});
