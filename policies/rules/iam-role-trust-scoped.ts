import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { allowStatements, awsPrincipals } from "../lib/statements";
import { isRecord, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const iamRoleTrustScoped: Rule = {
    name: "iam-role-trust-scoped",
    description: 'Checks that IAM roles trust named principals: no trust statement lets any AWS principal ("*") assume the role.',
    controls: ["Checkov CKV_AWS_60", "Checkov CKV_AWS_61"],
    severity: "critical",
    remediationSteps: 'Name the service (`Principal: { Service: "ecs-tasks.amazonaws.com" }`) or the account or role ARNs that may assume the aws.iam.Role.',
    validateResource: validateTypes([aws.iam.Role], (role, _args, reportViolation) => {
        const open = allowStatements(role.assumeRolePolicy).filter(
            (s) => awsPrincipals(s).includes("*") && strings(s.Action).some((a) => a.startsWith("sts:") || a === "*"),
        );
        if (open.length > 0)
            reportViolation(
                at(
                    "assumeRolePolicy",
                    `IAM roles must trust named principals: ${open.length} trust statement(s) let any AWS principal assume the role${open.some((s) => isRecord(s.Condition)) ? " (narrowed only by conditions)" : ""}.`,
                ),
            );
    }),
};
