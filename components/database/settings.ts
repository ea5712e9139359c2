// The design's PostgreSQL settings, one source for the dev container's command line and the RDS
// parameter group. Values are written as the design writes them; RDS wants canonical units.
import type { Environment } from "../../config";

export interface PostgresSettings {
    readonly shared_buffers: string;
    readonly work_mem: string;
    readonly maintenance_work_mem: string;
    readonly max_connections: number;
    readonly random_page_cost?: number;
}

export const designSettings: Readonly<Record<"development" | "production", PostgresSettings>> = {
    development: { shared_buffers: "256MB", work_mem: "4MB", maintenance_work_mem: "64MB", max_connections: 100 },
    production: { shared_buffers: "1GB", work_mem: "16MB", maintenance_work_mem: "256MB", max_connections: 200, random_page_cost: 1.1 },
};

/** Staging is production-like, so it runs the production settings. */
export function settingsFor(environment: Environment): PostgresSettings {
    return designSettings[environment === "development" ? "development" : "production"];
}

/** The access trail the design asks for: connections, disconnections and schema changes are logged. */
export const accessLogging = { log_connections: "on", log_disconnections: "on", log_statement: "ddl" } as const;

/** Loaded at server start so the pg_stat_statements extension (roles.ts) can record queries. */
export const SHARED_PRELOAD_LIBRARIES = "pg_stat_statements";

/** `postgres -c key=value ...` arguments for the container. */
export function commandLineArguments(settings: PostgresSettings): string[] {
    const all: Record<string, string | number> = { ...settings, ...accessLogging, shared_preload_libraries: SHARED_PRELOAD_LIBRARIES };
    return Object.entries(all).flatMap(([k, v]) => ["-c", `${k}=${v}`]);
}

const KB_PER_UNIT: Record<string, number> = { kB: 1, MB: 1024, GB: 1024 * 1024 };

/** A size such as "256MB" in kB; throws on a unit PostgreSQL would reject. */
export function toKilobytes(size: string): number {
    const match = /^(\d+)(kB|MB|GB)$/.exec(size);
    if (!match) throw new Error(`not a PostgreSQL memory size: ${size}`);
    return Number(match[1]) * KB_PER_UNIT[match[2]];
}

export interface RdsParameter {
    readonly name: string;
    readonly value: string;
    readonly applyMethod: "immediate" | "pending-reboot";
}

// Parameters that only take effect at server start: RDS must apply them at reboot, or every
// preview shows a diff.
const STATIC_PARAMETERS = new Set(["shared_buffers", "max_connections", "shared_preload_libraries"]);

/** The settings in RDS's canonical units: shared_buffers in 8 kB pages, *_mem in kB. */
export function rdsParameters(settings: PostgresSettings): RdsParameter[] {
    const values: Record<string, string> = {
        shared_buffers: String(toKilobytes(settings.shared_buffers) / 8),
        work_mem: String(toKilobytes(settings.work_mem)),
        maintenance_work_mem: String(toKilobytes(settings.maintenance_work_mem)),
        max_connections: String(settings.max_connections),
        ...(settings.random_page_cost === undefined ? {} : { random_page_cost: String(settings.random_page_cost) }),
        log_connections: "1",
        log_disconnections: "1",
        log_statement: accessLogging.log_statement,
        shared_preload_libraries: SHARED_PRELOAD_LIBRARIES,
    };
    return Object.entries(values).map(([name, value]) => ({ name, value, applyMethod: STATIC_PARAMETERS.has(name) ? "pending-reboot" : "immediate" }));
}
