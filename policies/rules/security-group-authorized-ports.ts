import { at } from "../lib/report";
import { validateIngress } from "../lib/security-groups";
import type { Rule } from ".";

// The ports FSBP EC2.18 authorizes by default (its AWS Config rule's authorizedTcpPorts).
const AUTHORIZED = [80, 443];

export const securityGroupAuthorizedPorts: Rule = {
    name: "security-group-authorized-ports",
    description: "Checks that security groups admit the internet (0.0.0.0/0, ::/0) only on ports 80 and 443, one port per permission, never on every port.",
    controls: ["AWS FSBP EC2.18", "Checkov CKV_AWS_277"],
    severity: "high",
    remediationSteps: "Admit the internet only on the public ports (HTTPS 443, HTTP 80 for its redirect); reach every other port from a security group.",
    validateResource: validateIngress((permission, reportViolation) => {
        if (permission.openCidrs.length === 0) return;
        const authorized = !permission.allProtocols && permission.fromPort === permission.toPort && AUTHORIZED.includes(permission.fromPort);
        if (!authorized)
            reportViolation(
                at(
                    permission.property,
                    `Security groups must admit the internet only on ports ${AUTHORIZED.join(", ")}: ingress from ${permission.openCidrs.join(", ")} opens ${permission.allProtocols ? "every port" : `ports ${permission.fromPort}-${permission.toPort}`}.`,
                ),
            );
    }),
};
