import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, records, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const s3AbortIncompleteUploads: Rule = {
    name: "s3-abort-incomplete-uploads",
    description: "Checks that S3 lifecycle configurations abort incomplete multipart uploads, so abandoned parts do not stay stored (and billed) unseen.",
    controls: ["Checkov CKV_AWS_300"],
    severity: "low",
    remediationSteps: "Add `abortIncompleteMultipartUpload: { daysAfterInitiation: 7 }` to an enabled rule of the aws.s3.BucketLifecycleConfiguration.",
    validateResource: validateTypes([aws.s3.BucketLifecycleConfiguration, aws.s3.BucketLifecycleConfigurationV2], (lifecycle, _args, reportViolation) => {
        const aborts = records(lifecycle.rules).some((r) => r.status === "Enabled" && isRecord(r.abortIncompleteMultipartUpload));
        if (!aborts)
            reportViolation(
                at("rules", "S3 lifecycle configurations must abort incomplete multipart uploads: no enabled rule sets abortIncompleteMultipartUpload."),
            );
    }),
};
