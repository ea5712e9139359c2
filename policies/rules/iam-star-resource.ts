import { RESOURCELESS_ACTIONS } from "../lib/iam-actions";
import { actionMatches, onEveryResource, validateGrants } from "../lib/statements";
import type { Rule } from ".";

export const iamStarResource: Rule = {
    name: "iam-star-resource",
    description:
        'Checks that identity policies grant on every resource ("*") only actions that exist only on "*" (ecr:GetAuthorizationToken, sts:GetCallerIdentity, ...).',
    controls: ["Checkov CKV_AWS_355"],
    severity: "high",
    remediationSteps: "Name the resources (ARNs) in the statement's `Resource` for every action that takes one.",
    validateResource: validateGrants(
        (actions, statement) => (onEveryResource(statement) ? actions.filter((a) => !RESOURCELESS_ACTIONS.some((r) => actionMatches(r, a) || a === r)) : []),
        (actions) => `Identity policies must name the resources of these actions: they allow ${actions.join(", ")} on "*".`,
    ),
};
