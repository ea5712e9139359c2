import { DATA_EXFILTRATION_ACTIONS } from "../lib/iam-actions";
import { grantedActions, onEveryResource, validateGrants } from "../lib/statements";
import type { Rule } from ".";

export const iamDataExfiltration: Rule = {
    name: "iam-data-exfiltration",
    description: 'Checks that no identity policy allows reading objects, parameters or secrets on every resource ("*").',
    controls: ["Checkov CKV_AWS_288"],
    severity: "high",
    remediationSteps: "Name the buckets, parameters or secrets the principal reads in the statement's `Resource`.",
    validateResource: validateGrants(
        (_actions, statement) => (onEveryResource(statement) ? grantedActions(statement, DATA_EXFILTRATION_ACTIONS) : []),
        (actions) => `Identity policies must not read stored data without constraints: they allow ${actions.join(", ")} on "*".`,
    ),
};
