import { aws } from "../lib/resource-types";
import { BUCKET_TYPES, buckets, configurationsOf } from "../lib/buckets";
import { policyStatements } from "../lib/references";
import { at } from "../lib/report";
import { isRecord, type Props } from "../lib/values";
import type { Rule } from ".";

/** A statement denying every request made without TLS. */
function deniesInsecureTransport(statement: Props): boolean {
    const bool = isRecord(statement.Condition) && isRecord(statement.Condition.Bool) ? statement.Condition.Bool : {};
    return statement.Effect === "Deny" && String(bool["aws:SecureTransport"]) === "false";
}

export const s3TlsOnly: Rule = {
    name: "s3-tls-only",
    description: "Checks that every S3 bucket has a bucket policy denying requests made without TLS.",
    controls: ["AWS FSBP S3.5"],
    severity: "medium",
    remediationSteps:
        'Add an aws.s3.BucketPolicy for the bucket with a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    stackTypes: [...BUCKET_TYPES, aws.s3.BucketPolicy],
    // The bucket policy is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        for (const bucket of buckets(args.resources)) {
            const statements = configurationsOf(bucket, args.resources, [aws.s3.BucketPolicy]).flatMap((p) => policyStatements(p.props.policy));
            if (!statements.some(deniesInsecureTransport)) {
                reportViolation(
                    at("policy", `S3 buckets must only accept TLS: no bucket policy of this stack denies aws:SecureTransport=false on bucket ${bucket.name}.`),
                    bucket.urn,
                );
            }
        }
    },
};
