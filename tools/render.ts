// npm run -s render -- --stack <s> --out <dir>
// Writes every configuration file a stack hands to its containers, offline and byte for byte as
// the program uploads them: non-secret container uploads, and the files of read-only bind mounts
// (e.g. the PostgreSQL init scripts). Secret uploads are skipped, never written. A tls certificate is
// real: the plan's tls resources get a freshly made key and a self-signed certificate from the
// resource's own inputs (domain, validity), as `pulumi up` would make them; the key, a secret
// upload, is never written, so the certificate is a new one each run, not a deployed stack's.
// Layout: <dir>/<service>/<path inside the container>.
import * as fs from "node:fs";
import * as path from "node:path";
import { planFromArgs, planOptions, runTool, type ToolSpec, UsageError, writeResult } from "./cli";
import { fileProblem, makeFolder, PathError } from "../lib/file-problems";
import type { Plan } from "../lib/plan-engine";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../lib/placeholders";
import { STACK_VALUE } from "../lib/stacks";
import { serviceOf, uploadSeedTarget } from "../components/docker/labels";

const CONTAINER = "docker:index/container:Container";

export interface RenderedFile {
    /** The container's service name (its network alias). */
    readonly service: string;
    /** Absolute path inside the container. */
    readonly path: string;
    readonly content: Buffer;
    readonly executable: boolean;
}

interface Upload {
    readonly file: string;
    readonly content?: unknown;
    readonly contentBase64?: unknown;
    /** A host file the provider reads at deployment. */
    readonly source?: unknown;
    readonly permissions?: string;
}

function known(value: unknown): value is string {
    return typeof value === "string" && value !== UNKNOWN_PLACEHOLDER && value !== SECRET_PLACEHOLDER;
}

/** The bytes of an upload, as the provider would write them into the container. */
function uploadBytes(upload: Upload): Buffer | undefined {
    if (known(upload.content)) return Buffer.from(upload.content);
    if (known(upload.contentBase64)) return Buffer.from(upload.contentBase64, "base64");
    if (known(upload.source)) return fs.readFileSync(upload.source);
    return undefined;
}

interface Mount {
    readonly containerPath: string;
    readonly hostPath?: string;
    readonly readOnly?: boolean;
}

function filesUnder(directory: string): string[] {
    return fs
        .readdirSync(directory, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
        .map((entry) => path.relative(directory, path.join(entry.parentPath, entry.name)))
        .sort();
}

/** The configuration files of every container in `plan`. */
export function renderedFiles(plan: Plan): RenderedFile[] {
    const files: RenderedFile[] = [];
    const containers = plan.resources.filter((r) => r.type === CONTAINER);
    // An upload seed's files are those of the container it serves (components/docker/container.ts).
    const services = new Map(containers.map((r) => [r.inputs.name, serviceOf(r)]));
    for (const resource of containers) {
        const seedFor = uploadSeedTarget(resource.inputs.labels);
        const service = String(seedFor === undefined ? serviceOf(resource) : services.get(seedFor));
        for (const upload of (resource.inputs.uploads ?? []) as Upload[]) {
            if (upload.content === SECRET_PLACEHOLDER || upload.contentBase64 === SECRET_PLACEHOLDER) continue;
            const content = uploadBytes(upload);
            if (!content)
                throw new Error(`${plan.stack}: ${service} uploads ${upload.file} with content unknown before deployment; render needs it known offline`);
            const executable = upload.permissions !== undefined && (parseInt(upload.permissions, 8) & 0o111) !== 0;
            files.push({ service, path: upload.file, content, executable });
        }
        // Read-only bind mounts carry configuration from the repository; read-write ones are sources or data.
        for (const mount of (resource.inputs.volumes ?? []) as Mount[]) {
            if (!mount.hostPath || !mount.readOnly) continue;
            for (const relative of filesUnder(mount.hostPath)) {
                const hostFile = path.join(mount.hostPath, relative);
                files.push({
                    service,
                    path: path.posix.join(mount.containerPath, ...relative.split(path.sep)),
                    content: fs.readFileSync(hostFile),
                    executable: (fs.statSync(hostFile).mode & 0o111) !== 0,
                });
            }
        }
    }
    return files;
}

/** Where `file` lands under `outDir`. */
export function renderedPath(outDir: string, service: string, containerPath: string): string {
    return path.join(outDir, service, ...containerPath.split("/").filter(Boolean));
}

export function writeRendered(files: readonly RenderedFile[], outDir: string): string[] {
    return files.map((file) => {
        const target = renderedPath(outDir, file.service, file.path);
        try {
            makeFolder(path.dirname(target));
            fs.writeFileSync(target, file.content, { mode: file.executable ? 0o755 : 0o644 });
        } catch (err) {
            throw new PathError(`--out ${outDir}: ${target} cannot be written: ${fileProblem(err)}`);
        }
        return target;
    });
}

const options = {
    ...planOptions,
    out: { type: "string", value: "<dir>", description: "the directory to write into: <dir>/<service>/<path inside the container> (required)" },
} as const;

export const spec: ToolSpec<typeof options> = {
    name: "render",
    summary:
        "writes every configuration file a stack hands its containers, byte for byte as uploaded (secrets are never written; a tls certificate is a freshly made self-signed one), and lists them",
    usage: [`--stack ${STACK_VALUE} --out <dir> [--config-file <file>]`],
    options,
    examples: ["npm run -s render -- --stack dev --out rendered/", "npm run -s render -- --stack dev --out rendered/ | grep nginx"],
    exitCodes: { 0: "the files were written; their paths are printed, one a line" },
};

if (require.main === module)
    runTool(spec, async (values) => {
        if (!values.out) throw new UsageError("option --out is required");
        // Loaded here, not above: --help and usage errors load no SDK.
        const { withRealTls } = await import("../lib/tls-values");
        const plan = await planFromArgs(values, { mocks: withRealTls() });
        const outDir = path.resolve(values.out);
        const files = renderedFiles(plan);
        if (files.length === 0)
            process.stderr.write(`${plan.stack} hands no configuration files to containers (its services are managed or configured by API)\n`);
        const written = writeRendered(files, outDir);
        const out = values.out;
        if (written.length > 0) writeResult(written.map((file) => path.join(out, path.relative(outDir, file))).join("\n"), undefined);
        return 0;
    });
