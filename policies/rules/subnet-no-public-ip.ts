import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

export const subnetNoPublicIp: Rule = {
    name: "subnet-no-public-ip",
    description: "Checks that subnets do not give public IPv4 addresses to the network interfaces launched in them.",
    controls: ["AWS FSBP EC2.15", "Checkov CKV_AWS_130"],
    severity: "high",
    remediationSteps:
        "Leave `mapPublicIpOnLaunch` unset or set it to false on the aws.ec2.Subnet; give a public address explicitly where one is meant (an Elastic IP).",
    validateResource: validateSetting([aws.ec2.Subnet], {
        property: "mapPublicIpOnLaunch",
        requirement: "Subnets must not assign public IP addresses on launch",
        holds: (map) => map !== true,
    }),
};
