// The platform's own application services (design: "Service Composition").
import type { Environment } from "../../config";
import { nodeProbe, pythonProbe } from "../shared/probes";

export const applicationServices = ["backend", "frontend", "playwright", "ai-processor"] as const;
export type ApplicationService = (typeof applicationServices)[number];

export interface ServiceDefinition {
    readonly port: number;
    readonly healthPath: string;
    /** The runtime the image contract guarantees (docs/image-contract.md), which the health check runs. */
    readonly runtime: "python" | "node";
    /** Reaches the internet (the scraper researches public sites). */
    readonly egress: boolean;
    /** Needs database and cache credentials. */
    readonly dataAccess: boolean;
}

export const serviceDefinitions: Readonly<Record<ApplicationService, ServiceDefinition>> = {
    backend: { port: 8000, healthPath: "/healthz", runtime: "python", egress: false, dataAccess: true },
    frontend: { port: 3000, healthPath: "/", runtime: "node", egress: false, dataAccess: false },
    playwright: { port: 3001, healthPath: "/healthz", runtime: "node", egress: true, dataAccess: false },
    "ai-processor": { port: 8001, healthPath: "/healthz", runtime: "python", egress: false, dataAccess: true },
};

export function healthcheckCommand(definition: ServiceDefinition): string[] {
    return (definition.runtime === "python" ? pythonProbe : nodeProbe)(definition.port, definition.healthPath);
}

/** The design's environment variables (backend: ENVIRONMENT, DEBUG, DB_HOST). */
export function runtimeEnvironment(environment: Environment): Record<string, string> {
    return {
        ENVIRONMENT: environment,
        DEBUG: String(environment === "development"),
        LOG_FORMAT: "json",
        LOG_LEVEL: environment === "development" ? "debug" : "info",
    };
}
