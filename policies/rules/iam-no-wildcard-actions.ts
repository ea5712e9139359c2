import { validateGrants } from "../lib/statements";
import type { Rule } from ".";

export const iamNoWildcardActions: Rule = {
    name: "iam-no-wildcard-actions",
    description: 'Checks that no identity policy allows every action ("*") or every action of a service ("iam:*", "s3:*").',
    controls: ["Checkov CKV_AWS_63", "Checkov CKV2_AWS_40"],
    severity: "high",
    remediationSteps: "List the actions the principal calls (e.g. `s3:GetObject`) instead of `*` or `service:*`.",
    validateResource: validateGrants(
        (actions) => actions.filter((a) => a === "*" || /^[\w-]+:\*$/.test(a)),
        (actions) => `Identity policies must name their actions: they allow ${actions.join(", ")}.`,
    ),
};
