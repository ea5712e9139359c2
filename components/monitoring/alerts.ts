// Prometheus alert rules for the design's alerts ("Alerting System"): response-time degradation,
// error-rate spikes, container failures, resource exhaustion, authentication failures and backup
// failures. Every metric is one a scraped target exports:
// - application services (FastAPI with prometheus-fastapi-instrumentator, the README's image contract):
//   http_request_duration_seconds (histogram), http_requests_total{status}, and the client library's
//   process_resident_memory_bytes / process_cpu_seconds_total;
// - postgres-exporter: pg_up, pg_exporter_last_scrape_error, pg_stat_activity_count, pg_settings_max_connections;
// - redis-exporter: redis_up, redis_errors_total{err} (Redis INFO errorstats);
// - Prometheus itself: up;
// - the backup job: osint_backup_last_success_timestamp_seconds (BACKUP_METRIC, published through
//   the backup-metrics textfile exporter).
import { toYaml } from "./yaml";
import { BACKUP_METRIC } from "../backups/backup-script";
import type { Size } from "../shared/sizing";

export const RESPONSE_TIME_P95_SECONDS = 1;
export const ERROR_RATIO = 0.05;
export const DOWN_FOR = "2m";
/** The scrape job of the PostgreSQL exporter, which DatabaseDown reads. */
export const POSTGRES_JOB = "postgres";
export const RESOURCE_USAGE_RATIO = 0.9;
export const DATABASE_CONNECTION_RATIO = 0.8;
export const AUTH_FAILURES_PER_5M = 20;
export const REDIS_AUTH_FAILURES_PER_5M = 5;
/** The backup runs daily; two hours of slack before a missed run counts as a failure. */
export const BACKUP_MAX_AGE_SECONDS = 26 * 3600;

/** A scrape job whose process limits are known, so its memory and CPU can be compared with them. */
export interface LimitedJob {
    readonly job: string;
    readonly size: Size;
}

interface Rule {
    readonly alert: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels: { readonly severity: "warning" | "critical" };
    readonly annotations: { readonly summary: string };
}

function rule(alert: string, expr: string, duration: string | undefined, severity: "warning" | "critical", summary: string): Rule {
    return { alert, expr, ...(duration ? { for: duration } : {}), labels: { severity }, annotations: { summary } };
}

// One rule per resource, each job compared with its own limit (one rule per job would be duplicates
// to Prometheus: same alert name and labels).
function resourceRules(jobs: readonly LimitedJob[]): Rule[] {
    const union = (term: (job: LimitedJob) => string) => jobs.map(term).join(" or ");
    return [
        rule(
            "MemoryNearLimit",
            union(({ job, size }) => `process_resident_memory_bytes{job="${job}"} > ${RESOURCE_USAGE_RATIO} * ${size.memoryMb * 1024 * 1024}`),
            "5m",
            "warning",
            `{{ $labels.job }} uses {{ $value | humanize1024 }}B, over ${RESOURCE_USAGE_RATIO * 100}% of its memory limit`,
        ),
        rule(
            "CpuNearLimit",
            union(({ job, size }) => `rate(process_cpu_seconds_total{job="${job}"}[5m]) > ${RESOURCE_USAGE_RATIO} * ${size.cpus}`),
            "10m",
            "warning",
            `{{ $labels.job }} uses {{ $value | printf "%.2f" }} CPU, over ${RESOURCE_USAGE_RATIO * 100}% of its limit`,
        ),
    ];
}

export function renderAlertRules(limitedJobs: readonly LimitedJob[]): string {
    return toYaml({
        groups: [
            {
                name: "performance",
                rules: [
                    rule(
                        "ResponseTimeDegraded",
                        `histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m]))) > ${RESPONSE_TIME_P95_SECONDS}`,
                        "10m",
                        "warning",
                        `{{ $labels.job }}: 95th percentile response time above ${RESPONSE_TIME_P95_SECONDS} s`,
                    ),
                    rule(
                        "ErrorRateHigh",
                        `sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > ${ERROR_RATIO}`,
                        "5m",
                        "critical",
                        `{{ $labels.job }}: more than ${ERROR_RATIO * 100}% of requests fail with 5xx`,
                    ),
                ],
            },
            {
                name: "infrastructure",
                rules: [
                    rule("ContainerDown", "up == 0", DOWN_FOR, "critical", "{{ $labels.job }} at {{ $labels.instance }} is not answering scrapes"),
                    // pg_up alone misses real outages: postgres_exporter v0.16.0 can keep pg_up at 1 while its
                    // connection fails (prometheus-community/postgres_exporter#1120, pg_exporter_last_scrape_error
                    // is 1 then), and when a stopped container's name takes longer to fail than the scrape timeout,
                    // the scrape itself fails (up == 0) and no pg_ series is fresh.
                    rule(
                        "DatabaseDown",
                        `pg_up == 0 or pg_exporter_last_scrape_error == 1 or up{job="${POSTGRES_JOB}"} == 0`,
                        DOWN_FOR,
                        "critical",
                        "PostgreSQL is unreachable from its exporter",
                    ),
                    rule("CacheDown", "redis_up == 0", DOWN_FOR, "critical", "Redis is unreachable from its exporter"),
                    rule(
                        "DatabaseConnectionsExhausted",
                        `sum(pg_stat_activity_count) / max(pg_settings_max_connections) > ${DATABASE_CONNECTION_RATIO}`,
                        "5m",
                        "warning",
                        `PostgreSQL uses over ${DATABASE_CONNECTION_RATIO * 100}% of max_connections`,
                    ),
                    // With volatile-lru a full cache is normal; refused writes mean only queue data is left.
                    rule(
                        "CacheRefusingWrites",
                        'increase(redis_errors_total{err="OOM"}[5m]) > 0',
                        undefined,
                        "critical",
                        "Redis refuses writes: maxmemory is full of keys without a TTL",
                    ),
                    ...resourceRules(limitedJobs),
                ],
            },
            {
                name: "security",
                rules: [
                    rule(
                        "AuthenticationFailures",
                        `sum by (job) (increase(http_requests_total{status="401"}[5m])) > ${AUTH_FAILURES_PER_5M}`,
                        undefined,
                        "warning",
                        `{{ $labels.job }}: more than ${AUTH_FAILURES_PER_5M} failed authentications in 5 minutes`,
                    ),
                    rule(
                        "CacheAuthenticationFailures",
                        `sum(increase(redis_errors_total{err=~"WRONGPASS|NOAUTH"}[5m])) > ${REDIS_AUTH_FAILURES_PER_5M}`,
                        undefined,
                        "critical",
                        `Redis saw more than ${REDIS_AUTH_FAILURES_PER_5M} failed authentications in 5 minutes`,
                    ),
                ],
            },
            {
                name: "backups",
                rules: [
                    rule(
                        "BackupFailed",
                        `time() - ${BACKUP_METRIC} > ${BACKUP_MAX_AGE_SECONDS}`,
                        undefined,
                        "critical",
                        `No successful database backup for more than ${BACKUP_MAX_AGE_SECONDS / 3600} hours`,
                    ),
                    rule("BackupMetricMissing", `absent(${BACKUP_METRIC})`, "1h", "critical", "The backup job reports no successful backup at all"),
                ],
            },
        ],
    });
}
