import { at } from "../lib/report";
import { openPorts, validateIngress } from "../lib/security-groups";
import type { Rule } from ".";

/**
 * Remote administration and the high-risk ports of FSBP EC2.19 (datastore ports 5432 and 6379 are
 * datastore-not-public's): SSH, Telnet, SMTP, POP3, RPC, IMAP, SMB, SQL Server, MySQL, RDP, Oracle,
 * Kibana, Elasticsearch and the usual development servers.
 */
const ADMIN_AND_HIGH_RISK_PORTS = [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5500, 5601, 8080, 8088, 8888, 9200, 9300];

export const securityGroupAdminPorts: Rule = {
    name: "security-group-admin-ports",
    description: "Checks that no security group admits 0.0.0.0/0 or ::/0 to remote administration or other high-risk ports (SSH 22, RDP 3389, ...).",
    // Security Hub standards of each id: policies/lib/standards.ts (EC2.13 NIST, EC2.14 CIS v1.2.0 only).
    controls: [
        "NIST 800-53 EC2.13",
        "CIS AWS v1.2.0 EC2.14",
        "AWS FSBP EC2.19",
        "CIS AWS EC2.53",
        "CIS AWS EC2.54",
        "Checkov CKV_AWS_24",
        "Checkov CKV_AWS_25",
    ],
    severity: "high",
    remediationSteps:
        "Admit these ports only from a security group or a known CIDR; administer tasks through ECS Exec or SSM Session Manager rather than open SSH/RDP.",
    validateResource: validateIngress((permission, reportViolation) => {
        const ports = openPorts(permission, ADMIN_AND_HIGH_RISK_PORTS);
        if (ports.length > 0)
            reportViolation(
                at(
                    permission.property,
                    `Administration and high-risk ports must not be open to the internet: ingress from ${permission.openCidrs.join(", ")} opens port ${ports.join(", ")}.`,
                ),
            );
    }),
};
