import { aws } from "../lib/resource-types";
import { bucketsWithout } from "../lib/buckets";
import { at } from "../lib/report";
import { isRecord } from "../lib/values";
import type { Rule } from ".";

const LOGGING = [aws.s3.BucketLogging, aws.s3.BucketLoggingV2];

// Advisory in the AWS stacks (policies/config): their one bucket holds the load balancer's access logs,
// and logging the reads and writes of a log bucket needs a second log bucket, itself unlogged.
export const s3AccessLogging: Rule = {
    name: "s3-access-logging",
    description: "Checks that every S3 bucket writes server access logs to another bucket.",
    controls: ["AWS FSBP S3.9", "Checkov CKV_AWS_18"],
    severity: "medium",
    remediationSteps: "Add an aws.s3.BucketLogging for the bucket with a `targetBucket` (a different bucket) and `targetPrefix`.",
    stackTypes: [aws.s3.Bucket, aws.s3.BucketV2, ...LOGGING],
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketsWithout(args.resources, LOGGING))
            if (!isRecord(bucket.props.logging))
                reportViolation(
                    at("bucket", `S3 buckets must write server access logs: no bucket logging configuration names bucket ${bucket.name}.`),
                    bucket.urn,
                );
    },
};
