import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { isRecord, records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const ecsEfsTransitEncryption: Rule = {
    name: "ecs-efs-transit-encryption",
    description: "Checks that ECS task definitions mount EFS volumes with encryption in transit.",
    controls: ["Checkov CKV_AWS_97"],
    severity: "high",
    remediationSteps: 'Set `efsVolumeConfiguration.transitEncryption: "ENABLED"` on every EFS volume of the aws.ecs.TaskDefinition.',
    validateResource: validateTypes([aws.ecs.TaskDefinition], (task, _args, reportViolation) => {
        records(task.volumes).forEach((volume, i) => {
            const efs = volume.efsVolumeConfiguration;
            if (isRecord(efs) && efs.transitEncryption !== "ENABLED")
                reportViolation(
                    at(
                        `volumes[${i}].efsVolumeConfiguration.transitEncryption`,
                        `EFS volumes of ECS tasks must be encrypted in transit: transitEncryption is ${shown(efs.transitEncryption)}, not "ENABLED".`,
                    ),
                );
        });
    }),
};
