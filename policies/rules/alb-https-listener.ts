import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

// AWS's predefined ELB security policies that allow nothing older than TLS 1.2.
const TLS12_OR_NEWER = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

// The fields of aws.lb.Listener and aws.alb.Listener (the same resource under two tokens) checked here.
interface Listener {
    readonly protocol?: string;
    readonly sslPolicy?: string;
    readonly defaultActions?: readonly { readonly type: string; readonly redirect?: { readonly protocol?: string } }[];
}

function checkListener(listener: Listener, reportViolation: (message: string) => void): void {
    if (listener.protocol === "HTTPS") {
        if (!TLS12_OR_NEWER.test(listener.sslPolicy ?? "")) {
            reportViolation(`HTTPS listeners must use a TLS 1.2+ security policy: sslPolicy is ${JSON.stringify(listener.sslPolicy)}.`);
        }
        return;
    }
    const actions = listener.defaultActions ?? [];
    const redirectsToHttps = actions.length > 0 && actions.every((a) => a.type === "redirect" && a.redirect?.protocol === "HTTPS");
    if (listener.protocol !== "HTTP" || !redirectsToHttps) {
        reportViolation(
            `Load balancer listeners must serve HTTPS, or plain HTTP only to redirect to HTTPS: protocol ${JSON.stringify(listener.protocol)} with actions ${JSON.stringify(actions.map((a) => a.type))}.`,
        );
    }
}

export const albHttpsListener: ResourceValidationPolicy = {
    name: "alb-https-listener",
    description: "Checks that load balancer listeners serve HTTPS with a TLS 1.2+ policy and use plain HTTP only to redirect to HTTPS.",
    remediationSteps:
        'Use `protocol: "HTTPS"` with `sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"` (or another TLS 1.2+ policy); a port-80 listener may only have a `redirect` default action with `protocol: "HTTPS"`.',
    validateResource: [
        validateResourceOfType(aws.lb.Listener, (listener, _args, reportViolation) => checkListener(listener, reportViolation)),
        validateResourceOfType(aws.alb.Listener, (listener, _args, reportViolation) => checkListener(listener, reportViolation)),
    ],
};
