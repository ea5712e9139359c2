// The one way this project runs a container on Docker: hardened by construction, so no component
// can forget a limit, a health check, a non-root user or log rotation.
import { randomUUID } from "node:crypto";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { plainEnvironment } from "../shared/plain-environment";
import { RUN_LABEL, SERVICE_LABEL } from "./labels";
import type { Size } from "../shared/sizing";

/** Directory where secret files land inside containers (the `*_FILE` convention). */
export const SECRETS_DIR = "/run/secrets";

/** Where every dev container's configuration files are uploaded (a volume, see below), each under its own directory. */
export const CONFIG_ROOT = "/etc/osint";
/**
 * Upload directories no image populates: on a read-only root they become anonymous volumes, the only
 * place Docker accepts an upload into a read-only container (moby daemon/archive_unix.go,
 * checkIfPathIsInAVolume; the provider uploads between create and start). An anonymous volume is
 * removed with its container (terraform-provider-docker: remove_volumes defaults to true).
 */
export const VOLUME_BACKED_UPLOAD_DIRS = [SECRETS_DIR, CONFIG_ROOT] as const;
/** Label naming why a container keeps a writable root filesystem (CIS Docker Benchmark v1.6.0 5.13). */
export const WRITABLE_ROOT_LABEL = "org.osint-platform.writable-root";
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
    const [owner, group] = args.user.split(":");
    const uploads = [...(args.secretFiles ?? []).map((s) => `${SECRETS_DIR}/${s.name}`), ...(args.configFiles ?? []).map((f) => f.path)];
    const uploadDirs = [...new Set(uploads.map((file) => file.slice(0, file.lastIndexOf("/"))))];
    const imageDirs = uploadDirs.filter((dir) => !VOLUME_BACKED_UPLOAD_DIRS.some((owned) => dir === owned || dir.startsWith(`${owned}/`)));
    // Read-only unless a file is uploaded into a directory of the image (an anonymous volume there
    // would hide the image's own files).
    const writableRoot = imageDirs.length > 0 ? `uploads into the image's ${imageDirs.join(", ")}, refused on a read-only root` : undefined;
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
            user: args.user,
            memory: args.size.memoryMb,
            cpus: String(args.size.cpus),
            command: args.command ? [...args.command] : undefined,
            entrypoints: args.entrypoint ? [...args.entrypoint] : undefined,
            envs: plainEnvironment(args.service, args.env ?? {}, (key) => `pass it as a secret file (${key}_FILE)`).apply((vars) =>
                vars.map((v) => `${v.name}=${v.value}`),
            ),
            healthcheck: { tests: [...args.healthcheck], ...HEALTHCHECK_TIMING },
            restart: args.oneShot ? "no" : (args.restart ?? "unless-stopped"),
            ...(args.oneShot ? { attach: true, mustRun: false } : {}),
            readOnly: writableRoot === undefined,
            tmpfs: writableRoot === undefined ? Object.fromEntries(["/tmp", ...(args.writablePaths ?? [])].map((p) => [p, TMPFS_OPTIONS])) : undefined,
            ulimits: [{ name: "nproc", soft: PROCESS_LIMIT, hard: PROCESS_LIMIT }],
            capabilities: { drops: ["ALL"], adds: [...(args.addCapabilities ?? [])] },
            securityOpts: ["no-new-privileges:true"],
            logDriver: "json-file",
            logOpts: { ...LOG_ROTATION },
            networksAdvanced: networks,
            // `ip` is the binding's HostIp (terraform-provider-docker resource_docker_container_funcs.go,
            // portSetToDockerPorts); the provider's default, 0.0.0.0, serves every network the host is on.
            ports: args.edge?.ports.map((p) => ({ internal: p.internal, external: p.external, ip: args.edge?.address, protocol: "tcp" })),
            uploads: [
                ...(args.secretFiles ?? []).map((s) => ({
                    file: `${SECRETS_DIR}/${s.name}`,
                    content: pulumi.secret(s.content),
                    owner,
                    group,
                    permissions: SECRET_FILE_MODE,
                })),
                ...(args.configFiles ?? []).map((f) => ({
                    file: f.path,
                    content: f.content,
                    permissions: f.executable ? "0555" : "0444",
                })),
            ],
            volumes: [
                ...(args.volumes ?? []).map((v) => ({ volumeName: v.volume.name, containerPath: v.containerPath, readOnly: v.readOnly ?? false })),
                ...(args.bindMounts ?? []).map((b) => ({ hostPath: b.hostPath, containerPath: b.containerPath, readOnly: b.readOnly ?? false })),
                ...(writableRoot === undefined ? uploadDirs.map((dir) => ({ containerPath: dir })) : []),
                ...(args.anonymousVolumes ?? []).map((containerPath) => ({ containerPath })),
            ],
            labels: [
                { label: SERVICE_LABEL, value: args.service },
                { label: "org.osint-platform.stack", value: pulumi.getStack() },
                ...(writableRoot ? [{ label: WRITABLE_ROOT_LABEL, value: writableRoot }] : []),
                ...(args.oneShot ? [{ label: RUN_LABEL, value: args.oneShot.run }] : []),
            ],
        },
        // A one-shot job keeps its fixed name: the old container goes before the new one runs.
        { parent, dependsOn: args.dependsOn, deleteBeforeReplace: args.oneShot !== undefined },
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

/** A named volume that outlives container replacement. */
export function namedVolume(name: string, volumeName: string, parent: pulumi.Resource): docker.Volume {
    return new docker.Volume(name, { name: volumeName, labels: [{ label: "org.osint-platform.stack", value: pulumi.getStack() }] }, { parent });
}
