import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

// A production control: stacks whose design runs one database node (dev, staging) disable it in
// their policies/config/<stack>.json.
export const rdsMultiAz: Rule = {
    name: "rds-multi-az",
    description: "Checks that production RDS instances are Multi-AZ and production clusters span more than one availability zone.",
    controls: ["AWS FSBP RDS.5", "AWS FSBP RDS.15", "Checkov CKV_AWS_157"],
    controlScopes: { "Checkov CKV_AWS_157": [aws.rds.Instance] },
    severity: "medium",
    remediationSteps: "Set `multiAz: true` on the aws.rds.Instance; give an aws.rds.Cluster at least two `availabilityZones` (or instances in two zones).",
    validateResource: [
        ...validateTypes([aws.rds.Instance], (instance, _args, reportViolation) => {
            if (instance.multiAz !== true)
                reportViolation(at("multiAz", `Production RDS instances must be Multi-AZ: multiAz is ${shown(instance.multiAz)}, not true.`));
        }),
        ...validateTypes([aws.rds.Cluster], (cluster, _args, reportViolation) => {
            // Unset, RDS picks the zones (three in a region with three); only an explicit single zone is a finding.
            const zones = strings(cluster.availabilityZones);
            if (cluster.availabilityZones !== undefined && zones.length < 2)
                reportViolation(
                    at("availabilityZones", `Production RDS clusters must span two or more zones: availabilityZones is ${shown(cluster.availabilityZones)}.`),
                );
        }),
    ],
};
