import { aws } from "../lib/resource-types";
import { ACL_TYPES, BUCKET_TYPES } from "../lib/buckets";
import { policyStatements } from "../lib/references";
import { at } from "../lib/report";
import { isRecord, type Props, records, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
// The grantee groups of everyone and of every AWS account.
const PUBLIC_GROUPS = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

/** Whether a statement allows anyone ("*" or {AWS: "*"}) without a condition narrowing who. */
function allowsAnyone(statement: Props): boolean {
    const principal = statement.Principal;
    const everyone = principal === "*" || (isRecord(principal) && strings(principal.AWS).includes("*"));
    return statement.Effect === "Allow" && everyone && statement.Condition === undefined;
}

function checkAcl(acl: unknown, reportViolation: (message: string) => void): void {
    if (typeof acl === "string" && PUBLIC_ACLS.includes(acl)) reportViolation(at("acl", `S3 buckets must not be public: acl is "${acl}".`));
}

export const s3NoPublicAccess: Rule = {
    name: "s3-no-public-access",
    description: "Checks that no S3 bucket is made public by a canned ACL, an ACL grant to everyone, or a bucket policy allowing any principal.",
    controls: ["AWS FSBP S3.2", "AWS FSBP S3.3", "Checkov CKV_AWS_70", "Checkov CKV_AWS_20", "Checkov CKV_AWS_57"],
    severity: "critical",
    remediationSteps:
        'Keep ACLs "private" (or set BucketOwnershipControls to BucketOwnerEnforced); in bucket policies name the principals (an account, role or service) or narrow "*" with a condition such as aws:SourceArn.',
    validateResource: [
        ...validateTypes(BUCKET_TYPES, (bucket, _args, reportViolation) => checkAcl(bucket.acl, reportViolation)),
        ...validateTypes(ACL_TYPES, (acl, _args, reportViolation) => {
            checkAcl(acl.acl, reportViolation);
            const policy = isRecord(acl.accessControlPolicy) ? acl.accessControlPolicy : {};
            records(policy.grants).forEach((grant, i) => {
                const grantee = isRecord(grant.grantee) ? grant.grantee : {};
                if (typeof grantee.uri === "string" && PUBLIC_GROUPS.includes(grantee.uri))
                    reportViolation(
                        at(
                            `accessControlPolicy.grants[${i}]`,
                            `S3 buckets must not be public: a grant of ${JSON.stringify(grant.permission)} goes to ${grantee.uri}.`,
                        ),
                    );
            });
        }),
        ...validateTypes([aws.s3.BucketPolicy], (policy, _args, reportViolation) => {
            policyStatements(policy.policy).forEach((statement, i) => {
                if (allowsAnyone(statement))
                    reportViolation(
                        at(
                            "policy",
                            `S3 buckets must not be public: statement ${i} allows ${JSON.stringify(statement.Action)} to any principal without a condition.`,
                        ),
                    );
            });
        }),
    ],
};
