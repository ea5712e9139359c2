import { aws } from "../lib/resource-types";
import { BUCKET_TYPES, buckets, configurationsOf } from "../lib/buckets";
import { at } from "../lib/report";
import type { Rule } from ".";

const SETTINGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3PublicAccessBlock: Rule = {
    name: "s3-public-access-block",
    description: "Checks that every S3 bucket has a public access block with all four settings on.",
    controls: ["AWS FSBP S3.8", "Checkov CKV_AWS_53", "Checkov CKV_AWS_54", "Checkov CKV_AWS_55", "Checkov CKV_AWS_56", "Checkov CKV2_AWS_6"],
    severity: "high",
    remediationSteps:
        "Add an aws.s3.BucketPublicAccessBlock for the bucket with `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets` all true.",
    stackTypes: [...BUCKET_TYPES, aws.s3.BucketPublicAccessBlock],
    // The block is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        for (const bucket of buckets(args.resources)) {
            const blocks = configurationsOf(bucket, args.resources, [aws.s3.BucketPublicAccessBlock]);
            const complete = blocks.some((b) => SETTINGS.every((s) => b.props[s] === true));
            if (!complete) {
                const found = blocks.length === 0 ? "none" : SETTINGS.filter((s) => blocks[0].props[s] !== true).join(", ") + " not true";
                reportViolation(at("bucket", `S3 buckets must block public access: the public access block of bucket ${bucket.name} is ${found}.`), bucket.urn);
            }
        }
    },
};
