// Where an on-demand task runs, declared by the plan on its task definition: a task definition the
// deployment never runs (an operator's run-task) names its subnets and security groups in two tags.
// The reachability model reads them as the task's placement, and the runbooks read them back with
// `aws ecs describe-task-definition --include TAGS`, so the program is the one source of both.
// Tag values allow letters, digits, spaces and `+ - = . _ : / @` (ECS developer guide, "Tagging your
// Amazon ECS resources", Tag restrictions): the ids are joined by spaces, not commas.

/** The tag holding the subnet ids the task runs in, space-separated. */
export const RUN_SUBNETS_TAG = "osint:run-subnets";
/** The tag holding the security group ids the task runs with, space-separated. */
export const RUN_SECURITY_GROUPS_TAG = "osint:run-security-groups";

/** The ids a placement tag holds (empty when the tag is absent or blank). */
export function placementIds(tags: unknown, key: string): string[] {
    const value = typeof tags === "object" && tags !== null && !Array.isArray(tags) ? (tags as Record<string, unknown>)[key] : undefined;
    return typeof value === "string" ? value.split(" ").filter((id) => id !== "") : [];
}
