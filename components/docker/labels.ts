// Labels the hardened containers carry, apart from container.ts so that what reads plans (the diff)
// knows them without loading the Docker SDK.

/** Label a one-shot job carries with its run: a new value replaces, and so re-runs, the job. */
export const RUN_LABEL = "org.osint-platform.run";

/**
 * Label naming the service a container runs: how tools and tests find a service's container. The
 * container has no hostname of that name: its network alias is the only name others reach it by.
 */
export const SERVICE_LABEL = "org.osint-platform.service";

/** The service a planned container runs (its SERVICE_LABEL), or undefined for one without. */
export function serviceOf(container: { readonly inputs: Record<string, unknown> }): string | undefined {
    return ((container.inputs.labels ?? []) as { label: string; value: string }[]).find((l) => l.label === SERVICE_LABEL)?.value;
}
