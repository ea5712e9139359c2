import { aws } from "../lib/resource-types";
import { buckets, configurationsOf } from "../lib/buckets";
import { at } from "../lib/report";
import { isRecord, shown } from "../lib/values";
import type { Rule } from ".";

const OWNERSHIP = [aws.s3.BucketOwnershipControls];

export const s3AclsDisabled: Rule = {
    name: "s3-acls-disabled",
    description: "Checks that every S3 bucket disables ACLs (object ownership BucketOwnerEnforced), so access is granted by policy alone.",
    controls: ["AWS FSBP S3.12", "Checkov CKV2_AWS_65"],
    severity: "medium",
    remediationSteps: 'Add an aws.s3.BucketOwnershipControls for the bucket with `rule: { objectOwnership: "BucketOwnerEnforced" }`.',
    stackTypes: [aws.s3.Bucket, aws.s3.BucketV2, ...OWNERSHIP],
    validateStack: (args, reportViolation) => {
        for (const bucket of buckets(args.resources)) {
            const found = configurationsOf(bucket, args.resources, OWNERSHIP).map((c) => (isRecord(c.props.rule) ? c.props.rule.objectOwnership : undefined));
            if (!found.includes("BucketOwnerEnforced"))
                reportViolation(
                    at("bucket", `S3 buckets must disable ACLs: bucket ${bucket.name} has object ownership ${shown(found)}, not BucketOwnerEnforced.`),
                    bucket.urn,
                );
        }
    },
};
