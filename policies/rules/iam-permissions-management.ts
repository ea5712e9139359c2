import { managesPermissions } from "../lib/iam-actions";
import { onEveryResource, validateGrants } from "../lib/statements";
import type { Rule } from ".";

export const iamPermissionsManagement: Rule = {
    name: "iam-permissions-management",
    description: 'Checks that no identity policy allows changing policies, ACLs, grants or sharing on every resource ("*").',
    controls: ["Checkov CKV_AWS_289"],
    severity: "high",
    remediationSteps: "Name the resources whose permissions the principal manages in the statement's `Resource`, or drop those actions.",
    validateResource: validateGrants(
        (actions, statement) => (onEveryResource(statement) ? actions.filter(managesPermissions) : []),
        (actions) => `Identity policies must not manage permissions without constraints: they allow ${actions.join(", ")} on "*".`,
    ),
};
