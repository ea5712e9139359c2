import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// Advisory in staging and prod (policies/config): the load balancer ends TLS and forwards plain HTTP to
// tasks that only it can reach (their security groups admit the load balancer's alone), since a Fargate
// task has no certificate of its own; the finding stays visible in every check.
export const lbTargetGroupEncrypted: Rule = {
    name: "lb-target-group-encrypted",
    description: "Checks that load balancer target groups forward to their targets over an encrypted protocol (HTTPS, TLS), not plain HTTP.",
    controls: ["Checkov CKV_AWS_378"],
    severity: "medium",
    remediationSteps: 'Set `protocol: "HTTPS"` on the aws.lb.TargetGroup and serve TLS in the targets.',
    validateResource: validateSetting([aws.lb.TargetGroup, aws.alb.TargetGroup], {
        property: "protocol",
        requirement: "Target groups must forward over an encrypted protocol",
        // Lambda targets have no protocol.
        applies: (group) => group.targetType !== "lambda",
        holds: (protocol) => protocol !== "HTTP",
    }),
};
