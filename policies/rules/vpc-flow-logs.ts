import { aws } from "../lib/resource-types";
import { linksTo, ofTypes } from "../lib/references";
import { at } from "../lib/report";
import { shown } from "../lib/values";
import type { Rule } from ".";

export const vpcFlowLogs: Rule = {
    name: "vpc-flow-logs",
    description: "Checks that every VPC records flow logs of its traffic.",
    controls: ["AWS FSBP EC2.6", "Checkov CKV2_AWS_11"],
    severity: "medium",
    remediationSteps: 'Add an aws.ec2.FlowLog with `vpcId` set to the VPC, `trafficType: "ALL"` (or "REJECT"), and a CloudWatch Logs or S3 destination.',
    stackTypes: [aws.ec2.Vpc, aws.ec2.FlowLog],
    // Flow logs are their own resources, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        const flowLogs = ofTypes(args.resources, [aws.ec2.FlowLog]);
        for (const vpc of ofTypes(args.resources, [aws.ec2.Vpc])) {
            if (linksTo(vpc, flowLogs, "vpcId", "id").length === 0)
                reportViolation(
                    at(
                        "id",
                        `VPCs must record flow logs: no flow log of this stack names VPC ${vpc.name} (flow logs name ${shown(flowLogs.map((f) => f.props.vpcId))}).`,
                    ),
                    vpc.urn,
                );
        }
    },
};
