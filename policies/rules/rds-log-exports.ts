import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

// The log each engine family must export (RDS's names for enabledCloudwatchLogsExports).
const ENGINE_LOGS: readonly [RegExp, string][] = [
    [/postgres/, "postgresql"],
    [/mysql|mariadb/, "error"],
];

export const rdsLogExports: Rule = {
    name: "rds-log-exports",
    description: "Checks that RDS instances and clusters export their database log to CloudWatch Logs.",
    controls: ["AWS FSBP RDS.9", "AWS FSBP RDS.36", "AWS FSBP RDS.37", "Checkov CKV_AWS_129"],
    controlScopes: { "Checkov CKV_AWS_129": [aws.rds.Instance] },
    severity: "medium",
    remediationSteps:
        'Set `enabledCloudwatchLogsExports: ["postgresql", "upgrade"]` (PostgreSQL; "error", "slowquery" for MySQL) on the aws.rds.Instance or aws.rds.Cluster.',
    validateResource: validateTypes([aws.rds.Instance, aws.rds.Cluster], (database, _args, reportViolation) => {
        const exported = strings(database.enabledCloudwatchLogsExports);
        const engine = typeof database.engine === "string" ? database.engine : "";
        // An engine without a known database log must still export something.
        const required = ENGINE_LOGS.find(([pattern]) => pattern.test(engine))?.[1];
        if (required ? !exported.includes(required) : exported.length === 0)
            reportViolation(
                at(
                    "enabledCloudwatchLogsExports",
                    `RDS databases must export their logs to CloudWatch${required ? ` (${required} for ${engine})` : ""}: enabledCloudwatchLogsExports is ${shown(database.enabledCloudwatchLogsExports)}.`,
                ),
            );
    }),
};
