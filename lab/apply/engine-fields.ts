// The dev plan's Container, Network and Volume inputs as the Engine API request bodies that
// terraform-provider-docker (which pulumi-docker bridges) sends. Citations are to
// kreuzwerker/terraform-provider-docker internal/provider/ (commit 83c00e0b):
//   C = resource_docker_container_funcs.go resourceDockerContainerCreate,
//   S = resource_docker_container_structures.go, N = resource_docker_network_funcs.go,
//   V = resource_docker_volume.go resourceDockerVolumeCreate.
import type Docker from "dockerode";

export interface Upload {
    readonly file: string;
    readonly content?: string;
    readonly contentBase64?: string;
    readonly executable?: boolean;
    readonly permissions?: string;
    readonly owner?: string;
    readonly group?: string;
}
interface VolumeInput {
    readonly containerPath: string;
    readonly volumeName?: string;
    readonly hostPath?: string;
    readonly readOnly?: boolean;
}
interface Label {
    readonly label: string;
    readonly value: string;
}

export type Inputs = Record<string, unknown>;

const labelsOf = (labels: unknown): Record<string, string> => Object.fromEntries(((labels ?? []) as Label[]).map((l) => [l.label, l.value]));

/** Go's time.ParseDuration for the plan's "30s"/"1m30s" strings, in nanoseconds (C: healthcheck). */
export function durationNs(text: string): number {
    const units: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
    let total = 0;
    const re = /(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g;
    let consumed = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
        total += Number(m[1]) * units[m[2]];
        consumed += m[0].length;
    }
    if (consumed !== text.length || consumed === 0) throw new Error(`not a Go duration: ${JSON.stringify(text)}`);
    return total;
}

/** POST /networks/create (N: resourceDockerNetworkCreate). */
export function networkCreateBody(inputs: Inputs): Docker.NetworkCreateOptions {
    return {
        Name: String(inputs.name), // N: client.NetworkCreate(ctx, d.Get("name"), createOpts)
        Labels: labelsOf(inputs.labels), // N: createOpts.Labels = labelSetToMap(...)
        Driver: (inputs.driver as string | undefined) ?? "bridge", // N: createOpts.Driver (schema default "bridge")
        Options: (inputs.options as Record<string, string> | undefined) ?? {}, // N: createOpts.Options
        Internal: inputs.internal === true, // N: createOpts.Internal
        Attachable: inputs.attachable === true, // N: createOpts.Attachable
        CheckDuplicate: true,
    };
}

/** POST /volumes/create (V: resourceDockerVolumeCreate). */
export function volumeCreateBody(inputs: Inputs): { Name: string; Labels: Record<string, string>; Driver: string; DriverOpts: Record<string, string> } {
    return {
        Name: String(inputs.name), // V: createOpts.Name
        Labels: labelsOf(inputs.labels), // V: createOpts.Labels
        Driver: (inputs.driver as string | undefined) ?? "local", // V: createOpts.Driver (default local)
        DriverOpts: (inputs.driverOpts as Record<string, string> | undefined) ?? {}, // V: createOpts.DriverOpts
    };
}

/**
 * POST /containers/create (C), with `image` already resolved to the engine's image. Networks are
 * connected afterwards, as C does (networks_advanced: NetworkDisconnect "bridge", NetworkConnect).
 */
