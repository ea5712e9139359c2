import { PRIVILEGE_ESCALATION_METHODS } from "../lib/iam-actions";
import { actionMatches, validateGrants } from "../lib/statements";
import type { Rule } from ".";

export const iamPrivilegeEscalation: Rule = {
    name: "iam-privilege-escalation",
    description:
        "Checks that no identity policy allows a known privilege-escalation path: every action of one method (attaching or writing policies, new policy versions, access keys or login profiles for others, passing a role to new compute).",
    controls: ["Checkov CKV_AWS_286"],
    severity: "critical",
    remediationSteps:
        "Remove the IAM write actions (or iam:PassRole with the compute-creating action) from the policy; grant them only to an administration role with MFA.",
    validateResource: validateGrants(
        (granted) =>
            Object.entries(PRIVILEGE_ESCALATION_METHODS)
                .filter(([, needed]) => needed.every((action) => granted.some((pattern) => actionMatches(pattern, action))))
                .map(([method]) => method),
        (methods) => `Identity policies must not allow privilege escalation: they allow the method(s) ${methods.join(", ")}.`,
    ),
};
