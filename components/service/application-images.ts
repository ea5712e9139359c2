// The application images a docker stack runs, each obtained once: a pinned registry image pulled, or
// a local build per distinct (context, target, build arguments). The backend's image serves the
// service and the migration job; the Python stand-in's context builds backend, ai-processor and
// playwright, one image each, as each has its own uid (catalog.ts).
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Target } from "../../config";
import { pinnedImage } from "../docker/container";
import type { ApplicationService } from "./catalog";
import type { ImageSource } from "./image";

const TYPE = "osint:app:Images";

export interface ApplicationImagesArgs {
    readonly target: Target;
    readonly sources: Readonly<Record<ApplicationService, ImageSource>>;
}

/** One image resource per distinct source: the registry reference, or the build's context, target and arguments. */
function sourceKey(source: ImageSource): string {
    return source.kind === "registry" ? source.reference : `${source.context}#${source.target}#${JSON.stringify(source.args)}`;
}

export class ApplicationImages extends pulumi.ComponentResource {
    private readonly ids = new Map<string, pulumi.Output<string>>();

    constructor(
        name: string,
        private readonly args: ApplicationImagesArgs,
        opts: pulumi.ComponentResourceOptions = {},
    ) {
        super(TYPE, name, {}, opts);
        if (args.target !== "docker") throw new Error(`${TYPE}: only docker stacks obtain images themselves; ECS pulls each service's reference`);
        for (const [service, source] of Object.entries(args.sources) as [ApplicationService, ImageSource][]) {
            const key = sourceKey(source);
            if (this.ids.has(key)) continue;
            this.ids.set(key, this.obtain(`${name}-${service}`, source));
        }
        this.registerOutputs({});
    }

    /**
     * The content id a container runs: a new build yields a new id, which replaces the containers
     * running it (a fixed tag would leave them on the old image). With skipPush, pulumi-docker puts
     * the local image id (sha256:...) into `repoDigest` (sdk image.ts, "Local-only images").
     */
    private obtain(name: string, source: ImageSource): pulumi.Output<string> {
        if (source.kind === "registry") return pinnedImage(name, source.reference, this).imageId;
        return new docker.Image(
            name,
            { imageName: source.imageName, build: { context: source.context, target: source.target, args: { ...source.args } }, skipPush: true },
            { parent: this },
        ).repoDigest;
    }

    /** The image id `service` runs. */
    id(service: ApplicationService): pulumi.Output<string> {
        const id = this.ids.get(sourceKey(this.args.sources[service]));
        if (!id) throw new Error(`${TYPE}: no image for ${service}`);
        return id;
    }
}