export function containerCreateBody(inputs: Inputs, image: string): Docker.ContainerCreateOptions {
    const volumes: Record<string, object> = {};
    const binds: string[] = [];
    // S volumeSetToDockerVolumes: a host path or volume name becomes a bind "<source>:<path>:rw|ro";
    // every container path is also a Config.Volumes key (an anonymous volume when it has no source).
    for (const v of (inputs.volumes ?? []) as VolumeInput[]) {
        volumes[v.containerPath] = {};
        const source = v.hostPath || v.volumeName;
        if (source) binds.push(`${source}:${v.containerPath}:${v.readOnly ? "ro" : "rw"}`);
    }
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp?: string; HostPort?: string }[]> = {};
    // S portSetToDockerPorts: "<internal>/<protocol>" exposed; external and ip as its binding.
    for (const p of (inputs.ports ?? []) as { internal: number; external?: number; ip?: string; protocol?: string }[]) {
        const key = `${p.internal}/${p.protocol ?? "tcp"}`;
        exposed[key] = {};
        // The provider's schema defaults ip to "0.0.0.0" (resource_docker_container.go ports.ip).
        (bindings[key] ??= []).push({ HostIp: p.ip ?? "0.0.0.0", ...(p.external !== undefined ? { HostPort: String(p.external) } : {}) });
    }
    const health = inputs.healthcheck as { tests: string[]; interval?: string; timeout?: string; startPeriod?: string; retries?: number } | undefined;
    const capabilities = (inputs.capabilities ?? {}) as { adds?: string[]; drops?: string[] };
    return {
        name: String(inputs.name), // C: client.ContainerCreate(..., d.Get("name"))
        Image: image, // C: config.Image
        Hostname: inputs.hostname as string | undefined, // C: config.Hostname
        Env: inputs.envs as string[] | undefined, // C: config.Env = env
        Cmd: inputs.command as string[] | undefined, // C: config.Cmd = command
        Entrypoint: inputs.entrypoints as string[] | undefined, // C: config.Entrypoint = entrypoint
        User: inputs.user as string | undefined, // C: config.User
        WorkingDir: inputs.workingDir as string | undefined, // C: config.WorkingDir
        ExposedPorts: Object.keys(exposed).length ? exposed : undefined, // C: config.ExposedPorts
        Volumes: Object.keys(volumes).length ? volumes : undefined, // C: config.Volumes
        Labels: labelsOf(inputs.labels), // C: config.Labels = labelSetToMap
        StopSignal: inputs.stopSignal as string | undefined, // C: config.StopSignal
        Healthcheck: health && {
            // C: config.Healthcheck.Test/Interval/Timeout/StartPeriod/Retries (time.ParseDuration)
            Test: health.tests,
            Interval: health.interval ? durationNs(health.interval) : 0,
            Timeout: health.timeout ? durationNs(health.timeout) : 0,
            StartPeriod: health.startPeriod ? durationNs(health.startPeriod) : 0,
            Retries: health.retries ?? 0,
        },
        HostConfig: {
            RestartPolicy: { Name: (inputs.restart as string | undefined) ?? "no", MaximumRetryCount: (inputs.maxRetryCount as number | undefined) ?? 0 }, // C: hostConfig.RestartPolicy
            ReadonlyRootfs: inputs.readOnly === true, // C: hostConfig.ReadonlyRootfs
            LogConfig: { Type: (inputs.logDriver as string | undefined) ?? "json-file", Config: (inputs.logOpts as Record<string, string> | undefined) ?? {} }, // C: hostConfig.LogConfig
            Tmpfs: inputs.tmpfs as Record<string, string> | undefined, // C: hostConfig.Tmpfs
            PortBindings: Object.keys(bindings).length ? bindings : undefined, // C: hostConfig.PortBindings
            Binds: binds, // C: hostConfig.Binds
            // C: hostConfig.Ulimits = ulimitsToDockerUlimits (S: Name/Soft/Hard)
            Ulimits: ((inputs.ulimits ?? []) as { name: string; soft: number; hard: number }[]).map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
            CapAdd: capabilities.adds ?? [], // C: hostConfig.CapAdd
            CapDrop: capabilities.drops ?? [], // C: hostConfig.CapDrop
            SecurityOpt: inputs.securityOpts as string[] | undefined, // C: hostConfig.SecurityOpt (parseSystemPaths)
            Memory: inputs.memory !== undefined ? Number(inputs.memory) * 1024 * 1024 : undefined, // C: hostConfig.Memory = memory MB * 1024 * 1024
            // C: hostConfig.NanoCPUs = opts.ParseCPUs(cpus): the decimal times 1e9.
            NanoCpus: inputs.cpus !== undefined ? Math.round(Number(inputs.cpus) * 1e9) : undefined,
            Init: inputs.init === true, // C: hostConfig.Init = &init
            NetworkMode: inputs.networkMode as string | undefined, // C: hostConfig.NetworkMode
        },
    };
}

