import { aws } from "../lib/resource-types";
import { ofTypes, referencedBy } from "../lib/references";
import { at } from "../lib/report";
import { records } from "../lib/values";
import type { Rule } from ".";

const NEEDED = ["log_statement", "log_min_duration_statement"];

export const rdsQueryLogging: Rule = {
    name: "rds-query-logging",
    description:
        "Checks that PostgreSQL RDS instances use a parameter group of the stack that logs statements (log_statement) and slow queries (log_min_duration_statement).",
    controls: ["Checkov CKV2_AWS_30"],
    severity: "low",
    remediationSteps: 'Set `log_statement` (e.g. "ddl") and `log_min_duration_statement` (milliseconds) in the aws.rds.ParameterGroup the instance names.',
    stackTypes: [aws.rds.Instance, aws.rds.ParameterGroup],
    validateStack: (args, reportViolation) => {
        const groups = ofTypes(args.resources, [aws.rds.ParameterGroup]);
        for (const instance of ofTypes(args.resources, [aws.rds.Instance])) {
            if (instance.props.engine !== "postgres") continue;
            const set = referencedBy(groups, instance.props.parameterGroupName, "name").flatMap((g) => records(g.props.parameters).map((p) => p.name));
            const missing = NEEDED.filter((name) => !set.includes(name));
            if (missing.length > 0)
                reportViolation(
                    at("parameterGroupName", `PostgreSQL instances must log statements and slow queries: their parameter group sets no ${missing.join(", ")}.`),
                    instance.urn,
                );
        }
    },
};
