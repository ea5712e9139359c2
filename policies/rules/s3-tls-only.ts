import * as aws from "@pulumi/aws";
import type { StackValidationPolicy } from "@pulumi/policy";
import { policyDocument, referencedBy } from "../lib/references";

interface Statement {
    readonly Effect?: string;
    readonly Condition?: { readonly Bool?: Record<string, unknown> };
}

/** A statement denying every request made without TLS. */
function deniesInsecureTransport(statement: Statement): boolean {
    return statement.Effect === "Deny" && String(statement.Condition?.Bool?.["aws:SecureTransport"]) === "false";
}

export const s3TlsOnly: StackValidationPolicy = {
    name: "s3-tls-only",
    description: "Checks that every S3 bucket has a bucket policy denying requests made without TLS.",
    remediationSteps:
        'Add an aws.s3.BucketPolicy for the bucket with a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
    // The bucket policy is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        const policies = args.resources.filter((r) => r.isType(aws.s3.BucketPolicy));
        for (const bucket of args.resources.filter((r) => r.isType(aws.s3.Bucket))) {
            const statements = policies
                .filter((p) => referencedBy([bucket], p.props.bucket, "bucket").length > 0)
                .flatMap((p) => [policyDocument(p.props.policy)?.Statement ?? []].flat() as Statement[]);
            if (!statements.some(deniesInsecureTransport)) {
                reportViolation(
                    `S3 buckets must only accept TLS: no bucket policy of this stack denies aws:SecureTransport=false on bucket ${bucket.name}.`,
                    bucket.urn,
                );
            }
        }
    },
};
