// Shared by every test that reads the offline plan: each stack's plan is built once per test run.
import * as path from "node:path";
import { buildPlan, recordProgram, type Plan, type PlanResource } from "../../lib/plan-engine";
import { readStackConfig } from "../../lib/stack-config";
import { serviceOf, UPLOAD_SEED_LABEL } from "../../components/docker/labels";

export const projectDir = path.resolve(__dirname, "..", "..");

const plans = new Map<string, Promise<Plan>>();

/** Settles when every plan started so far has: plans share the SDK's global state. */
function pendingPlans(): Promise<unknown> {
    return Promise.all([...plans.values()].map((p) => p.catch(() => undefined)));
}

/** The plan of a shipped stack (dev, staging, prod), built once and shared. */
export function stackPlan(stack: string): Promise<Plan> {
    let plan = plans.get(stack);
    if (!plan) {
        plan = pendingPlans().then(() => buildPlan(projectDir, stack));
        plans.set(stack, plan);
    }
    return plan;
}

/** The program planned with a shipped stack's config, some project keys changed, as stack `stackName`. */
async function programPlan(stack: string, stackName: string, overrides: Readonly<Record<string, string>>): Promise<Plan> {
    await pendingPlans();
    const { project, config, secretKeys } = readStackConfig(projectDir, stack);
    const changed = { ...config, ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [`${project}:${k}`, v])) };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return recordProgram(project, stackName, changed, secretKeys, require(path.join(projectDir, "index.ts")) as () => unknown);
}

/** The plan of a shipped stack with some of its project keys changed (the program, not one component). */
export function stackPlanWith(stack: string, overrides: Readonly<Record<string, string>>): Promise<Plan> {
    return programPlan(stack, stack, overrides);
}

/** The plan of a shipped stack's config under another stack name (a review stack's, say). */
export function stackPlanAs(stack: string, stackName: string): Promise<Plan> {
    return programPlan(stack, stackName, {});
}

/** Runs one component (or any program) under the same mocks, with a stack's config. */
export async function planOf(program: () => unknown, stack = "dev"): Promise<Plan> {
    await pendingPlans();
    const { project, config, secretKeys } = readStackConfig(projectDir, stack);
    return recordProgram(project, `${stack}-component`, config, secretKeys, () => {
        program(); // a component's fields are not stack outputs
    });
}

export function ofType(plan: Plan, type: string): PlanResource[] {
    return plan.resources.filter((r) => r.type === type);
}

export const CONTAINER = "docker:index/container:Container";

/** The container running `service` (its service label; its network alias is the same name). */
export function container(plan: Plan, service: string): PlanResource {
    const found = ofType(plan, CONTAINER).filter((r) => serviceOf(r) === service);
    if (found.length !== 1) throw new Error(`expected one container for ${service}, found ${found.length}`);
    return found[0];
}

/** The never-started container that receives `target`'s uploads (components/docker/container.ts ContainerUploads), if it has any. */
export function uploadSeedOf(plan: Plan, target: PlanResource): PlanResource | undefined {
    const found = ofType(plan, CONTAINER).filter((r) =>
        input<{ label: string; value: string }[] | undefined>(r, "labels")?.some((l) => l.label === UPLOAD_SEED_LABEL && l.value === target.inputs.name),
    );
    if (found.length > 1) throw new Error(`expected at most one upload seed for ${target.name}, found ${found.length}`);
    return found[0];
}

/** An upload as the plan carries it (pulumi-docker ContainerUpload). */
export type Upload = { file: string; content: string; permissions?: string; owner?: string };
/** What `target`'s upload seed uploads for it; none without a seed. */
export function uploadsOf(plan: Plan, target: PlanResource): Upload[] {
    const seed = uploadSeedOf(plan, target);
    return seed ? input<Upload[]>(seed, "uploads") : [];
}

/** Inputs of `resource` at a dotted path, e.g. "healthcheck.tests". */
export function input<T = unknown>(resource: PlanResource, dotted: string): T {
    return dotted.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], resource.inputs) as T;
}
