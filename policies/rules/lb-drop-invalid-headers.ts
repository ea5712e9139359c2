import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

export const lbDropInvalidHeaders: Rule = {
    name: "lb-drop-invalid-headers",
    description: "Checks that application load balancers drop HTTP headers with invalid fields instead of passing them to the targets (request smuggling).",
    controls: ["AWS FSBP ELB.4", "Checkov CKV_AWS_131"],
    severity: "medium",
    remediationSteps: "Set `dropInvalidHeaderFields: true` on the aws.lb.LoadBalancer.",
    validateResource: validateTypes([aws.lb.LoadBalancer, aws.alb.LoadBalancer], (balancer, _args, reportViolation) => {
        // Network and gateway load balancers do not parse HTTP; unset, the type is "application".
        if ((balancer.loadBalancerType ?? "application") === "application" && balancer.dropInvalidHeaderFields !== true)
            reportViolation(
                at(
                    "dropInvalidHeaderFields",
                    `Application load balancers must drop invalid headers: dropInvalidHeaderFields is ${shown(balancer.dropInvalidHeaderFields)}, not true.`,
                ),
            );
    }),
};
