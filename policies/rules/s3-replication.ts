import { aws } from "../lib/resource-types";
import { bucketsWithout } from "../lib/buckets";
import { at } from "../lib/report";
import type { Rule } from ".";

const REPLICATION = [aws.s3.BucketReplicationConfig];

// Advisory in the AWS stacks (policies/config): the access logs are kept in the region they describe;
// the disaster-recovery copies are the database's (AWS Backup and RDS backup replication).
export const s3Replication: Rule = {
    name: "s3-replication",
    description: "Checks that every S3 bucket replicates its objects to a bucket in another region.",
    controls: ["Checkov CKV_AWS_144"],
    severity: "low",
    remediationSteps: "Add an aws.s3.BucketReplicationConfig for the bucket with a rule to a versioned bucket in another region.",
    stackTypes: [aws.s3.Bucket, aws.s3.BucketV2, ...REPLICATION],
    validateStack: (args, reportViolation) => {
        for (const bucket of bucketsWithout(args.resources, REPLICATION))
            reportViolation(at("bucket", `S3 buckets must replicate to another region: no replication configuration names bucket ${bucket.name}.`), bucket.urn);
    },
};
