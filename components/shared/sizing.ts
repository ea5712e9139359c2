// Memory and CPU per service and environment. Development and production numbers are the design's
// (environment-architecture.md, "Resource Allocation"); the rest carry the reason for their size.
import type { Environment } from "../../config";
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

/**
 * The services of `catalog` without a size in some environment, as one sentence naming where to add
 * them; undefined when every one has a size. The type system catches this at `npm run typecheck`;
 * this check catches it when the program runs untyped (sucrase, as under `pulumi up`).
 */
export function missingSizes(tables: Readonly<Record<string, Readonly<Record<string, Size | undefined>>>>, catalog: readonly string[]): string | undefined {
    const missing = Object.entries(tables).flatMap(([environment, table]) => catalog.filter((s) => !table[s]).map((s) => `${s} in ${environment}`));
    return missing.length ? `no size for ${missing.join(", ")}: add each service of components/service/catalog.ts to components/shared/sizing.ts` : undefined;
}

const missing = missingSizes({ development, staging, production }, applicationServices);
if (missing) throw new Error(missing);

export const sizes: Readonly<Record<Environment, Readonly<Record<SizedWorkload, Size>>>> = { development, staging, production };
