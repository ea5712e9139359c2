import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerAttachment } from "../network";
import { hardenedContainer, pinnedImage, secretFileVariables } from "../shared/docker-container";
import { APPLICATION_USER } from "../shared/images";
import { healthcheckCommand } from "./catalog";
import type { ImageSource } from "./image";
import type { ServiceArgs, ServiceEndpoint } from "./index";

/** The service's image: pulled by pinned reference, or built from its multi-stage Dockerfile. */
export function imageResource(name: string, source: ImageSource, parent: pulumi.Resource): pulumi.Output<string> {
    if (source.kind === "registry") return pinnedImage(`${name}-image`, source.reference, parent).imageId;
    const image = new docker.Image(
        `${name}-image`,
        { imageName: source.imageName, build: { context: source.context, target: source.target }, skipPush: true },
        { parent },
    );
    return image.imageName;
}

export function dockerService(name: string, args: ServiceArgs, parent: pulumi.ComponentResource): ServiceEndpoint {
    const networks = dockerAttachment(args.network, "osint:app:Service");
    // The development stage hot-reloads from the mounted source tree (design: "Development Environment").
    const hotReload = args.image.kind === "build" && args.image.target === "development";
    hardenedContainer(
        `${name}-container`,
        {
            service: args.service,
            image: imageResource(name, args.image, parent),
            user: APPLICATION_USER,
            size: args.size,
            networks,
            egress: args.definition.egress,
            env: {
                ...args.env,
                PORT: String(args.definition.port),
                ...secretFileVariables(args.secretFiles),
            },
            secretFiles: args.secretFiles,
            bindMounts: hotReload && args.image.kind === "build" ? [{ hostPath: args.image.context, containerPath: "/app" }] : [],
            healthcheck: healthcheckCommand(args.definition),
            dependsOn: args.dependsOn,
        },
        parent,
    );
    return { host: pulumi.output(args.service), port: args.definition.port };
}
