import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { accountOf, allowStatements, awsPrincipals, grantedActions, principalAccount } from "../lib/statements";
import { strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

// The actions FSBP S3.6 forbids granting to other accounts (its AWS Config rule's blacklisted actions).
const SENSITIVE = ["s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutObjectAcl"];

export const s3CrossAccountRestricted: Rule = {
    name: "s3-cross-account-restricted",
    description: "Checks that bucket policies do not let other AWS accounts change the bucket's policy, ACLs or encryption.",
    controls: ["AWS FSBP S3.6"],
    severity: "critical",
    remediationSteps: `Grant other accounts only the data actions they need (e.g. s3:PutObject for a log-delivery account), never ${SENSITIVE.join(", ")}.`,
    validateResource: validateTypes([aws.s3.BucketPolicy], (policy, _args, reportViolation) => {
        for (const statement of allowStatements(policy.policy)) {
            const own = strings(statement.Resource)
                .map(accountOf)
                .find((a) => a !== undefined);
            const foreign = awsPrincipals(statement).filter((p) => p === "*" || (principalAccount(p) ?? own) !== own);
            const actions = grantedActions(statement, SENSITIVE);
            if (foreign.length > 0 && actions.length > 0)
                reportViolation(
                    at("policy", `Bucket policies must not let other accounts manage the bucket: ${foreign.join(", ")} may ${actions.join(", ")}.`),
                );
        }
    }),
};
