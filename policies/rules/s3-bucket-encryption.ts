import * as aws from "@pulumi/aws";
import type { StackValidationPolicy } from "@pulumi/policy";
import { referencedBy } from "../lib/references";

const SSE_ALGORITHMS = ["aws:kms", "aws:kms:dsse", "AES256"];

interface SseRule {
    readonly applyServerSideEncryptionByDefault?: { readonly sseAlgorithm?: string };
}

function encrypts(rules: unknown): boolean {
    return (
        Array.isArray(rules) &&
        rules.length > 0 &&
        (rules as SseRule[]).every((r) => SSE_ALGORITHMS.includes(r.applyServerSideEncryptionByDefault?.sseAlgorithm ?? ""))
    );
}

export const s3BucketEncryption: StackValidationPolicy = {
    name: "s3-bucket-encryption",
    description: "Checks that every S3 bucket has default server-side encryption (aws:kms, aws:kms:dsse or AES256).",
    remediationSteps: 'Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket whose rule applies `sseAlgorithm: "aws:kms"` with a KMS key.',
    // The encryption configuration is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        const configurations = args.resources.filter((r) => r.isType(aws.s3.BucketServerSideEncryptionConfiguration));
        for (const bucket of args.resources.filter((r) => r.isType(aws.s3.Bucket))) {
            const inline = bucket.props.serverSideEncryptionConfiguration?.rule;
            const configured = configurations.filter((c) => referencedBy([bucket], c.props.bucket, "bucket").length > 0);
            if (!encrypts(inline ? [inline] : []) && !configured.some((c) => encrypts(c.props.rules))) {
                reportViolation(
                    `S3 buckets must have default server-side encryption: no encryption configuration of this stack applies ${SSE_ALGORITHMS.join(", ")} to bucket ${bucket.name}.`,
                    bucket.urn,
                );
            }
        }
    },
};
