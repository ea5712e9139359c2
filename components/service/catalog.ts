// The platform's own application services (design: "Service Composition").
import type { Environment } from "../../config";
import { pythonProbe, wgetProbe } from "../shared/probes";

export const applicationServices = ["backend", "frontend", "playwright", "ai-processor"] as const;
export type ApplicationService = (typeof applicationServices)[number];

/** The design's service composition: the application services, then what they run on (monitoring: Prometheus and Grafana). */
export const platformServices = [...applicationServices, "database", "redis", "nginx", "monitoring"] as const;

export type Runtime = "python" | "node";

/**
 * Where each runtime's image keeps its installed dependencies (docs/image-contract.md): outside the
 * source the development target mounts over /app, they survive the mount through a volume here.
 */
export const dependencyDirectory: Readonly<Record<Runtime, string>> = { python: "/app/.venv", node: "/app/node_modules" };

export interface ServiceDefinition {
    readonly port: number;
    readonly healthPath: string;
    /** The image's base (design: "Container Specifications"): python:3.11-slim or node:20-alpine. */
    readonly runtime: Runtime;
    /**
     * What the health check runs inside the image, in each target (docs/image-contract.md): the image's
     * own python, or busybox wget where the production image has no runtime (the frontend's nginx).
     */
    readonly probe: "python" | "wget";
    /** Reaches the internet (the scraper researches public sites). */
    readonly egress: boolean;
    /** Needs database and cache credentials. */
    readonly dataAccess: boolean;
    /**
     * The service's own uid (and gid): RLIMIT_NPROC counts a uid's processes across the whole host,
     * so services sharing one would share one process budget, and one's fork storm would starve the
     * others. Its image is built with it (build argument APP_UID) and its containers run as it.
     */
    readonly uid: number;
}

export const serviceDefinitions: Readonly<Record<ApplicationService, ServiceDefinition>> = {
    backend: { runtime: "python", port: 8000, healthPath: "/healthz", probe: "python", egress: false, dataAccess: true, uid: 10001 },
    frontend: { runtime: "node", port: 3000, healthPath: "/", probe: "wget", egress: false, dataAccess: false, uid: 10002 },
    playwright: { runtime: "python", port: 3001, healthPath: "/healthz", probe: "python", egress: true, dataAccess: false, uid: 10003 },
    "ai-processor": { runtime: "python", port: 8001, healthPath: "/healthz", probe: "python", egress: false, dataAccess: true, uid: 10004 },
};

/** The build argument an application image takes its user's uid from (docs/image-contract.md). */
export const UID_BUILD_ARG = "APP_UID";

/** The `uid:gid` a service's containers run as (its own, from the catalog). */
export function serviceUser(service: ApplicationService): string {
    const { uid } = serviceDefinitions[service];
    return `${uid}:${uid}`;
}

export function healthcheckCommand(definition: ServiceDefinition): string[] {
    return (definition.probe === "python" ? pythonProbe : wgetProbe)(definition.port, definition.healthPath);
}

/** The name the backend image's migration command runs under (its container's, and its log lines' service). */
export const MIGRATION_SERVICE = "migrate";

/**
 * The settings every application image reads (docs/image-contract.md; design: ENVIRONMENT, DEBUG):
 * SERVICE_NAME is its log lines' `service` (without it they named the host, on Fargate `ip-10-...`).
 */
export function runtimeEnvironment(environment: Environment, serviceName: string): Record<string, string> {
    return {
        SERVICE_NAME: serviceName,
        ENVIRONMENT: environment,
        DEBUG: String(environment === "development"),
        LOG_FORMAT: "json",
        LOG_LEVEL: environment === "development" ? "debug" : "info",
    };
}

// Every port the platform listens on, here and nowhere else: the network's rules, the datastores, the
// proxy and the monitoring all read them from this one file (which imports none of them).
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;
export const DATABASE_PORT = 5432;
export const REDIS_PORT = 6379;
export const BACKUP_METRICS_PORT = 9100;
export const PROMETHEUS_PORT = 9090;
export const GRAFANA_PORT = 3000;
export const POSTGRES_EXPORTER_PORT = 9187;
export const REDIS_EXPORTER_PORT = 9121;
