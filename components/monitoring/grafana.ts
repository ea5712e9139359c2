// Grafana provisioning: the Prometheus data source, provisioned read-only.
import { stringify } from "yaml";

export function renderDatasources(prometheusUrl: string): string {
    return stringify({
        apiVersion: 1,
        datasources: [{ name: "Prometheus", uid: "prometheus", type: "prometheus", access: "proxy", url: prometheusUrl, isDefault: true, editable: false }],
    });
}
