// aws-cdk#1160 and the ECS API (CreateService): "The target group ... does not have an associated
// load balancer" until a listener or listener rule forwards to it. Without an ordering edge the
// engine creates the service in parallel with the rule, which waits for the HTTPS listener, which
// waits for ACM validation.
import type { SemanticsRule } from "../rule";
import { byName, forget, ofType, TYPE, waitsFor } from "../plan-reading";

export const serviceWaitsForListener: SemanticsRule = {
    name: "service-waits-for-listener",
    description: "An ECS service with a load balancer is created only after a listener or listener rule forwards to its target group",
    source: "aws-cdk#1160; Amazon ECS API Reference, CreateService (loadBalancers); terraform-provider-aws internal/service/ecs/service.go",
    targets: ["aws"],
    check(plan) {
        const findings: string[] = [];
        const forwarders = [...ofType(plan, TYPE.listener), ...ofType(plan, TYPE.listenerRule)];
        for (const service of ofType(plan, TYPE.service)) {
            if (!((service.inputs.loadBalancers as unknown[] | undefined) ?? []).length) continue;
            const groups = service.dependencies.filter((urn) => urn.includes(`${TYPE.targetGroup}::`));
            if (groups.length === 0) findings.push(`${service.name}: loadBalancers names no target group of the stack`);
            const ordered = waitsFor(plan, service);
            for (const group of groups) {
                const forwarding = forwarders.filter((f) => f.dependencies.includes(group));
                if (forwarding.length === 0) findings.push(`${service.name}: no listener or listener rule forwards to ${group}`);
                else if (!forwarding.some((f) => ordered.has(f.urn)))
                    findings.push(`${service.name}: does not wait for ${forwarding.map((f) => f.name).join(" or ")}, which forwards to its target group`);
            }
        }
        return findings;
    },
    mutate(plan) {
        const rules = new Set(ofType(plan, TYPE.listenerRule).map((r) => r.urn));
        forget(byName(plan, TYPE.service, "frontend"), rules);
    },
};
