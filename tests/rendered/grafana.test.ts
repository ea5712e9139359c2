// The dev stack's rendered Grafana provisioning: the data source, the dashboard provider and the
// dashboards it loads. Every panel query is parsed by real promtool (as recording rules).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { PROVISIONING_DIR } from "../../components/monitoring/grafana";
import { renderedPath } from "../../tools/render";
import { check, renderedDev, renderedText, requiredBinary, tempDir } from "./helpers";

interface Dashboard {
    uid: string;
    panels: { id: number; title: string; datasource: { uid: string }; targets: { expr: string; datasource: { uid: string } }[] }[];
}

describe("rendered Grafana provisioning (dev)", () => {
    let providerPath: string;
    let datasourceUid: string;
    let dashboards: Dashboard[];

    before(async () => {
        const provider = parse(await renderedText("grafana", `${PROVISIONING_DIR}/dashboards/osint-platform.yml`)) as {
            providers: { type: string; options: { path: string } }[];
        };
        assert.equal(provider.providers.length, 1);
        assert.equal(provider.providers[0].type, "file");
        providerPath = provider.providers[0].options.path;
        const datasources = parse(await renderedText("grafana", `${PROVISIONING_DIR}/datasources/prometheus.yml`)) as {
            datasources: { uid: string; url: string }[];
        };
        assert.equal(datasources.datasources[0].url, "http://prometheus:9090");
        datasourceUid = datasources.datasources[0].uid;
        const directory = renderedPath(await renderedDev(), "grafana", providerPath);
        dashboards = fs
            .readdirSync(directory)
            .filter((f) => f.endsWith(".json"))
            .map((f) => JSON.parse(fs.readFileSync(path.join(directory, f), "utf8")) as Dashboard);
    });

    it("uploads at least one dashboard where the provider loads them, each valid JSON with a unique uid", () => {
        assert.ok(dashboards.length >= 1);
        assert.equal(new Set(dashboards.map((d) => d.uid)).size, dashboards.length);
    });

    it("has panels for the design's metrics: response times, throughput, error rates, CPU, memory, database, Redis, backups", () => {
        const titles = dashboards.flatMap((d) => d.panels.map((p) => p.title));
        for (const wanted of [/response time/i, /throughput/i, /error rate/i, /cpu/i, /memory/i, /database/i, /redis/i, /backup/i, /authentication/i, /up/i]) {
            assert.ok(
                titles.some((t) => wanted.test(t)),
                `no panel matches ${wanted}: ${titles.join(", ")}`,
            );
        }
    });

    it("queries the provisioned Prometheus data source in every panel and target", () => {
        for (const panel of dashboards.flatMap((d) => d.panels)) {
            assert.equal(panel.datasource.uid, datasourceUid, panel.title);
            assert.ok(panel.targets.length > 0, panel.title);
            for (const target of panel.targets) assert.equal(target.datasource.uid, datasourceUid, panel.title);
        }
    });

    it("has only valid PromQL (promtool parses each query)", () => {
        const queries = dashboards.flatMap((d) => d.panels.flatMap((p) => p.targets.map((t) => t.expr)));
        const file = path.join(tempDir("grafana-queries"), "queries.yml");
        fs.writeFileSync(
            file,
            stringify({ groups: [{ name: "dashboard-queries", rules: queries.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] }),
        );
        assert.match(check(requiredBinary("promtool"), ["check", "rules", file]), new RegExp(`SUCCESS: ${queries.length} rules found`));
    });
});
