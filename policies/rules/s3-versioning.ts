import { BUCKET_TYPES, buckets, configurationsOf, VERSIONING_TYPES } from "../lib/buckets";
import { at } from "../lib/report";
import { isRecord, records, shown } from "../lib/values";
import type { Rule } from ".";

/** Versioning set inline: Bucket's `versioning.enabled`, BucketV2's `versionings[].enabled`. */
function versionedInline(props: Record<string, unknown>): boolean {
    return (isRecord(props.versioning) && props.versioning.enabled === true) || records(props.versionings).some((v) => v.enabled === true);
}

export const s3Versioning: Rule = {
    name: "s3-versioning",
    description: "Checks that every S3 bucket keeps object versions, so an overwritten or deleted backup or log can be recovered.",
    controls: ["NIST 800-53 S3.14", "Checkov CKV_AWS_21"],
    severity: "low",
    remediationSteps:
        'Add an aws.s3.BucketVersioning for the bucket with `versioningConfiguration: { status: "Enabled" }` (and a lifecycle rule expiring noncurrent versions).',
    stackTypes: [...BUCKET_TYPES, ...VERSIONING_TYPES],
    // The versioning configuration is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        for (const bucket of buckets(args.resources)) {
            const statuses = configurationsOf(bucket, args.resources, VERSIONING_TYPES).map((v) =>
                isRecord(v.props.versioningConfiguration) ? v.props.versioningConfiguration.status : undefined,
            );
            if (!statuses.includes("Enabled") && !versionedInline(bucket.props))
                reportViolation(
                    at(
                        "versioning",
                        `S3 buckets must keep object versions: bucket ${bucket.name} has versioning statuses ${shown(statuses)} in this stack, none "Enabled".`,
                    ),
                    bucket.urn,
                );
        }
    },
};
