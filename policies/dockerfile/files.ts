// Which Dockerfiles the check judges: those the dev plan builds (each docker.Image's build context and
// dockerfile, as the program declared them; never a path a checked document names), or every
// Dockerfile under a folder the user gives.
import * as fs from "node:fs";
import * as path from "node:path";
import type { DockerfileText } from "./judge";

const IMAGE_TYPE = "docker:index/image:Image";
// Dockerfile, Dockerfile.dev, api.Dockerfile (the names `docker build -f` conventions and editors use).
const DOCKERFILE_NAME = /^(Dockerfile(\.[\w.-]+)?|[\w.-]+\.[Dd]ockerfile)$/;
const SKIPPED = new Set(["node_modules", ".git"]);

function read(absolute: string, root: string): DockerfileText {
    return { file: path.relative(root, absolute).split(path.sep).join("/"), text: fs.readFileSync(absolute, "utf8") };
}

/** The Dockerfiles the plan's docker.Image resources build, named relative to `root` (the repository). */
export function plannedDockerfiles(resources: readonly { readonly type: string; readonly inputs: Record<string, unknown> }[], root: string): DockerfileText[] {
    const files = new Set<string>();
    for (const { type, inputs } of resources) {
        const build = inputs.build as { context?: unknown; dockerfile?: unknown } | undefined;
        if (type !== IMAGE_TYPE || typeof build?.context !== "string") continue;
        const context = path.resolve(root, build.context);
        files.add(path.resolve(context, typeof build.dockerfile === "string" ? build.dockerfile : "Dockerfile"));
    }
    return [...files].sort().map((file) => read(file, root));
}

/** Every Dockerfile under `folder` (node_modules and .git skipped), named relative to `root`. */
export function folderDockerfiles(folder: string, root: string): DockerfileText[] {
    const found: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory() && !SKIPPED.has(entry.name)) walk(full);
            else if (entry.isFile() && DOCKERFILE_NAME.test(entry.name)) found.push(full);
        }
    };
    walk(path.resolve(root, folder));
    return found.map((file) => read(file, root));
}
