import { aws } from "../lib/resource-types";
import { linkedTargets, ofTypes } from "../lib/references";
import { at } from "../lib/report";
import type { Rule } from ".";

const BALANCER_TYPES = [aws.lb.LoadBalancer, aws.alb.LoadBalancer];

export const lbWafAssociated: Rule = {
    name: "lb-waf-associated",
    description: "Checks that every internet-facing application load balancer is protected by a WAFv2 web ACL.",
    controls: ["NIST 800-53 ELB.16", "Checkov CKV2_AWS_28"],
    severity: "medium",
    remediationSteps: "Add an aws.wafv2.WebAclAssociation with `resourceArn` set to the load balancer's ARN and `webAclArn` to a REGIONAL web ACL.",
    stackTypes: [...BALANCER_TYPES, aws.wafv2.WebAclAssociation],
    // The association is its own resource, so the rule looks across the stack.
    validateStack: (args, reportViolation) => {
        const balancers = ofTypes(args.resources, BALANCER_TYPES);
        const protectedBalancers = linkedTargets(balancers, ofTypes(args.resources, [aws.wafv2.WebAclAssociation]), "resourceArn", "arn");
        for (const balancer of balancers) {
            const application = (balancer.props.loadBalancerType ?? "application") === "application";
            if (application && balancer.props.internal !== true && !protectedBalancers.has(balancer))
                reportViolation(
                    at("arn", `Internet-facing load balancers must be behind a WAF: no web ACL association of this stack names ${balancer.name}.`),
                    balancer.urn,
                );
        }
    },
};
