// The dev stack on a real engine: the program run under mocks that return real values (passwords,
// the TLS key and certificate, built image ids), its plan applied with the lab images standing in
// for the upstream references. The plan is the one `pulumi up --stack dev` would send; only the
// engine's image for each upstream reference is the lab's.
import * as path from "node:path";
import type Docker from "dockerode";
import type * as pulumi from "@pulumi/pulumi";
import { buildPlan, type Plan } from "../../lib/plan-engine";
import { buildContext, ensureLabImages } from "../images/build";
import { type Timer, untimed } from "../timings";
import { REPO_ROOT } from "../images/cache";
import { LabStack } from "./apply";
import { realValueMocks, type ImageBuildRequest } from "./real-values";

export const DEV_STACK = "dev";

/**
 * Mocks whose answers last for the session, as a stack's state does: a resource planned again with
 * the same inputs keeps its values (its passwords, its key), as `pulumi up` keeps them.
 */
function remembering(mocks: pulumi.runtime.Mocks): pulumi.runtime.Mocks {
    const answers = new Map<string, { inputs: string; result: Promise<pulumi.runtime.MockResourceResult> }>();
    return {
        newResource(args) {
            const key = `${args.type}::${args.name}`;
            const inputs = JSON.stringify(args.inputs);
            const previous = answers.get(key);
            if (previous && previous.inputs === inputs) return previous.result;
            const result = Promise.resolve(mocks.newResource(args));
            answers.set(key, { inputs, result });
            return result;
        },
        call: (args) => mocks.call(args),
    };
}

export class DevStackLab {
    readonly stack: LabStack;
    private readonly mocks: pulumi.runtime.Mocks;

    private constructor(
        readonly docker: Docker,
        imageFor: (reference: string) => string,
        /** Settles when the lab images built for this run are saved to the cache (lab/images/build.ts). */
        readonly saved: Promise<void>,
        private readonly log: (line: string) => void,
        private readonly time: Timer,
    ) {
        this.stack = new LabStack(docker, imageFor, log);
        this.mocks = remembering(realValueMocks((request) => this.buildImage(request)));
    }

    /** Lab images present on `docker`, ready to plan and apply. */
    static async prepare(docker: Docker, log: (line: string) => void, time: Timer = untimed): Promise<DevStackLab> {
        const images = await ensureLabImages(docker, log, time);
        // A built image's id (sha256:...) is the engine's own; anything else is an upstream reference.
        return new DevStackLab(docker, (reference) => (reference.startsWith("sha256:") ? reference : images.idFor(reference)), images.saved, log, time);
    }

    /** The last build queued on each context folder. */
    private readonly builds = new Map<string, Promise<unknown>>();

    /**
     * An image the program builds (pulumi-docker Image with skipPush): its local id. Builds of one
     * context run one after another, so each reuses the engine's cache for the layers they share
     * (the python services differ only from their uid's layer on); different contexts build at once.
     */
    private buildImage(request: ImageBuildRequest): Promise<string> {
        const context = path.resolve(REPO_ROOT, request.context);
        const build = (this.builds.get(context) ?? Promise.resolve()).catch(() => {}).then(() => this.buildNow(context, request));
        this.builds.set(context, build);
        return build;
    }

    private async buildNow(context: string, request: ImageBuildRequest): Promise<string> {
        this.log(`lab: building ${request.imageName} (${path.relative(REPO_ROOT, context)}, target ${request.target ?? "last"})`);
        return this.time(`image ${request.imageName}`, () =>
            buildContext(this.docker, context, {
                t: request.imageName,
                dockerfile: request.dockerfile ? path.relative(context, path.resolve(REPO_ROOT, request.dockerfile)) : undefined,
                target: request.target,
                buildargs: request.args,
            }),
        );
    }

    /** The dev plan with real values (secrets revealed, to hand to the containers as the provider does). */
    plan(): Promise<Plan> {
        return buildPlan(REPO_ROOT, DEV_STACK, undefined, { mocks: this.mocks, revealSecrets: true });
    }
}
