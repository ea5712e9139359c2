import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { allowStatements, publicStatement } from "../lib/statements";
import { validateTypes } from "../lib/values";
import type { Rule } from ".";

export const kmsNoPublicPrincipal: Rule = {
    name: "kms-no-public-principal",
    description: 'Checks that no KMS key policy allows any principal ("*") without a condition narrowing it.',
    controls: ["AWS FSBP KMS.5", "Checkov CKV_AWS_33"],
    severity: "critical",
    remediationSteps:
        'Name the accounts, roles or services in the key policy\'s `Principal`, or narrow a "*" principal with a condition such as `kms:CallerAccount`.',
    validateResource: validateTypes([aws.kms.Key], (key, _args, reportViolation) => {
        const open = allowStatements(key.policy).filter(publicStatement);
        if (open.length > 0)
            reportViolation(at("policy", `KMS key policies must not allow any principal: ${open.length} statement(s) allow "*" without a condition.`));
    }),
};
