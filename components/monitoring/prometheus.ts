// prometheus.yml: what the monitoring stack scrapes.
import { toYaml } from "./yaml";
import { CONFIG_ROOT } from "../docker/container";

export interface ScrapeTarget {
    readonly job: string;
    readonly address: string;
    readonly metricsPath?: string;
}

export const SCRAPE_INTERVAL = "15s";
// Under /etc/osint (a volume), not the image's /etc/prometheus: the root file system stays read-only.
export const CONFIG_PATH = `${CONFIG_ROOT}/prometheus/prometheus.yml`;
export const RULES_DIR = `${CONFIG_ROOT}/prometheus/rules`;
export const RULES_PATH = `${RULES_DIR}/*.yml`;

export function renderPrometheusConfig(targets: readonly ScrapeTarget[]): string {
    return toYaml({
        global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
        rule_files: [RULES_PATH],
        scrape_configs: targets.map((t) => ({
            job_name: t.job,
            metrics_path: t.metricsPath ?? "/metrics",
            static_configs: [{ targets: [t.address] }],
        })),
    });
}
