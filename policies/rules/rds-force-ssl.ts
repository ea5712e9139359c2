import * as aws from "@pulumi/aws";
import type { StackValidationPolicy } from "@pulumi/policy";
import { referencedBy } from "../lib/references";

interface Parameter {
    readonly name?: string;
    readonly value?: string;
}

export const rdsForceSsl: StackValidationPolicy = {
    name: "rds-force-ssl",
    description: "Checks that every RDS instance uses a parameter group of the stack that sets rds.force_ssl=1, so clients must connect over TLS.",
    remediationSteps:
        'Create an aws.rds.ParameterGroup with the parameter { name: "rds.force_ssl", value: "1" } and set the instance\'s `parameterGroupName` to its name.',
    // Parameter groups are separate resources, so this rule needs the whole stack rather than one resource.
    validateStack: (args, reportViolation) => {
        const groups = args.resources.filter((r) => r.isType(aws.rds.ParameterGroup));
        for (const resource of args.resources.filter((r) => r.isType(aws.rds.Instance))) {
            const groupName = resource.props.parameterGroupName;
            const [group] = referencedBy(groups, groupName, "name");
            if (!group) {
                reportViolation(
                    `RDS instances must enforce TLS: parameterGroupName ${JSON.stringify(groupName)} names no parameter group of this stack (a default group leaves rds.force_ssl off).`,
                    resource.urn,
                );
                continue;
            }
            const parameters = (group.props.parameters ?? []) as Parameter[];
            const forceSsl = parameters.find((p) => p.name === "rds.force_ssl");
            if (String(forceSsl?.value) !== "1") {
                reportViolation(
                    `RDS instances must enforce TLS: parameter group ${group.name} sets rds.force_ssl to ${JSON.stringify(forceSsl?.value)}, not "1".`,
                    resource.urn,
                );
            }
        }
    },
};
