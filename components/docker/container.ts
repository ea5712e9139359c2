// The one way this project runs a container on Docker: hardened by construction, so no component
// can forget a limit, a health check, a non-root user or log rotation.
import { createHash, randomUUID } from "node:crypto";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { plainEnvironment } from "../shared/plain-environment";
import { CONFIG_HASH_LABEL, RUN_LABEL, SECRETS_GENERATION_LABEL, SERVICE_LABEL, UPLOAD_SEED_LABEL, UPLOADS_VOLUME_LABEL } from "./labels";
import type { Size } from "../shared/sizing";

/** Directory where secret files land inside containers (the `*_FILE` convention). */
export const SECRETS_DIR = "/run/secrets";

/** Where every dev container's configuration files are uploaded (a volume, see ContainerUploads), each under its own directory. */
export const CONFIG_ROOT = "/etc/osint";
/**
 * The directories uploads go to, each a volume of the container's own: no image populates them, so
 * a volume there hides nothing of the image.
 */
export const UPLOAD_DIRS = [SECRETS_DIR, CONFIG_ROOT] as const;
/**
 * Processes (threads included) the container's user may run (CIS Docker Benchmark v1.6.0 5.29).
 * pulumi-docker 5.2 exposes no `pids_limit`; RLIMIT_NPROC counts the user's processes host-wide,
 * so containers sharing a uid share this budget: each application service has its own (catalog.ts).
 */
export const PROCESS_LIMIT = 1024;
/** Secret files: readable by the container's user alone. */
export const SECRET_FILE_MODE = "0400";
/** tmpfs options for the paths a read-only container must write (runtime files, never data). */
export const TMPFS_OPTIONS = "rw,noexec,nosuid,size=64m";

export const HEALTHCHECK_TIMING = { interval: "30s", timeout: "10s", retries: 3, startPeriod: "30s" } as const;
export const LOG_ROTATION = { "max-size": "10m", "max-file": "5" } as const;

export interface SecretFile {
    /** File name under /run/secrets. */
    readonly name: string;
    readonly content: pulumi.Output<string>;
}

export interface ConfigFile {
    readonly path: string;
    readonly content: pulumi.Input<string>;
    readonly executable?: boolean;
}

export interface DockerNetworks {
    readonly internal: docker.Network;
    readonly edge: docker.Network;
    readonly egress: docker.Network;
}

