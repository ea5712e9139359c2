// The committed stack diagrams are the current rendering of the plan (docs/diagrams/<stack>.mmd and
// the block in docs/architecture.md), and the dev diagram shows the design's shape.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { applicationServices, serviceDefinitions } from "../../components/service/catalog";
import { sizes } from "../../components/shared/sizing";
import { diagramBlock, diagramFile, pageBlock, renderDiagram } from "../../tools/diagram";
import { pagePath, withBlock } from "../../tools/generated-page";
import { stackPlan } from "../helpers/plan";

const DIAGRAMMED_STACKS = ["dev", "staging", "prod"];

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

        it("lets the Internet reach nginx alone, on the dev ports 8080 and 8443", () => {
            assert.deepEqual(
                edges.filter((e) => e.trim().startsWith("internet ")),
                ['    internet -->|"8080→8080, 8443→8443"| nginx'],
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
                'nginx -->|":8000"| backend',
                'nginx -->|":3000"| frontend',
                'nginx -->|":3000"| grafana',
                'backend -->|":5432"| database',
                'backend -->|":6379"| redis',
                'ai_processor -->|":5432"| database',
                'backups -->|":5432"| database',
                'postgres_exporter -->|":5432"| database',
                'redis_exporter -->|":6379"| redis',
                'grafana -->|":9090"| prometheus',
                'prometheus -->|":8000"| backend',
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

            it("lets the Internet open connections to the load balancer alone, on 80 and 443, behind the WAF", () => {
                assert.deepEqual(
                    edges.filter((e) => e.startsWith("internet ")),
                    ['internet -->|":80, :443"| proxy_alb'],
                );
                assert.ok(edges.includes('proxy_waf -.->|"filters"| proxy_alb'));
            });

            it("routes the load balancer to frontend :3000 and backend :8000 only", () => {
                assert.deepEqual(
                    edges.filter((e) => e.startsWith("proxy_alb ")),
                    ['proxy_alb -->|":3000"| frontend', 'proxy_alb -->|":8000"| backend'],
                );
            });

            it("opens PostgreSQL :5432 and Redis :6379 to the catalog's data-holding services alone (backend and ai-processor)", () => {
                const holders = applicationServices.filter((s) => serviceDefinitions[s].dataAccess);
                assert.ok(holders.includes("backend") && holders.includes("ai-processor"));
                assert.deepEqual(
                    edges.filter((e) => / (database_postgres|cache_redis)$/.test(e) && !e.includes("-.->")).sort(),
                    holders
                        .flatMap((s) => [`${s.replace(/-/g, "_")} -->|":5432"| database_postgres`, `${s.replace(/-/g, "_")} -->|":6379"| cache_redis`])
                        .sort(),
                );
                assert.ok(edges.includes('backups_plan -.->|"backs up"| database_postgres'));
            });

            it("gives only the scraper plain HTTP out, for the sites it researches", () => {
                assert.deepEqual(
                    edges.filter((e) => e.endsWith("| internet") && e.includes(":80")),
                    ['playwright -.->|"out :80, out :443"| internet'],
                );
            });
        });
    }
});
