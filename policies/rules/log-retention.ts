import { aws, docker } from "../lib/resource-types";
import { at } from "../lib/report";
import { retentionTooShort } from "../lib/retention";
import { isRecord, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

interface LogRetentionConfig {
    readonly minimumDays: number;
}

// Drivers that keep logs on the docker host, where only rotation options bound them.
const LOCAL_DRIVERS = ["json-file", "local"];

export const logRetention: Rule = {
    name: "log-retention",
    description: "Checks that logs have a set retention: CloudWatch log groups keep at least the configured days and never forever; docker logs rotate.",
    // Not CloudWatch.16, whose Config rule passes never-expire and defaults to 365 days; Checkov's
    // CKV_AWS_66 (CloudWatchLogGroupRetention.py) fails a log group without retention_in_days, as this does.
    controls: ["Checkov CKV_AWS_66"],
    severity: "medium",
    remediationSteps:
        "Set `retentionInDays` on the aws.cloudwatch.LogGroup to at least the stack's minimumDays (config key logRetentionDays); on docker use the json-file or local driver with `logOpts` max-size and max-file.",
    configSchema: { properties: { minimumDays: { type: "integer", minimum: 1, default: 30 } } },
    validateResource: [
        ...validateTypes([aws.cloudwatch.LogGroup], (group, args, reportViolation) => {
            const { minimumDays } = args.getConfig<LogRetentionConfig>();
            const days = group.retentionInDays;
            if (retentionTooShort(days, minimumDays))
                reportViolation(
                    at(
                        "retentionInDays",
                        `CloudWatch log groups must keep logs a set number of days, at least ${minimumDays}: retentionInDays is ${shown(days)}.`,
                    ),
                );
        }),
        ...validateTypes([docker.Container], (container, _args, reportViolation) => {
            const driver = container.logDriver ?? "json-file";
            const options = isRecord(container.logOpts) ? container.logOpts : {};
            if (typeof driver !== "string" || !LOCAL_DRIVERS.includes(driver) || !options["max-size"] || !options["max-file"]) {
                reportViolation(
                    at(
                        "logOpts",
                        `Container logs must rotate: log driver ${shown(driver)} needs logOpts max-size and max-file (found ${shown(container.logOpts)}).`,
                    ),
                );
            }
        }),
    ],
};
