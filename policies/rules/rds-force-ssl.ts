import { aws } from "../lib/resource-types";
import { ofTypes, referencedBy } from "../lib/references";
import { at } from "../lib/report";
import { records, shown } from "../lib/values";
import type { Rule } from ".";

export const rdsForceSsl: Rule = {
    name: "rds-force-ssl",
    description: "Checks that every RDS instance uses a parameter group of the stack that sets rds.force_ssl=1, so clients must connect over TLS.",
    // FSBP RDS.38 (AWS Config rds-postgres-instance-encrypted-in-transit: NON_COMPLIANT unless the
    // instance's parameter group sets rds.force_ssl to 1) is this check; so is Checkov's.
    controls: ["AWS FSBP RDS.38", "AWS Well-Architected SEC09-BP02", "Checkov CKV2_AWS_69"],
    severity: "medium",
    remediationSteps:
        'Create an aws.rds.ParameterGroup with the parameter { name: "rds.force_ssl", value: "1" } and set the instance\'s `parameterGroupName` to its name.',
    // Parameter groups are separate resources, so this rule needs the whole stack rather than one resource.
    stackTypes: [aws.rds.Instance, aws.rds.ParameterGroup],
    validateStack: (args, reportViolation) => {
        const groups = ofTypes(args.resources, [aws.rds.ParameterGroup]);
        for (const resource of ofTypes(args.resources, [aws.rds.Instance])) {
            const groupName = resource.props.parameterGroupName;
            const [group] = referencedBy(groups, groupName, "name");
            if (!group) {
                reportViolation(
                    at(
                        "parameterGroupName",
                        `RDS instances must enforce TLS: parameterGroupName ${shown(groupName)} names no parameter group of this stack (a default group leaves rds.force_ssl off).`,
                    ),
                    resource.urn,
                );
                continue;
            }
            const forceSsl = records(group.props.parameters).find((p) => p.name === "rds.force_ssl");
            if (String(forceSsl?.value) !== "1") {
                reportViolation(
                    at(
                        "parameterGroupName",
                        `RDS instances must enforce TLS: parameter group ${group.name} sets rds.force_ssl to ${shown(forceSsl?.value)}, not "1".`,
                    ),
                    resource.urn,
                );
            }
        }
    },
};
