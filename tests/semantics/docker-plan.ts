// What the docker rules read from a plan: containers, local builds and registry pulls.
import type { Plan, PlanResource } from "../../lib/plan-engine";

export interface Build {
    readonly resource: PlanResource;
    readonly context: string;
    readonly target: string;
    readonly imageName: string;
    /** Build arguments (each service's uid, for one): another value is another image. */
    readonly args: Readonly<Record<string, string>>;
}

export const containersOf = (plan: Plan) => plan.resources.filter((r) => r.type === "docker:index/container:Container");

export const buildsOf = (plan: Plan): Build[] =>
    plan.resources
        .filter((r) => r.type === "docker:index/image:Image")
        .map((resource) => {
            const build = (resource.inputs.build ?? {}) as { context?: string; target?: string; args?: Record<string, string> };
            return {
                resource,
                context: String(build.context ?? ""),
                target: String(build.target ?? ""),
                imageName: String(resource.inputs.imageName ?? ""),
                args: build.args ?? {},
            };
        });

export const pulledReferences = (plan: Plan) =>
    plan.resources.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => String(r.inputs.name));
