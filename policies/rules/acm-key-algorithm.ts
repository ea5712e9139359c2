import { aws } from "../lib/resource-types";
import { validateSetting } from "../lib/settings";
import type { Rule } from ".";

// ACM's key algorithms of at least 2,048 bits (RSA) or an elliptic curve; unset, ACM issues RSA_2048.
const STRONG = [undefined, "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

export const acmKeyAlgorithm: Rule = {
    name: "acm-key-algorithm",
    description: "Checks that ACM certificates use an RSA key of at least 2,048 bits or an elliptic-curve key.",
    controls: ["AWS FSBP ACM.2"],
    severity: "high",
    remediationSteps: 'Leave `keyAlgorithm` unset or set it to "RSA_2048" or stronger (or "EC_prime256v1") on the aws.acm.Certificate.',
    validateResource: validateSetting([aws.acm.Certificate], {
        property: "keyAlgorithm",
        requirement: "ACM certificates must use RSA 2048+ or an elliptic-curve key",
        holds: (algorithm) => STRONG.includes(algorithm as string | undefined),
    }),
};
