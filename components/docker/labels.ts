// Labels the hardened containers carry, apart from container.ts so that what reads plans (the diff)
// knows them without loading the Docker SDK.

/** Label a one-shot job carries with its run: a new value replaces, and so re-runs, the job. */
export const RUN_LABEL = "org.osint-platform.run";