export interface HardenedContainerArgs {
    /** Service name: the container's DNS alias on the internal network. */
    readonly service: string;
    readonly image: pulumi.Input<string>;
    /** Numeric `uid:gid`; never root. */
    readonly user: string;
    readonly size: Size;
    /** Docker health check command (exec form, e.g. ["CMD", "pg_isready"]); ["NONE"] only for a one-shot job. */
    readonly healthcheck: readonly string[];
    readonly networks: DockerNetworks;
    /** Only the reverse proxy joins the edge network and publishes ports, each on the host's `address`. */
    readonly edge?: { readonly ports: readonly { readonly internal: number; readonly external: number }[]; readonly address: string };
    /** Outbound internet access without published ports (the scraper). */
    readonly egress?: boolean;
    readonly command?: readonly pulumi.Input<string>[];
    readonly entrypoint?: readonly string[];
    /** Settings only; a secret value here stops the program (credentials go through `secretFiles`). */
    readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
    readonly secretFiles?: readonly SecretFile[];
    readonly configFiles?: readonly ConfigFile[];
    readonly volumes?: readonly { readonly volume: docker.Volume; readonly containerPath: string; readonly readOnly?: boolean }[];
    readonly bindMounts?: readonly { readonly hostPath: string; readonly containerPath: string; readonly readOnly?: boolean }[];
    /** Paths given a fresh anonymous volume, filled from the image's content at that path (Docker's copy-up). */
    readonly anonymousVolumes?: readonly string[];
    /** Capabilities beyond none; each must be justified where it is granted. */
    readonly addCapabilities?: readonly string[];
    readonly restart?: "unless-stopped" | "on-failure";
    /**
     * A job that runs to completion once per `pulumi up`: Pulumi waits for it to exit (attach),
     * Docker never restarts it, and `succeeded()` stops the rollout unless it exited 0. `run`
     * changes with every deployment (jobRunId): the provider records a failed run's exit code as a
     * successful create (terraform-provider-docker resource_docker_container_funcs.go: with attach
     * and must_run false it only sets exit_code), so without a new run the next `up` would change
     * nothing and `succeeded()` would fail forever.
     */
    readonly oneShot?: { readonly run: pulumi.Input<string> };
    /** Paths the program writes at run time besides /tmp, as tmpfs under the read-only root. */
    readonly writablePaths?: readonly string[];
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The deployment's run id for one-shot jobs: new with every run of the program (each `pulumi up`),
 * so every deployment re-runs its jobs, and a failed run is replaced by the next `up`.
 */
export function jobRunId(): string {
    return randomUUID();
}

/** `<NAME>_FILE=/run/secrets/<name>` for each secret file: where the application reads it. */
export function secretFileVariables(files: readonly { readonly name: string }[]): Record<string, string> {
    return Object.fromEntries(files.map((f) => [`${f.name.toUpperCase()}_FILE`, `${SECRETS_DIR}/${f.name}`]));
}

export function containerName(service: string): string {
    return `${pulumi.getProject()}-${pulumi.getStack()}-${service}`;
}

/** The settings every container shares, seeds included: user, limits, no capabilities, log rotation. */
function hardening(args: Pick<HardenedContainerArgs, "user" | "size" | "addCapabilities">) {
    return {
        user: args.user,
        memory: args.size.memoryMb,
        cpus: String(args.size.cpus),
        ulimits: [{ name: "nproc", soft: PROCESS_LIMIT, hard: PROCESS_LIMIT }],
        capabilities: { drops: ["ALL"], adds: [...(args.addCapabilities ?? [])] },
        securityOpts: ["no-new-privileges:true"],
        logDriver: "json-file",
        logOpts: { ...LOG_ROTATION },
    };
}

/** The SHA-256 of uploads (path, mode, content): the label that replaces a container when its configuration files change. */
export function uploadsDigest(uploads: readonly { readonly file: string; readonly permissions: string; readonly content: string }[]): string {
    return createHash("sha256")
        .update(JSON.stringify(uploads.map((u) => [u.file, u.permissions, u.content])))
        .digest("hex");
}

/**
 * Limits of an upload seed, which never runs: the pack asks every container for limits, and fixed
 * ones keep a service's resize from touching its seed.
 */
export const UPLOAD_SEED_SIZE: Size = { memoryMb: 16, cpus: 0.1 };

export interface ContainerUploadsArgs {
    readonly service: string;
    /** The service's image: present on the engine already, and never run by the seed. */
    readonly image: pulumi.Input<string>;
    readonly user: string;
    readonly secretFiles: readonly SecretFile[];
    readonly configFiles: readonly ConfigFile[];
}

/**
 * A container's uploaded files, delivered into volumes of its own by a seed container.
 *
 * The provider uploads between create and start with CopyToContainer at "/" and one tar entry named
 * by the file's full path (terraform-provider-docker internal/provider/resource_docker_container_funcs.go
 * resourceDockerContainerCreate, `dstPath := "/"`; the same at 5074970c, which pulumi-docker 5.1
 * pins; 5.2 adds the `owner`/`group` used below: lab/apply/engine-fields.ts uploadArchive).
 * Docker judges the extraction directory: "/" is in no volume, so a read-only root refuses it
 * ("container rootfs is marked read-only": moby/moby daemon/archive.go checkIfPathIsInAVolume at
 * v20.10.24, daemon/archive_unix.go checkWritablePath today), even where the file would land in a
 * volume. So the files go into a seed: created with `start: false` (the provider then only creates
 * it) and `mustRun: false` (else the create's closing read records must_run false for a container
 * not running, and the next `up` updates it), so it never runs a process; its writable root accepts
 * the upload, which lands in the named volumes it mounts at the upload directories. The service
 * mounts them read-only at the same paths, its root stays read-only.
 *
 * The seed is replaced whenever an upload changes (every upload field is ForceNew), rewriting the
 * files; the service must be replaced with it to read them, so it carries two labels: the SHA-256
 * of its configuration files (not secret), and for its secret files a RandomId whose keepers are
 * the secrets themselves, kept as Pulumi secrets in the state: a changed secret renews the id, which
 * says nothing of the secret (an unsalted hash in a label would let anyone with `docker inspect`
 * test a guess).
 */
export class ContainerUploads extends pulumi.ComponentResource {
    /** The service's read-only mounts of the upload volumes. */
    readonly mounts: { readonly volumeName: pulumi.Output<string>; readonly containerPath: string; readonly readOnly: true }[];
    /** The labels that replace the service when its uploads change. */
    readonly labels: { readonly label: string; readonly value: pulumi.Input<string> }[];
    /** The never-started container that received the files; the service depends on it. */
    readonly seed: docker.Container;

