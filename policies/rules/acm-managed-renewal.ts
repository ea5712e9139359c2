import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { isSet } from "../lib/values";
import type { Rule } from ".";

// ACM renews the certificates it issues by itself, before they expire, once their DNS validation
// records stay in place (ACM user guide, "Managed certificate renewal"); imported certificates and
// e-mail-validated ones need someone to act.
export const acmManagedRenewal: Rule = {
    name: "acm-managed-renewal",
    description: "Checks that ACM certificates are issued by ACM with DNS validation, so ACM renews them before they expire without anyone acting.",
    controls: ["AWS FSBP ACM.1"],
    severity: "medium",
    remediationSteps:
        'Request the aws.acm.Certificate from ACM with `validationMethod: "DNS"` (and keep its validation records) instead of importing a certificate.',
    validateResource: validateSetting([aws.acm.Certificate], {
        property: "validationMethod",
        requirement: "ACM certificates must be ACM-issued and DNS-validated (renewed automatically)",
        // A private CA's certificates renew through the CA.
        applies: (certificate) => !isSet(certificate.certificateAuthorityArn),
        holds: (method, certificate) => method === "DNS" && !isSet(certificate.privateKey) && !isSet(certificate.certificateBody),
    }),
};
