import { at } from "../lib/report";
import { openPorts, validateIngress } from "../lib/security-groups";
import type { Rule } from ".";

// The AWS stacks waive it on the load balancer's HTTP ingress (policies/config): that listener only
// redirects to HTTPS, which alb-https-listener enforces and FSBP ELB.1 asks for.
export const securityGroupNoWorldHttp: Rule = {
    name: "security-group-no-world-http",
    description: "Checks that no security group admits the internet (0.0.0.0/0, ::/0) on plain HTTP port 80.",
    controls: ["Checkov CKV_AWS_260"],
    severity: "high",
    remediationSteps: "Serve the internet over HTTPS (443) only; if port 80 stays open, its listener must only redirect to HTTPS.",
    validateResource: validateIngress((permission, reportViolation) => {
        if (openPorts(permission, [80]).length > 0)
            reportViolation(
                at(permission.property, `Security groups must not admit the internet on HTTP: ingress from ${permission.openCidrs.join(", ")} opens port 80.`),
            );
    }),
};