    constructor(name: string, args: ContainerUploadsArgs, opts: pulumi.ComponentResourceOptions) {
        super("osint:docker:ContainerUploads", name, {}, opts);
        const [owner, group] = args.user.split(":");
        for (const f of args.configFiles) {
            if (!f.path.startsWith(`${CONFIG_ROOT}/`)) throw new Error(`${args.service}: configuration files go under ${CONFIG_ROOT}/, got ${f.path}`);
        }
        // Each upload directory the container uses gets a volume of its own, named for the container.
        const volumes = UPLOAD_DIRS.filter((dir) => (dir === SECRETS_DIR ? args.secretFiles : args.configFiles).length > 0).map((dir) => {
            const suffix = dir === SECRETS_DIR ? "secrets" : "config";
            return { dir, volume: namedVolume(`${name}-${suffix}`, `${containerName(args.service)}-${suffix}`, this, true) };
        });
        this.mounts = volumes.map((v) => ({ volumeName: v.volume.name, containerPath: v.dir, readOnly: true as const }));
        this.labels = [];
        const configUploads = args.configFiles.map((f) => ({ file: f.path, content: f.content, permissions: f.executable ? "0555" : "0444" }));
        if (configUploads.length > 0) this.labels.push({ label: CONFIG_HASH_LABEL, value: pulumi.output(configUploads).apply(uploadsDigest) });
        if (args.secretFiles.length > 0) {
            const secrets = pulumi.secret(
                pulumi.all(args.secretFiles.map((f) => f.content)).apply((contents) => JSON.stringify(args.secretFiles.map((f, i) => [f.name, contents[i]]))),
            );
            const generation = new random.RandomId(`${name}-secrets-generation`, { byteLength: 8, keepers: { secrets } }, { parent: this });
            this.labels.push({ label: SECRETS_GENERATION_LABEL, value: generation.hex });
        }
        this.seed = new docker.Container(
            `${name}-seed`,
            {
                name: `${containerName(args.service)}-upload-seed`,
                image: args.image,
                ...hardening({ user: args.user, size: UPLOAD_SEED_SIZE }),
                start: false,
                mustRun: false,
                restart: "no",
                // Never started, so never on a network; none even if someone started it by hand.
                networkMode: "none",
                uploads: [
                    ...args.secretFiles.map((s) => ({
                        file: `${SECRETS_DIR}/${s.name}`,
                        content: pulumi.secret(s.content),
                        owner,
                        group,
                        permissions: SECRET_FILE_MODE,
                    })),
                    ...configUploads,
                ],
                volumes: volumes.map((v) => ({ volumeName: v.volume.name, containerPath: v.dir, readOnly: false })),
                // No SERVICE_LABEL: what finds a service's container must not find its seed.
                labels: [
                    { label: "org.osint-platform.stack", value: pulumi.getStack() },
                    { label: UPLOAD_SEED_LABEL, value: containerName(args.service) },
                ],
            },
            { parent: this },
        );
        this.registerOutputs({ seed: this.seed, mounts: this.mounts });
    }
}

export function hardenedContainer(name: string, args: HardenedContainerArgs, parent: pulumi.Resource): docker.Container {
    if (/^(root|0)(:|$)/.test(args.user) || args.user === "") {
        throw new Error(`${args.service}: containers must run as a non-root user, got "${args.user}"`);
    }
    if (args.oneShot && args.restart) {
        throw new Error(`${args.service}: oneShot and restart conflict: a one-shot job is never restarted`);
    }
    if (args.healthcheck[0] === "NONE" && !args.oneShot) {
        throw new Error(`${args.service}: only a one-shot job may run without a health check`);
    }
    const secretFiles = args.secretFiles ?? [];
    const configFiles = args.configFiles ?? [];
    const uploads =
        secretFiles.length + configFiles.length > 0
            ? new ContainerUploads(`${name}-uploads`, { service: args.service, image: args.image, user: args.user, secretFiles, configFiles }, { parent })
            : undefined;
    const networks: docker.types.input.ContainerNetworksAdvanced[] = [{ name: args.networks.internal.name, aliases: [args.service] }];
    if (args.edge) networks.push({ name: args.networks.edge.name });
    if (args.egress) networks.push({ name: args.networks.egress.name });
    return new docker.Container(
        name,
        {
            name: containerName(args.service),
            // No hostname: Docker >= 25 makes a container's hostname one of its DNS names on every
            // network it joins (Engine API 1.44 EndpointSettings.DNSNames: "container name, network
            // aliases, container short ID, and hostname"; moby api/swagger.yaml), so a hostname equal
            // to the service would answer for it without the alias, on newer engines only. The
            // alias is the one name it is reached by; logs name it through SERVICE_NAME.
            image: args.image,
            ...hardening(args),
            command: args.command ? [...args.command] : undefined,
            entrypoints: args.entrypoint ? [...args.entrypoint] : undefined,
            envs: plainEnvironment(args.service, args.env ?? {}, (key) => `pass it as a secret file (${key}_FILE)`).apply((vars) =>
                vars.map((v) => `${v.name}=${v.value}`),
            ),
            healthcheck: { tests: [...args.healthcheck], ...HEALTHCHECK_TIMING },
            restart: args.oneShot ? "no" : (args.restart ?? "unless-stopped"),
            ...(args.oneShot ? { attach: true, mustRun: false } : {}),
            readOnly: true,
            tmpfs: Object.fromEntries(["/tmp", ...(args.writablePaths ?? [])].map((p) => [p, TMPFS_OPTIONS])),
            networksAdvanced: networks,
            // `ip` is the binding's HostIp (terraform-provider-docker resource_docker_container_funcs.go,
            // portSetToDockerPorts); the provider's default, 0.0.0.0, serves every network the host is on.
            ports: args.edge?.ports.map((p) => ({ internal: p.internal, external: p.external, ip: args.edge?.address, protocol: "tcp" })),
            volumes: [
                ...(args.volumes ?? []).map((v) => ({ volumeName: v.volume.name, containerPath: v.containerPath, readOnly: v.readOnly ?? false })),
                ...(args.bindMounts ?? []).map((b) => ({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: b.readOnly ?? false })),
                ...(uploads?.mounts ?? []),
                ...(args.anonymousVolumes ?? []).map((containerPath) => ({ containerPath })),
            ],
            labels: [
                { label: SERVICE_LABEL, value: args.service },
                { label: "org.osint-platform.stack", value: pulumi.getStack() },
                ...(uploads?.labels ?? []),
                ...(args.oneShot ? [{ label: RUN_LABEL, value: args.oneShot.run }] : []),
            ],
        },
        // A one-shot job keeps its fixed name: the old container goes before the new one runs. Its
        // files are in place before it starts: the seed received them on its create.
        { parent, dependsOn: [...(args.dependsOn ?? []), ...(uploads ? [uploads.seed] : [])], deleteBeforeReplace: args.oneShot !== undefined },
    );
}

/**
 * The job itself once it has exited 0, for `dependsOn`: any other exit code fails the deployment
 * here, so nothing that depends on the job is created or replaced.
 */
export function succeeded(job: docker.Container, service: string): pulumi.Output<docker.Container> {
    return job.exitCode.apply((code) => {
        if (code !== 0) throw new Error(`${service}: the one-shot job exited with ${code}; the rollout stops here (docker logs ${containerName(service)})`);
        return job;
    });
}

/** A registry image pinned by tag or digest, pulled once and kept when the stack is destroyed. */
export function pinnedImage(name: string, reference: string, parent: pulumi.Resource): docker.RemoteImage {
    return new docker.RemoteImage(name, { name: reference, keepLocally: true }, { parent });
}

/** A named volume that outlives container replacement; `uploads` marks one holding only uploaded files. */
export function namedVolume(name: string, volumeName: string, parent: pulumi.Resource, uploads = false): docker.Volume {
    const labels = [{ label: "org.osint-platform.stack", value: pulumi.getStack() }, ...(uploads ? [{ label: UPLOADS_VOLUME_LABEL, value: "uploads" }] : [])];
    return new docker.Volume(name, { name: volumeName, labels }, { parent });
}
