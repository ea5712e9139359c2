import * as path from "node:path";
import type { StackConfig } from "../../config";
import type { ApplicationService } from "./catalog";

export type ImageSource =
    | { readonly kind: "registry"; readonly reference: string }
    | { readonly kind: "build"; readonly context: string; readonly target: "development" | "production"; readonly imageName: string };

/** Where a service's image comes from: the registry (GHCR) by pinned tag, or a local multi-stage build. */
export function applicationImage(service: ApplicationService, config: StackConfig, projectDir: string): ImageSource {
    if (config.imageSource === "registry") {
        return { kind: "registry", reference: `${config.imageRegistry}/${service}:${config.imageTag}` };
    }
    return {
        kind: "build",
        context: path.resolve(projectDir, config.buildContextRoot, service),
        target: config.buildTarget,
        imageName: `${config.project}/${service}:${config.imageTag}-${config.buildTarget}`,
    };
}
