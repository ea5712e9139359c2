import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import { records, strings } from "../lib/values";
import type { Rule } from ".";

export const lbMultipleZones: Rule = {
    name: "lb-multiple-zones",
    description: "Checks that load balancers span at least two availability zones (two subnets), so one zone's outage leaves them serving.",
    controls: ["AWS FSBP ELB.13"],
    severity: "medium",
    remediationSteps: "Give the aws.lb.LoadBalancer `subnets` (or `subnetMappings`) in at least two availability zones.",
    validateResource: validateSetting([aws.lb.LoadBalancer, aws.alb.LoadBalancer], {
        property: "subnets",
        requirement: "Load balancers must span two or more availability zones",
        holds: (subnets, balancer) => Math.max(strings(subnets).length, records(balancer.subnetMappings).length) >= 2,
    }),
};
