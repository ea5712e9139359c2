import { BUCKET_TYPES, buckets, configurationsOf, ENCRYPTION_TYPES } from "../lib/buckets";
import { at } from "../lib/report";
import { isRecord, records, shown } from "../lib/values";
import type { Rule } from ".";

const SSE_ALGORITHMS = ["aws:kms", "aws:kms:dsse", "AES256"];

/** Whether a list of SSE rules is non-empty and each applies one of the algorithms. */
function encrypts(rules: unknown): boolean {
    const read = records(rules);
    return (
        read.length > 0 &&
        read.every(
            (r) => isRecord(r.applyServerSideEncryptionByDefault) && SSE_ALGORITHMS.includes(r.applyServerSideEncryptionByDefault.sseAlgorithm as string),
        )
    );
}

/** The inline rules of a bucket: Bucket's `serverSideEncryptionConfiguration.rule`, BucketV2's `serverSideEncryptionConfigurations[].rules`. */
function inlineRules(props: Record<string, unknown>): unknown[] {
    const single = isRecord(props.serverSideEncryptionConfiguration) ? [props.serverSideEncryptionConfiguration.rule] : [];
    return [...single, ...records(props.serverSideEncryptionConfigurations).flatMap((c) => records(c.rules))];
}

export const s3BucketEncryption: Rule = {
    name: "s3-bucket-encryption",
    description: "Checks that every S3 bucket has default server-side encryption (aws:kms, aws:kms:dsse or AES256).",
    // FSBP S3.17 fails SSE-S3 (AES256), which this rule accepts (an ALB access-log bucket supports only
    // SSE-S3); Checkov's CKV_AWS_19 (graph_checks/aws/S3BucketEncryption.yaml) accepts aws:kms and AES256.
    controls: ["Checkov CKV_AWS_19"],
    severity: "medium",
    remediationSteps: 'Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket whose rule applies `sseAlgorithm: "aws:kms"` with a KMS key.',
    stackTypes: [...BUCKET_TYPES, ...ENCRYPTION_TYPES],
    // The encryption configuration is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        for (const bucket of buckets(args.resources)) {
            const configured = configurationsOf(bucket, args.resources, ENCRYPTION_TYPES);
            if (!encrypts(inlineRules(bucket.props)) && !configured.some((c) => encrypts(c.props.rules))) {
                const found = [...inlineRules(bucket.props), ...configured.flatMap((c) => records(c.props.rules))].map((r) =>
                    isRecord(r) && isRecord(r.applyServerSideEncryptionByDefault) ? r.applyServerSideEncryptionByDefault.sseAlgorithm : undefined,
                );
                reportViolation(
                    at(
                        "serverSideEncryptionConfiguration",
                        `S3 buckets must have default server-side encryption: no encryption configuration of this stack applies ${SSE_ALGORITHMS.join(", ")} to bucket ${bucket.name} (algorithms found: ${shown(found)}).`,
                    ),
                    bucket.urn,
                );
            }
        }
    },
};
