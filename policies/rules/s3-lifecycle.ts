import { aws } from "../lib/resource-types";
import { buckets, configurationsOf } from "../lib/buckets";
import { at } from "../lib/report";
import { records } from "../lib/values";
import type { Rule } from ".";

const LIFECYCLE = [aws.s3.BucketLifecycleConfiguration, aws.s3.BucketLifecycleConfigurationV2];

export const s3Lifecycle: Rule = {
    name: "s3-lifecycle",
    description: "Checks that every S3 bucket has a lifecycle configuration with an enabled rule, so objects (and old versions) expire instead of piling up.",
    controls: ["AWS FSBP S3.10", "AWS FSBP S3.13", "Checkov CKV2_AWS_61"],
    severity: "medium",
    remediationSteps: 'Add an aws.s3.BucketLifecycleConfiguration for the bucket with a rule of `status: "Enabled"` (expiration, noncurrentVersionExpiration).',
    stackTypes: [aws.s3.Bucket, aws.s3.BucketV2, ...LIFECYCLE],
    validateStack: (args, reportViolation) => {
        for (const bucket of buckets(args.resources)) {
            const enabled = configurationsOf(bucket, args.resources, LIFECYCLE)
                .flatMap((c) => records(c.props.rules))
                .filter((r) => r.status === "Enabled");
            if (enabled.length === 0 && !records(bucket.props.lifecycleRules).some((r) => r.enabled === true))
                reportViolation(
                    at("bucket", `S3 buckets must have a lifecycle configuration: no enabled lifecycle rule names bucket ${bucket.name}.`),
                    bucket.urn,
                );
        }
    },
};
