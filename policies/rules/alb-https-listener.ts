import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { type Props, records, shown, validateTypes } from "../lib/values";
import type { Rule } from ".";

// AWS's predefined ELB security policies that allow nothing older than TLS 1.2.
const TLS12_OR_NEWER = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

function checkListener(listener: Props, reportViolation: (message: string) => void): void {
    if (listener.protocol === "HTTPS") {
        if (typeof listener.sslPolicy !== "string" || !TLS12_OR_NEWER.test(listener.sslPolicy)) {
            reportViolation(at("sslPolicy", `HTTPS listeners must use a TLS 1.2+ security policy: sslPolicy is ${shown(listener.sslPolicy)}.`));
        }
        return;
    }
    const actions = records(listener.defaultActions);
    const redirectsToHttps =
        actions.length > 0 && actions.every((a) => a.type === "redirect" && typeof a.redirect === "object" && (a.redirect as Props)?.protocol === "HTTPS");
    if (listener.protocol !== "HTTP" || !redirectsToHttps) {
        reportViolation(
            at(
                "defaultActions",
                `Load balancer listeners must serve HTTPS, or plain HTTP only to redirect to HTTPS: protocol ${shown(listener.protocol)} with actions ${shown(actions.map((a) => a.type))}.`,
            ),
        );
    }
}

export const albHttpsListener: Rule = {
    name: "alb-https-listener",
    description: "Checks that load balancer listeners serve HTTPS with a TLS 1.2+ policy and use plain HTTP only to redirect to HTTPS.",
    controls: ["AWS FSBP ELB.1", "AWS FSBP ELB.17", "Checkov CKV_AWS_2", "Checkov CKV_AWS_103", "Checkov CKV2_AWS_20"],
    severity: "medium",
    remediationSteps:
        'Use `protocol: "HTTPS"` with `sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"` (or another TLS 1.2+ policy); a port-80 listener may only have a `redirect` default action with `protocol: "HTTPS"`.',
    // aws.alb.Listener is the same resource under its older token.
    validateResource: validateTypes([aws.lb.Listener, aws.alb.Listener], (listener, _args, reportViolation) => checkListener(listener, reportViolation)),
};
