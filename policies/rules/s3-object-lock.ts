import { aws } from "../lib/resource-types";
import { bucketsWithout } from "../lib/buckets";
import { at } from "../lib/report";
import { isRecord } from "../lib/values";
import type { Rule } from ".";

const LOCK = [aws.s3.BucketObjectLockConfiguration, aws.s3.BucketObjectLockConfigurationV2];

// Advisory in the AWS stacks (policies/config): the access-log bucket is versioned and expires logs
// after the retention period; write-once retention would keep them past it.
export const s3ObjectLock: Rule = {
    name: "s3-object-lock",
    description: "Checks that every S3 bucket has Object Lock enabled, so objects cannot be overwritten or deleted during their retention.",
    controls: ["Checkov CKV_AWS_143"],
    severity: "low",
    remediationSteps: "Create the bucket with `objectLockEnabled: true` and add an aws.s3.BucketObjectLockConfiguration with a default retention.",
    stackTypes: [aws.s3.Bucket, aws.s3.BucketV2, ...LOCK],
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketsWithout(args.resources, LOCK)) {
            const inline =
                bucket.props.objectLockEnabled === true ||
                (isRecord(bucket.props.objectLockConfiguration) && bucket.props.objectLockConfiguration.objectLockEnabled === "Enabled");
            if (!inline) reportViolation(at("objectLockEnabled", `S3 buckets must have Object Lock: bucket ${bucket.name} enables none.`), bucket.urn);
        }
    },
};
