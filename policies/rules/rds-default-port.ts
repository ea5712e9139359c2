import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { numberOf } from "../lib/values";
import type { Rule } from ".";

// Each engine's default port (RDS user guide, "Creating an Amazon RDS DB instance"); unset, RDS uses it.
const DEFAULT_PORTS: Record<string, number> = {
    postgres: 5432,
    "aurora-postgresql": 5432,
    mysql: 3306,
    mariadb: 3306,
    "aurora-mysql": 3306,
    "oracle-ee": 1521,
    "oracle-se2": 1521,
    "sqlserver-ee": 1433,
    "sqlserver-se": 1433,
    "sqlserver-ex": 1433,
    "sqlserver-web": 1433,
    db2: 50000,
};

// Advisory in every AWS stack (policies/config): a non-default port only hides the database from scans
// of the well-known port, and the instance is reachable only from the stack's own security groups.
export const rdsDefaultPort: Rule = {
    name: "rds-default-port",
    description: "Checks that RDS instances listen on a port other than their engine's default.",
    controls: ["AWS FSBP RDS.23"],
    severity: "low",
    remediationSteps: "Set `port` on the aws.rds.Instance to a port other than the engine's default (e.g. 5433 for PostgreSQL) and point the clients at it.",
    validateResource: validateSetting([aws.rds.Instance], {
        property: "port",
        requirement: "RDS instances must not use their engine's default port",
        applies: (instance) => typeof instance.engine === "string" && instance.engine in DEFAULT_PORTS,
        holds: (port, instance) => {
            const found = numberOf(port);
            return found !== undefined && found !== DEFAULT_PORTS[instance.engine as string];
        },
    }),
};
