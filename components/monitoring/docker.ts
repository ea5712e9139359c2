import * as pulumi from "@pulumi/pulumi";
import { BACKUP_METRICS_SERVICE } from "../backups/docker";
import * as random from "@pulumi/random";
import { dockerAttachment } from "../network";
import { SECRETS_DIR, hardenedContainer, namedVolume, pinnedImage } from "../docker/container";
import { thirdPartyImages } from "../shared/images";
import type { SizedWorkload } from "../shared/sizing";
import { POSTGRES_JOB, renderAlertRules, type LimitedJob } from "./alerts";
import { DASHBOARDS_DIR, PROVISIONING_DIR, renderDashboardProvider, renderDatasources, renderOverviewDashboard } from "./grafana";
import type { MonitoringArgs, MonitoringEndpoint } from "./index";
import { CONFIG_PATH as PROMETHEUS_CONFIG_PATH, RULES_DIR, renderPrometheusConfig, type ScrapeTarget } from "./prometheus";
import { wgetProbe } from "../shared/probes";
import { BACKUP_METRICS_PORT, GRAFANA_PORT, POSTGRES_EXPORTER_PORT, PROMETHEUS_PORT, REDIS_EXPORTER_PORT } from "../service/catalog";

export function dockerMonitoring(name: string, args: MonitoringArgs, parent: pulumi.ComponentResource): MonitoringEndpoint {
    const networks = dockerAttachment(args.network, "osint:observability:Monitoring");

    const postgresExporterImage = pinnedImage(`${name}-postgres-exporter-image`, thirdPartyImages.postgresExporter.reference, parent);
    hardenedContainer(
        `${name}-postgres-exporter`,
        {
            service: "postgres-exporter",
            image: postgresExporterImage.imageId,
            user: thirdPartyImages.postgresExporter.user,
            size: args.sizes["postgres-exporter"],
            networks,
            env: {
                DATA_SOURCE_URI: pulumi.interpolate`${args.database.host}:${args.database.port}/${args.database.name}?sslmode=disable`,
                DATA_SOURCE_USER: args.database.user,
                DATA_SOURCE_PASS_FILE: `${SECRETS_DIR}/${args.database.passwordFile.name}`,
            },
            secretFiles: [args.database.passwordFile],
            healthcheck: wgetProbe(POSTGRES_EXPORTER_PORT, "/metrics"),
        },
        parent,
    );

    const redisAddress = pulumi.interpolate`redis://${args.cache.host}:${args.cache.port}`;
    const redisExporterImage = pinnedImage(`${name}-redis-exporter-image`, thirdPartyImages.redisExporter.reference, parent);
    hardenedContainer(
        `${name}-redis-exporter`,
        {
            service: "redis-exporter",
            image: redisExporterImage.imageId,
            user: thirdPartyImages.redisExporter.user,
            size: args.sizes["redis-exporter"],
            networks,
            // The exporter's password file maps each Redis address to its password.
            command: [pulumi.interpolate`--redis.addr=${redisAddress}`, `--redis.password-file=${SECRETS_DIR}/redis_passwords.json`],
            secretFiles: [
                {
                    name: "redis_passwords.json",
                    content: pulumi.all([redisAddress, args.cache.password]).apply(([address, p]) => JSON.stringify({ [address]: p })),
                },
            ],
            healthcheck: wgetProbe(REDIS_EXPORTER_PORT, "/health"),
        },
        parent,
    );

    const targets: ScrapeTarget[] = [
        { job: "prometheus", address: `localhost:${PROMETHEUS_PORT}` },
        ...args.applicationTargets,
        { job: POSTGRES_JOB, address: `postgres-exporter:${POSTGRES_EXPORTER_PORT}` },
        { job: "redis", address: `redis-exporter:${REDIS_EXPORTER_PORT}` },
        { job: BACKUP_METRICS_SERVICE, address: `${BACKUP_METRICS_SERVICE}:${BACKUP_METRICS_PORT}` },
        ...(args.grafana ? [{ job: "grafana", address: `grafana:${GRAFANA_PORT}` }] : []),
    ];
    // Scrape jobs whose process metrics describe a container of known size (the exporters' jobs
    // are named after what they watch; their processes are the exporter containers).
    const containerOfJob: Record<string, SizedWorkload> = { [POSTGRES_JOB]: "postgres-exporter", redis: "redis-exporter" };
    const limitedJobs: LimitedJob[] = targets.flatMap(({ job }) => {
        const workload = containerOfJob[job] ?? (job in args.sizes ? (job as SizedWorkload) : undefined);
        return workload ? [{ job, size: args.sizes[workload] }] : [];
    });
    const prometheusImage = pinnedImage(`${name}-prometheus-image`, thirdPartyImages.prometheus.reference, parent);
    const prometheusData = namedVolume(`${name}-prometheus-data`, "prometheus_data", parent);
    hardenedContainer(
        `${name}-prometheus`,
        {
            service: "prometheus",
            image: prometheusImage.imageId,
            user: thirdPartyImages.prometheus.user,
            size: args.sizes.prometheus,
            networks,
            command: [`--config.file=${PROMETHEUS_CONFIG_PATH}`, "--storage.tsdb.path=/prometheus", `--storage.tsdb.retention.time=${args.retentionDays}d`],
            configFiles: [
                { path: PROMETHEUS_CONFIG_PATH, content: renderPrometheusConfig(targets) },
                { path: `${RULES_DIR}/alerts.yml`, content: renderAlertRules(limitedJobs) },
            ],
            volumes: [{ volume: prometheusData, containerPath: "/prometheus" }],
            healthcheck: wgetProbe(PROMETHEUS_PORT, "/-/healthy"),
        },
        parent,
    );

    if (!args.grafana) return {};
    const adminPassword = pulumi.secret(new random.RandomPassword(`${name}-grafana-admin-password`, { length: 24, special: false }, { parent }).result);
    const grafanaImage = pinnedImage(`${name}-grafana-image`, thirdPartyImages.grafana.reference, parent);
    const grafanaData = namedVolume(`${name}-grafana-data`, "grafana_data", parent);
    hardenedContainer(
        `${name}-grafana`,
        {
            service: "grafana",
            image: grafanaImage.imageId,
            user: thirdPartyImages.grafana.user,
            size: args.sizes.grafana,
            networks,
            env: {
                GF_PATHS_PROVISIONING: PROVISIONING_DIR,
                GF_SECURITY_ADMIN_USER: "admin",
                GF_SECURITY_ADMIN_PASSWORD__FILE: `${SECRETS_DIR}/grafana_admin_password`,
                GF_SERVER_ROOT_URL: "%(protocol)s://%(domain)s/grafana/",
                GF_SERVER_SERVE_FROM_SUB_PATH: "true",
                GF_USERS_ALLOW_SIGN_UP: "false",
                GF_ANALYTICS_REPORTING_ENABLED: "false",
                GF_LOG_MODE: "console",
                GF_LOG_CONSOLE_FORMAT: "json",
            },
            secretFiles: [{ name: "grafana_admin_password", content: adminPassword }],
            configFiles: [
                { path: `${PROVISIONING_DIR}/datasources/prometheus.yml`, content: renderDatasources(`http://prometheus:${PROMETHEUS_PORT}`) },
                { path: `${PROVISIONING_DIR}/dashboards/osint-platform.yml`, content: renderDashboardProvider() },
                { path: `${DASHBOARDS_DIR}/overview.json`, content: renderOverviewDashboard() },
            ],
            volumes: [{ volume: grafanaData, containerPath: "/var/lib/grafana" }],
            healthcheck: wgetProbe(GRAFANA_PORT, "/api/health"),
        },
        parent,
    );
    return { grafanaAdminPassword: adminPassword, grafanaUpstream: { host: "grafana", port: GRAFANA_PORT } };
}
