import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// The certificate authorities RDS issues server certificates from since rds-ca-2019 expired (RDS user
// guide, "Using SSL/TLS to encrypt a connection to a DB instance"); unset, RDS picks rds-ca-rsa2048-g1.
const CURRENT = ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

export const rdsCaCertificate: Rule = {
    name: "rds-ca-certificate",
    description: "Checks that RDS instances use a current certificate authority for their TLS server certificate.",
    controls: ["Checkov CKV_AWS_211"],
    severity: "high",
    remediationSteps: `Set \`caCertIdentifier\` to one of ${CURRENT.join(", ")} on the aws.rds.Instance.`,
    validateResource: validateSetting([aws.rds.Instance], {
        property: "caCertIdentifier",
        requirement: `RDS instances must use a current certificate authority (${CURRENT.join(", ")})`,
        holds: (ca) => ca === undefined || CURRENT.includes(ca as string),
    }),
};
