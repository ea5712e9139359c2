// The committed stack diagrams are the current rendering of the plan (docs/diagrams/<stack>.mmd and
// the block in docs/architecture.md), and the dev diagram shows the design's shape.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import {
    applicationServices,
    DATABASE_PORT,
    GRAFANA_PORT,
    HTTP_PORT,
    HTTPS_PORT,
    PROMETHEUS_PORT,
    REDIS_PORT,
    serviceDefinitions,
} from "../../components/service/catalog";
import { sizes } from "../../components/shared/sizing";
import { diagramBlock, diagramFile, pageBlock, renderDiagram } from "../../tools/diagram";
import { pagePath, withBlock } from "../../tools/generated-page";
import { parseConfig } from "../../config";
import { readStackConfig } from "../../lib/stack-config";
import { projectDir, stackPlan } from "../helpers/plan";

const DIAGRAMMED_STACKS = ["dev", "staging", "prod"];
// The ports each edge carries, from their one source: the catalog, and dev's published ports from its config.
const { backend, frontend } = serviceDefinitions;
const dev = parseConfig("dev", readStackConfig(projectDir, "dev").config);

describe("stack diagrams", () => {
    for (const stack of DIAGRAMMED_STACKS) {
        it(`${stack}: docs/diagrams/${stack}.mmd and its block in docs/architecture.md are current (npm run diagram -- --stack ${stack} --write)`, async () => {
            const diagram = renderDiagram(await stackPlan(stack));
            assert.equal(fs.readFileSync(diagramFile(stack), "utf8"), diagram);
            const page = fs.readFileSync(pagePath(diagramBlock(stack)), "utf8");
            assert.equal(withBlock(diagramBlock(stack), page, pageBlock(stack, diagram)), page);
        });
    }

    describe("dev", () => {
        let edges: string[];
        let diagram: string;
        before(async () => {
            diagram = renderDiagram(await stackPlan("dev"));
            edges = diagram.split("\n").filter((l) => l.includes("->"));
        });

        it(`lets the Internet reach nginx alone, on the dev ports ${dev.httpPort} and ${dev.httpsPort} (Pulumi.dev.yaml)`, () => {
            assert.deepEqual(
                edges.filter((e) => e.trim().startsWith("internet ")),
                [`    internet -->|"${dev.httpPort}→${dev.httpPort}, ${dev.httpsPort}→${dev.httpsPort}"| nginx`],
            );
        });

        it("gives only the scraper outbound access", () => {
            assert.deepEqual(
                edges.filter((e) => e.endsWith("internet")),
                ['    playwright -.->|"network egress"| internet'],
            );
        });

        it("draws the calls between services, each with its port", () => {
            for (const edge of [
                `nginx -->|":${backend.port}"| backend`,
                `nginx -->|":${frontend.port}"| frontend`,
                `nginx -->|":${GRAFANA_PORT}"| grafana`,
                `backend -->|":${DATABASE_PORT}"| database`,
                `backend -->|":${REDIS_PORT}"| redis`,
                `ai_processor -->|":${DATABASE_PORT}"| database`,
                `backups -->|":${DATABASE_PORT}"| database`,
                `postgres_exporter -->|":${DATABASE_PORT}"| database`,
                `redis_exporter -->|":${REDIS_PORT}"| redis`,
                `grafana -->|":${PROMETHEUS_PORT}"| prometheus`,
                `prometheus -->|":${backend.port}"| backend`,
            ]) {
                assert.ok(edges.includes(`    ${edge}`), edge);
            }
            assert.ok(!edges.some((e) => /frontend -->.*(database|redis)/.test(e)), "the frontend reaches no data store");
        });

        it("labels each service with its development limits from the sizing table", () => {
            for (const service of ["backend", "frontend", "database", "redis"] as const) {
                const { memoryMb, cpus } = sizes.development[service];
                const label = `${service}<br/>${memoryMb} MiB · ${cpus} CPU`;
                assert.ok(diagram.includes(label), label);
            }
        });

        it("keeps the data on named volumes", () => {
            assert.ok(edges.includes('    database -.->|"/var/lib/postgresql/data"| volume_postgres_data'));
            assert.ok(edges.includes('    backups -.->|"/var/lib/postgresql"| volume_postgres_backups'));
            assert.ok(edges.includes('    redis -.->|"/data"| volume_redis_data'));
        });
    });

    for (const stack of ["staging", "prod"]) {
        describe(stack, () => {
            let edges: string[];
            before(async () => {
                edges = renderDiagram(await stackPlan(stack))
                    .split("\n")
                    .filter((l) => l.includes("->"))
                    .map((l) => l.trim());
            });

            it(`lets the Internet open connections to the load balancer alone, on ${HTTP_PORT} and ${HTTPS_PORT}, behind the WAF`, () => {
                assert.deepEqual(
                    edges.filter((e) => e.startsWith("internet ")),
                    [`internet -->|":${HTTP_PORT}, :${HTTPS_PORT}"| proxy_alb`],
                );
                assert.ok(edges.includes('proxy_waf -.->|"filters"| proxy_alb'));
            });

            it(`routes the load balancer to frontend :${frontend.port} and backend :${backend.port} only`, () => {
                assert.deepEqual(
                    edges.filter((e) => e.startsWith("proxy_alb ")),
                    [`proxy_alb -->|":${frontend.port}"| frontend`, `proxy_alb -->|":${backend.port}"| backend`],
                );
            });

            it(`opens PostgreSQL :${DATABASE_PORT} and Redis :${REDIS_PORT} to the catalog's data-holding services alone`, () => {
                const holders = applicationServices.filter((s) => serviceDefinitions[s].dataAccess);
                assert.ok(holders.includes("backend") && holders.includes("ai-processor"));
                assert.deepEqual(
                    edges.filter((e) => / (database_postgres|cache_redis)$/.test(e) && !e.includes("-.->")).sort(),
                    holders
                        .flatMap((s) => [
                            `${s.replace(/-/g, "_")} -->|":${DATABASE_PORT}"| database_postgres`,
                            `${s.replace(/-/g, "_")} -->|":${REDIS_PORT}"| cache_redis`,
                        ])
                        .sort(),
                );
                assert.ok(edges.includes('backups_plan -.->|"backs up"| database_postgres'));
            });

            it("gives only the scraper plain HTTP out, for the sites it researches", () => {
                assert.deepEqual(
                    edges.filter((e) => e.endsWith("| internet") && e.includes(`:${HTTP_PORT}`)),
                    [`playwright -.->|"out :${HTTP_PORT}, out :${HTTPS_PORT}"| internet`],
                );
            });
        });
    }
});
