// Memory and CPU per service and environment. Development and production numbers are the design's
// (environment-architecture.md, "Resource Allocation"); the rest carry the reason for their size.
import type { Environment } from "../../config";
import { SourceError } from "../../lib/file-problems";
import { type ApplicationService, applicationServices } from "../service/catalog";

export interface Size {
    /** Hard memory limit in MiB. */
    readonly memoryMb: number;
    /** CPU limit in cores (vCPU on AWS). */
    readonly cpus: number;
}

// Every application service of the catalog has a size: a service added to
// components/service/catalog.ts without a row in each table below is a type error.
export type SizedWorkload =
    ApplicationService | "database" | "redis" | "nginx" | "prometheus" | "grafana" | "postgres-exporter" | "redis-exporter" | "backups" | "backup-metrics";

// Workloads the design leaves unsized, with the reason for the number chosen:
// - playwright: one headless Chromium with a few contexts needs 300-600 MiB; 1 GiB leaves headroom.
// - ai-processor: an entity-extraction model held in memory (spaCy/transformers class) is 0.5-1 GiB.
// - nginx: a few workers and small buffers stay under 30 MiB.
// - prometheus: ~12 targets at a 15 s interval for the retention window fit in 512 MiB.
// - grafana: a single-user dev instance runs in ~100 MiB.
// - exporters: Go binaries under 20 MiB each.
// - backups: pg_dump streams; 256 MiB covers compression buffers.
// - backup-metrics: node_exporter with only its textfile collector, under 20 MiB.
const development = {
    backend: { memoryMb: 512, cpus: 0.5 },
    frontend: { memoryMb: 256, cpus: 0.25 },
    database: { memoryMb: 1024, cpus: 1 },
    redis: { memoryMb: 128, cpus: 0.25 },
    playwright: { memoryMb: 1024, cpus: 1 },
    "ai-processor": { memoryMb: 1024, cpus: 1 },
    nginx: { memoryMb: 64, cpus: 0.25 },
    prometheus: { memoryMb: 512, cpus: 0.5 },
    grafana: { memoryMb: 256, cpus: 0.25 },
    "postgres-exporter": { memoryMb: 64, cpus: 0.1 },
    "redis-exporter": { memoryMb: 64, cpus: 0.1 },
    backups: { memoryMb: 256, cpus: 0.25 },
    "backup-metrics": { memoryMb: 64, cpus: 0.1 },
} satisfies Record<SizedWorkload, Size>;

// Production per the design; staging mirrors production's shape at half the application size.
const production = {
    ...development,
    backend: { memoryMb: 2048, cpus: 1 },
    frontend: { memoryMb: 512, cpus: 0.5 },
    database: { memoryMb: 8192, cpus: 4 },
    redis: { memoryMb: 1024, cpus: 0.5 },
    playwright: { memoryMb: 4096, cpus: 2 },
    "ai-processor": { memoryMb: 4096, cpus: 2 },
} satisfies Record<SizedWorkload, Size>;

const staging = {
    ...production,
    backend: { memoryMb: 1024, cpus: 0.5 },
    frontend: { memoryMb: 512, cpus: 0.25 },
    database: { memoryMb: 4096, cpus: 2 },
    redis: { memoryMb: 512, cpus: 0.25 },
    playwright: { memoryMb: 2048, cpus: 1 },
    "ai-processor": { memoryMb: 2048, cpus: 1 },
} satisfies Record<SizedWorkload, Size>;

export const SIZING_FILE = "components/shared/sizing.ts";

/**
 * The services of `catalog` without a size in some environment, as an error naming this file and
 * the key to add; undefined when every one has a size. The type system catches this at
 * `npm run typecheck`; this check catches it when the program runs untyped (sucrase, as under
 * `pulumi up` and `npm run plan`), where it is the user's edit to finish (exit 2), not a bug.
 */
export function missingSizes(
    tables: Readonly<Record<string, Readonly<Record<string, Size | undefined>>>>,
    catalog: readonly string[],
): SourceError | undefined {
    const unsized = catalog.filter((s) => Object.values(tables).some((table) => !table[s]));
    if (unsized.length === 0) return undefined;
    const where = (service: string) =>
        `${service} (${Object.keys(tables)
            .filter((e) => !tables[e][service])
            .join(", ")})`;
    const keys = unsized.map((s) => JSON.stringify(s)).join(", ");
    return new SourceError(
        SIZING_FILE,
        unsized[0],
        `no size for ${unsized.map(where).join(", ")}: add the key ${keys} ({ memoryMb, cpus }) to its development table, and to production and staging where they differ; every service of components/service/catalog.ts needs one`,
    );
}

const missing = missingSizes({ development, staging, production }, applicationServices);
if (missing) throw missing;

export const sizes: Readonly<Record<Environment, Readonly<Record<SizedWorkload, Size>>>> = { development, staging, production };
