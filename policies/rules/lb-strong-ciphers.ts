import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// The predefined policies that still offer weak (CBC/SHA-1, export-grade) ciphers, as Checkov's
// LBWeakCiphers graph check lists them; unset, a TLS listener gets ELBSecurityPolicy-2016-08.
const WEAK = [
    "ELBSecurityPolicy-2016-08",
    "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-TLS-1-0-2015-04",
    "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-2015-03",
    "ELBSecurityPolicy-2015-02",
    "ELBSecurityPolicy-2014-10",
    "ELBSecurityPolicy-Default",
    "ELBSecurityPolicy-2014-01",
];

export const lbStrongCiphers: Rule = {
    name: "lb-strong-ciphers",
    description: "Checks that HTTPS and TLS listeners name a security policy without weak ciphers.",
    controls: ["Checkov CKV2_AWS_74"],
    severity: "high",
    remediationSteps: 'Set `sslPolicy` to a TLS 1.2+ policy such as "ELBSecurityPolicy-TLS13-1-2-2021-06" on the aws.lb.Listener.',
    validateResource: validateSetting([aws.lb.Listener, aws.alb.Listener], {
        property: "sslPolicy",
        requirement: `HTTPS and TLS listeners must name a security policy other than ${WEAK.join(", ")}`,
        applies: (listener) => listener.protocol === "HTTPS" || listener.protocol === "TLS",
        holds: (policy) => typeof policy === "string" && !WEAK.includes(policy),
    }),
};
