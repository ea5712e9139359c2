import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

// Only symmetric encryption keys can rotate automatically; asymmetric and HMAC keys cannot.
const SYMMETRIC = "SYMMETRIC_DEFAULT";

export const kmsKeyRotation: Rule = {
    name: "kms-key-rotation",
    description: "Checks that symmetric customer-managed KMS keys rotate automatically.",
    controls: ["CIS AWS KMS.4", "NIST 800-53 KMS.4", "Checkov CKV_AWS_7"],
    severity: "medium",
    remediationSteps: "Set `enableKeyRotation: true` on the aws.kms.Key (optionally `rotationPeriodInDays`).",
    validateResource: validateTypes([aws.kms.Key], (key, _args, reportViolation) => {
        const spec = key.customerMasterKeySpec ?? SYMMETRIC;
        if (spec === SYMMETRIC && key.enableKeyRotation !== true)
            reportViolation(at("enableKeyRotation", `KMS keys must rotate automatically: enableKeyRotation is ${shown(key.enableKeyRotation)}, not true.`));
    }),
};