/**
 * The tar archive C uploads for one `upload` between create and start: one entry named by the
 * file's full path (C: tar.Header{Name: file, Mode: permissions parsed base 8, else 0744 when
 * executable, else 0644}), extracted at "/" (C: dstPath := "/"; client.CopyToContainer with empty
 * CopyToContainerOptions, so no CopyUIDGID). That header sets no Uid/Gid, so a file uploaded without
 * `owner`/`group` lands 0:0 (here too). The owner and group are the header's Uid/Gid, as pulumi-docker
 * 5.2's upload `owner`/`group` document ("numeric IDs can be used directly":
 * node_modules/@pulumi/docker/types/input.d.ts ContainerUpload). No stored provider source shows
 * them: terraform-provider-docker at 5074970c (v4.5.0, the `upstream` pulumi-docker v5.1.0 pins)
 * and at 83c00e0 has neither an `owner`/`group` upload field nor Uid/Gid in the header
 * (resource_docker_container_funcs.go lines 559-564); kreuzwerker/terraform-provider-docker#996
 * asked for them, so pulumi-docker 5.2 must pin a later release than any stored snapshot.
 *
 * Docker decides by the extraction directory, not by where the file lands: "/" is in no volume, so a
 * read-only root refuses every upload ("container rootfs is marked read-only": moby/moby
 * daemon/archive.go containerExtractToDir with checkIfPathIsInAVolume at v20.10.24, daemon/archive_unix.go
 * checkWritablePath today). Seen on Docker 20.10.24: PUT archive at "/" with `etc/osint/x` into a
 * created read-only container with a volume at /etc/osint is refused (500, that message), while the
 * same archive into a created, never started container with a writable root and a named volume at
 * /etc/osint lands in the volume (a read-only container mounting it read-only reads it, 0444, its
 * uid and gid). So the program uploads only into never-started seed containers
 * (components/docker/container.ts).
 */
export function uploadArchive(upload: Upload): { directory: string; name: string; mode: number; uid: number; gid: number; content: Buffer } {
    const content = upload.contentBase64 !== undefined ? Buffer.from(upload.contentBase64, "base64") : Buffer.from(upload.content ?? "", "utf8");
    const mode = upload.permissions ? parseInt(upload.permissions, 8) : upload.executable ? 0o744 : 0o644;
    const numeric = (id: string | undefined, what: string) => {
        if (id === undefined) return 0;
        if (!/^\d+$/.test(id)) throw new Error(`upload ${upload.file}: the lab resolves only numeric ${what}s, found ${id}`);
        return Number(id);
    };
    return { directory: "/", name: upload.file, mode, uid: numeric(upload.owner, "owner"), gid: numeric(upload.group, "group"), content };
}

/** The inputs whose change makes resourceDockerContainerUpdate call ContainerUpdate (C: its attrs list). */
export const CONTAINER_UPDATE_INPUTS = new Set([
    "restart",
    "maxRetryCount",
    "cpuShares",
    "memory",
    "memoryReservation",
    "cpuSet",
    "memorySwap",
    "deviceReadBps",
    "deviceReadIops",
    "deviceWriteBps",
    "deviceWriteIops",
]);

/**
 * The inputs resourceDockerContainerUpdate handles in place: its attrs list, must_run (started again
 * when it goes from false to true and `start` is set) and `start` (not ForceNew in
 * resource_docker_container.go's schema); every other container input is ForceNew there, so a change replaces.
 */
export const IN_PLACE_CONTAINER_INPUTS = new Set([...CONTAINER_UPDATE_INPUTS, "mustRun", "start"]);

/** POST /containers/{id}/update, as C's resourceDockerContainerUpdate builds container.UpdateConfig. */
export function containerUpdateBody(inputs: Inputs): Record<string, unknown> {
    return {
        RestartPolicy: { Name: (inputs.restart as string | undefined) ?? "no", MaximumRetryCount: (inputs.maxRetryCount as number | undefined) ?? 0 },
        CpuShares: (inputs.cpuShares as number | undefined) ?? 0,
        Memory: Number(inputs.memory ?? 0) * 1024 * 1024,
        MemoryReservation: Number(inputs.memoryReservation ?? 0) * 1024 * 1024,
        CpusetCpus: (inputs.cpuSet as string | undefined) ?? "",
        ...(inputs.memorySwap !== undefined
            ? { MemorySwap: Number(inputs.memorySwap) > 0 ? Number(inputs.memorySwap) * 1024 * 1024 : Number(inputs.memorySwap) }
            : {}),
    };
}
