import { RESOURCELESS_ACTIONS, writes } from "../lib/iam-actions";
import { actionMatches, onEveryResource, validateGrants } from "../lib/statements";
import type { Rule } from ".";

export const iamWriteConstrained: Rule = {
    name: "iam-write-constrained",
    description: 'Checks that no identity policy allows write actions on every resource ("*"), except actions that exist only on "*".',
    controls: ["Checkov CKV_AWS_290"],
    severity: "high",
    remediationSteps: "Name the resources the principal writes in the statement's `Resource`.",
    validateResource: validateGrants(
        (actions, statement) =>
            onEveryResource(statement) ? actions.filter((a) => writes(a) && !RESOURCELESS_ACTIONS.some((r) => actionMatches(r, a) || a === r)) : [],
        (actions) => `Identity policies must not write without constraints: they allow ${actions.join(", ")} on "*".`,
    ),
};
