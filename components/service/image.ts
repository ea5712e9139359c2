import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, type StackConfig } from "../../config";
import { dependencyDirectory, serviceDefinitions, UID_BUILD_ARG, type ApplicationService, type Runtime } from "./catalog";

export type ImageSource =
    | { readonly kind: "registry"; readonly reference: string }
    | {
          readonly kind: "build";
          readonly context: string;
          readonly target: "development" | "production";
          readonly imageName: string;
          /** Where the image keeps its installed dependencies (kept through the hot-reload mount). */
          readonly dependencyDir: string;
          /** The service's uid (UID_BUILD_ARG): the same context builds one image per service. */
          readonly args: Readonly<Record<string, string>>;
      };

/** The stand-in images (docs/image-contract.md), relative to the project: one per runtime. */
export const STAND_IN_ROOT = "images";
export const standInDirectories: Readonly<Record<Runtime, string>> = { python: "python-service", node: "frontend" };

/** The directory a service's image is built from: its stand-in, or `<buildContextRoot>/<service>`. */
export function buildContext(service: ApplicationService, buildContextRoot: string, projectDir: string): string {
    if (buildContextRoot === "") return path.join(projectDir, STAND_IN_ROOT, standInDirectories[serviceDefinitions[service].runtime]);
    return path.resolve(projectDir, buildContextRoot, service);
}

/**
 * Where a service's image comes from: the registry (GHCR) by pinned tag, or a local multi-stage
 * build. A build context must exist now: pulumi-docker hashes it during preview (provider.go,
 * Check -> hashContext), so a missing one would fail `pulumi preview` with a bare file error.
 */
export function applicationImage(service: ApplicationService, config: StackConfig, projectDir: string): ImageSource {
    if (config.imageSource === "registry") {
        return { kind: "registry", reference: `${config.imageRegistry}/${service}:${config.imageTag}` };
    }
    const context = buildContext(service, config.buildContextRoot, projectDir);
    if (!fs.existsSync(path.join(context, "Dockerfile"))) {
        throw new ConfigError(
            config.stack,
            `${config.project}:buildContextRoot`,
            `a directory holding ${service}/Dockerfile: clone the application repository there, or remove the key to build the stand-in images`,
            `${JSON.stringify(config.buildContextRoot)} (${path.join(context, "Dockerfile")} does not exist)`,
        );
    }
    return {
        kind: "build",
        context,
        target: config.buildTarget,
        imageName: `${config.project}/${service}:${config.imageTag}-${config.buildTarget}`,
        dependencyDir: dependencyDirectory[serviceDefinitions[service].runtime],
        args: { [UID_BUILD_ARG]: String(serviceDefinitions[service].uid) },
    };
}
