import * as pulumi from "@pulumi/pulumi";
import { dockerAttachment } from "../network";
import { hardenedContainer, secretFileVariables } from "../docker/container";
import { healthcheckCommand, serviceUser } from "./catalog";
import type { ServiceArgs, ServiceEndpoint } from "./index";

export function dockerService(name: string, args: ServiceArgs, parent: pulumi.ComponentResource): ServiceEndpoint {
    const networks = dockerAttachment(args.network, "osint:app:Service");
    if (!args.imageId) throw new Error(`${name}: a docker service runs the content id of its image (ApplicationImages.id), none was given`);
    // The development stage hot-reloads from the source tree mounted over /app (design: "Development
    // Environment"); a fresh volume over the dependency directory keeps the image's installed
    // dependencies visible through the mount, as the design's `/app/.venv` volume does.
    const hotReload = args.image.kind === "build" && args.image.target === "development" ? args.image : undefined;
    hardenedContainer(
        `${name}-container`,
        {
            service: args.service,
            image: args.imageId,
            user: serviceUser(args.service),
            size: args.size,
            networks,
            egress: args.definition.egress,
            env: {
                ...args.env,
                PORT: String(args.definition.port),
                ...secretFileVariables(args.secretFiles),
            },
            secretFiles: args.secretFiles,
            // Read-write, as Docker must create the dependency directory's mount point in it; the
            // application writes only /tmp (docs/image-contract.md).
            bindMounts: hotReload ? [{ hostPath: hotReload.context, containerPath: "/app" }] : [],
            anonymousVolumes: hotReload ? [hotReload.dependencyDir] : [],
            healthcheck: healthcheckCommand(args.definition),
            dependsOn: args.dependsOn,
        },
        parent,
    );
    return { host: pulumi.output(args.service), port: args.definition.port };
}
