import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { awsPrincipals } from "../lib/statements";
import { policyStatements } from "../lib/references";
import { isRecord, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const s3PolicyNoLockout: Rule = {
    name: "s3-policy-no-lockout",
    description:
        "Checks that no bucket policy denies every principal every action without a condition, which would lock everyone but the account root out of the bucket.",
    controls: ["Checkov CKV_AWS_93"],
    severity: "medium",
    remediationSteps:
        "Narrow each Deny statement of the aws.s3.BucketPolicy with a condition (e.g. aws:SecureTransport false) or name its principals and actions.",
    validateResource: validateTypes([aws.s3.BucketPolicy], (policy, _args, reportViolation) => {
        const lockouts = policyStatements(policy.policy).filter(
            (s) =>
                s.Effect === "Deny" &&
                awsPrincipals(s).includes("*") &&
                strings(s.Action).some((a) => a === "*" || a === "s3:*") &&
                (!isRecord(s.Condition) || Object.keys(s.Condition).length === 0),
        );
        if (lockouts.length > 0)
            reportViolation(
                at(
                    "policy",
                    `Bucket policies must not lock every principal out: ${lockouts.length} Deny statement(s) deny all actions to "*" unconditionally.`,
                ),
            );
    }),
};
