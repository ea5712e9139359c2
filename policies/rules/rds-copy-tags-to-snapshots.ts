import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

export const rdsCopyTagsToSnapshots: Rule = {
    name: "rds-copy-tags-to-snapshots",
    description: "Checks that RDS instances copy their tags to their snapshots, so a snapshot keeps the owner and data classification of its database.",
    controls: ["AWS FSBP RDS.17", "Checkov CKV2_AWS_60"],
    severity: "low",
    remediationSteps: "Set `copyTagsToSnapshot: true` on the aws.rds.Instance.",
    validateResource: validateSetting([aws.rds.Instance], {
        property: "copyTagsToSnapshot",
        requirement: "RDS instances must copy their tags to snapshots",
        holds: (copy) => copy === true,
    }),
};
