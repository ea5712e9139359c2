// Labels the hardened containers carry, apart from container.ts so that what reads plans (the diff)
// knows them without loading the Docker SDK.

/** Label a one-shot job carries with its run: a new value replaces, and so re-runs, the job. */
export const RUN_LABEL = "org.osint-platform.run";

/**
 * Label naming the service a container runs: how tools and tests find a service's container. The
 * container has no hostname of that name: its network alias is the only name others reach it by.
 * An upload seed does not carry it (it runs nothing; UPLOAD_SEED_LABEL names what it serves).
 */
export const SERVICE_LABEL = "org.osint-platform.service";

/** The service a planned container runs (its SERVICE_LABEL), or undefined for one without. */
export function serviceOf(container: { readonly inputs: Record<string, unknown> }): string | undefined {
    return ((container.inputs.labels ?? []) as { label: string; value: string }[]).find((l) => l.label === SERVICE_LABEL)?.value;
}

/** Label carrying the SHA-256 of a container's configuration files: a change replaces it, so it reads them anew. */
export const CONFIG_HASH_LABEL = "org.osint-platform.config-sha256";

/** Label carrying a random id renewed whenever one of the container's secret files changes (components/docker/container.ts). */
export const SECRETS_GENERATION_LABEL = "org.osint-platform.secrets-generation";

/** Label on an upload seed (created, never started) naming the container its files are for. */
export const UPLOAD_SEED_LABEL = "org.osint-platform.upload-seed-for";

/**
 * Label (with the value "uploads") of a volume that holds only a container's uploaded files: the pack's
 * deletion-protection rule does not ask it to be protected (policies/rules/deletion-protection.ts UPLOADS_VOLUME).
 */
export const UPLOADS_VOLUME_LABEL = "org.osint-platform.contents";

/** The name of the container an upload seed serves, read from its `labels` input; undefined for any other container. */
export function uploadSeedTarget(labels: unknown): string | undefined {
    const found = Array.isArray(labels) ? (labels as { label?: unknown; value?: unknown }[]).find((l) => l?.label === UPLOAD_SEED_LABEL) : undefined;
    return typeof found?.value === "string" ? found.value : undefined;
}
