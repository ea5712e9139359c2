// A review stack's time to live (the pull-request stacks Pulumi Deployments creates from Pulumi.pr.yaml):
// Deployments destroys one when its pull request closes; this destroys one still open `hours` after its
// first `pulumi up`, and deletes it from Pulumi Cloud. The stack schedules its own destroy, since a
// review stack's name is known only once Deployments has made it (pulumiservice TtlSchedule).
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";

/**
 * Prints the instant `HOURS` from now in the ISO 8601 form TtlSchedule takes. A create-only command:
 * its output stays what the first `up` printed, so later updates never move the deadline.
 */
export const EXPIRY_SCRIPT = 'date -u -d "+${HOURS} hours" +%Y-%m-%dT%H:%M:%SZ';

export interface ReviewStackLifetimeArgs {
    /** Hours after the stack's first `up` that it is destroyed. */
    readonly hours: number;
}

export class ReviewStackLifetime extends pulumi.ComponentResource {
    /** When the stack will be destroyed (UTC, ISO 8601). */
    public readonly expiresAt: pulumi.Output<string>;

    constructor(name: string, args: ReviewStackLifetimeArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:platform:ReviewStackLifetime", name, {}, opts);
        const expiry = new command.local.Command(
            `${name}-expiry`,
            { create: EXPIRY_SCRIPT, interpreter: ["/bin/bash", "-c"], environment: { HOURS: String(args.hours) } },
            { parent: this },
        );
        const schedule = new service.TtlSchedule(
            `${name}-ttl`,
            {
                organization: pulumi.getOrganization(),
                project: pulumi.getProject(),
                stack: pulumi.getStack(),
                timestamp: expiry.stdout.apply((s) => s.trim()),
                deleteAfterDestroy: true,
            },
            { parent: this },
        );
        this.expiresAt = schedule.timestamp;
        this.registerOutputs({ expiresAt: this.expiresAt });
    }
}
