// Docker's rule for what a fresh named volume holds, and who may write it, modelled from the images'
// own Dockerfiles (components/shared/images.ts, `directories`):
// - the local driver creates the volume's directory root:root 0755 (moby volume/local/local.go, Root.Create);
// - when a container that mounts it is set up, CopyImagePathContent returns early if the mount path
//   does not exist in that container's image (os.IsNotExist); otherwise copyExistingContents copies
//   the image's directory, its owner and mode included (containerd continuity fs.CopyDir), but only
//   while the volume is still empty (moby container/container_unix.go; moby#3124).
// So the first container, in whatever order they start, whose image has the path decides the owner.
import type { ImageDirectory } from "../../components/shared/images";

export interface VolumeMount {
    readonly container: string;
    readonly image: string;
    /** The container's `uid:gid`. */
    readonly user: string;
    readonly path: string;
    readonly readOnly: boolean;
}

export interface VolumeOwnership extends ImageDirectory {
    /** The container whose image filled the volume, if any did. */
    readonly filledBy?: string;
}

export const FRESH_VOLUME: VolumeOwnership = { owner: "0:0", mode: 0o755 };

/** The owner and mode of a fresh volume once `mounts` have started in this order. */
export function fillVolume(mounts: readonly VolumeMount[], directoriesOf: (image: string) => Readonly<Record<string, ImageDirectory>>): VolumeOwnership {
    for (const mount of mounts) {
        const directory = directoriesOf(mount.image)[mount.path];
        if (directory) return { ...directory, filledBy: mount.container };
    }
    return FRESH_VOLUME;
}

/** Whether `user` (`uid:gid`, no supplementary groups) may create files in a directory of this owner and mode. */
export function canWrite(user: string, directory: ImageDirectory): boolean {
    const [uid, gid] = user.split(":");
    const [ownerUid, ownerGid] = directory.owner.split(":");
    if (uid === "0") return true;
    if (uid === ownerUid) return (directory.mode & 0o300) === 0o300;
    if (gid === ownerGid) return (directory.mode & 0o030) === 0o030;
    return (directory.mode & 0o003) === 0o003;
}

/** Every order the mounts can start in (a handful of containers per volume). */
export function orders<T>(items: readonly T[]): T[][] {
    if (items.length <= 1) return [[...items]];
    return items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/** What keeps a writer from writing, for each order the mounts may start in; empty when every writer can. */
export function unwritableMounts(
    volume: string,
    mounts: readonly VolumeMount[],
    directoriesOf: (image: string) => Readonly<Record<string, ImageDirectory>>,
): string[] {
    const findings = new Set<string>();
    for (const order of orders(mounts)) {
        const result = fillVolume(order, directoriesOf);
        for (const writer of mounts.filter((m) => !m.readOnly && !canWrite(m.user, result))) {
            const how = result.filledBy
                ? `filled from ${result.filledBy}'s image`
                : `no mounting container's image has its path (${mounts.map((m) => `${m.container}: ${m.path}`).join(", ")}), so Docker copies nothing`;
            findings.add(
                `volume ${volume}: ${writer.container} (${writer.user}) cannot write ${writer.path}: it is ${result.owner} ${result.mode.toString(8).padStart(4, "0")} (${how})`,
            );
        }
    }
    return [...findings];
}
