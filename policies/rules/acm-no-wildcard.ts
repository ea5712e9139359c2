import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { strings } from "../lib/values";
import type { Rule } from ".";

export const acmNoWildcard: Rule = {
    name: "acm-no-wildcard",
    description: "Checks that ACM certificates name their hosts, not a wildcard, so a key cannot serve every name of the domain.",
    controls: ["Checkov CKV2_AWS_71"],
    severity: "medium",
    remediationSteps: "Request the aws.acm.Certificate for each host name (`domainName`, `subjectAlternativeNames`) instead of `*.domain`.",
    validateResource: validateSetting([aws.acm.Certificate], {
        property: "domainName",
        requirement: "ACM certificates must not name a wildcard host",
        value: (certificate) => [...strings(certificate.domainName), ...strings(certificate.subjectAlternativeNames)],
        holds: (names) => !(names as string[]).some((name) => name.includes("*")),
    }),
};
