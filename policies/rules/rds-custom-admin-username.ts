import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { validateTypes } from "../lib/values";
import type { Rule } from ".";

// The engines' well-known administrator names, the first guesses of a password-spraying attack.
const DEFAULT_ADMIN_NAMES = ["admin", "administrator", "postgres", "root", "master", "sa", "rdsadmin", "user"];

function checkUsername(property: string, username: unknown, reportViolation: (message: string) => void): void {
    // A username held as a secret is not a name an attacker reads from the configuration: no finding.
    if (typeof username === "string" && DEFAULT_ADMIN_NAMES.includes(username.toLowerCase()))
        reportViolation(at(property, `RDS administrators must have a custom username: ${property} is "${username}", a well-known default.`));
}

export const rdsCustomAdminUsername: Rule = {
    name: "rds-custom-admin-username",
    description: "Checks that RDS instances and clusters name their administrator something other than a well-known default (postgres, admin, root, ...).",
    controls: ["AWS FSBP RDS.24", "AWS FSBP RDS.25"],
    severity: "low",
    remediationSteps: "Set `username` (aws.rds.Instance) or `masterUsername` (aws.rds.Cluster) to a project-specific name, e.g. osint_admin.",
    validateResource: [
        ...validateTypes([aws.rds.Instance], (instance, _args, reportViolation) => checkUsername("username", instance.username, reportViolation)),
        ...validateTypes([aws.rds.Cluster], (cluster, _args, reportViolation) => checkUsername("masterUsername", cluster.masterUsername, reportViolation)),
    ],
};
