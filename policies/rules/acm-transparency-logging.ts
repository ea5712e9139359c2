import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isRecord } from "../lib/values";
import type { Rule } from ".";

export const acmTransparencyLogging: Rule = {
    name: "acm-transparency-logging",
    description: "Checks that ACM certificates are logged to Certificate Transparency, so a certificate misissued for the domain can be detected.",
    controls: ["Checkov CKV_AWS_234"],
    severity: "low",
    remediationSteps: 'Leave `options.certificateTransparencyLoggingPreference` unset or "ENABLED" on the aws.acm.Certificate.',
    validateResource: validateSetting([aws.acm.Certificate], {
        property: "options.certificateTransparencyLoggingPreference",
        requirement: "ACM certificates must be logged to Certificate Transparency",
        value: (certificate) => (isRecord(certificate.options) ? certificate.options.certificateTransparencyLoggingPreference : undefined),
        holds: (preference) => preference !== "DISABLED",
    }),
};
