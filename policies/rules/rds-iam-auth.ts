import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const rdsIamAuth: Rule = {
    name: "rds-iam-auth",
    description: "Checks that RDS instances and clusters accept IAM database authentication, so access can be granted by role instead of shared passwords.",
    controls: ["AWS FSBP RDS.10", "AWS FSBP RDS.12", "Checkov CKV_AWS_161"],
    controlScopes: { "Checkov CKV_AWS_161": [aws.rds.Instance] },
    severity: "medium",
    remediationSteps: "Set `iamDatabaseAuthenticationEnabled: true` on the aws.rds.Instance or aws.rds.Cluster.",
    validateResource: validateTypes([aws.rds.Instance, aws.rds.Cluster], (database, _args, reportViolation) => {
        if (database.iamDatabaseAuthenticationEnabled !== true)
            reportViolation(
                at(
                    "iamDatabaseAuthenticationEnabled",
                    `RDS databases must accept IAM authentication: iamDatabaseAuthenticationEnabled is ${shown(database.iamDatabaseAuthenticationEnabled)}, not true.`,
                ),
            );
    }),
};
