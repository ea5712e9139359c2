import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// Application load balancers always balance across zones; network and gateway ones only when asked.
export const lbCrossZone: Rule = {
    name: "lb-cross-zone",
    description: "Checks that network and gateway load balancers balance across availability zones (application load balancers always do).",
    controls: ["Checkov CKV_AWS_152"],
    severity: "low",
    remediationSteps: "Set `enableCrossZoneLoadBalancing: true` on the network or gateway aws.lb.LoadBalancer.",
    validateResource: validateSetting([aws.lb.LoadBalancer, aws.alb.LoadBalancer], {
        property: "enableCrossZoneLoadBalancing",
        requirement: "Network and gateway load balancers must balance across zones",
        applies: (balancer) => balancer.loadBalancerType === "network" || balancer.loadBalancerType === "gateway",
        holds: (enabled) => enabled === true,
    }),
};
