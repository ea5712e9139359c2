import { aws } from "../lib/resource-types";
import { bucketsWithout } from "../lib/buckets";
import { at } from "../lib/report";
import type { Rule } from ".";

const NOTIFICATIONS = [aws.s3.BucketNotification];

// Advisory in the AWS stacks (policies/config): nothing consumes events of the access-log bucket; its
// readers are people investigating an incident.
export const s3EventNotifications: Rule = {
    name: "s3-event-notifications",
    description: "Checks that every S3 bucket sends event notifications (to SNS, SQS, Lambda or EventBridge).",
    controls: ["AWS FSBP S3.11", "Checkov CKV2_AWS_62"],
    severity: "low",
    remediationSteps: "Add an aws.s3.BucketNotification for the bucket (e.g. `eventbridge: true`).",
    stackTypes: [aws.s3.Bucket, aws.s3.BucketV2, ...NOTIFICATIONS],
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketsWithout(args.resources, NOTIFICATIONS))
            reportViolation(at("bucket", `S3 buckets must send event notifications: no bucket notification names bucket ${bucket.name}.`), bucket.urn);
    },
};
