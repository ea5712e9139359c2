import { CREDENTIALS_EXPOSURE_ACTIONS } from "../lib/iam-actions";
import { grantedActions, onEveryResource, validateGrants } from "../lib/statements";
import type { Rule } from ".";

// The program's task execution roles need ecr:GetAuthorizationToken, which exists only on "*": each AWS
// stack waives it in policies/config with the reason.
export const iamCredentialsExposure: Rule = {
    name: "iam-credentials-exposure",
    description: 'Checks that no identity policy allows, on every resource ("*"), an action whose answer carries credentials (access keys, tokens, passwords).',
    controls: ["Checkov CKV_AWS_287"],
    severity: "high",
    remediationSteps: "Grant credential-returning actions on named resources (a role ARN for sts:AssumeRole), or not at all.",
    validateResource: validateGrants(
        (_actions, statement) => (onEveryResource(statement) ? grantedActions(statement, CREDENTIALS_EXPOSURE_ACTIONS) : []),
        (actions) => `Identity policies must not expose credentials without constraints: they allow ${actions.join(", ")} on "*".`,
    ),
};
