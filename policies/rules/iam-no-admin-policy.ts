import { aws } from "../lib/resource-types";
import { policyDocument, policyStatements } from "../lib/references";
import { at } from "../lib/report";
import { isSecret, type Props, records, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** Whether a statement allows every action ("*" or "*:*") on every resource ("*"). */
function grantsEverything(statement: Props): boolean {
    return statement.Effect === "Allow" && strings(statement.Action).some((a) => a === "*" || a === "*:*") && strings(statement.Resource).includes("*");
}

// AWS's managed AdministratorAccess policy, in every partition (aws, aws-cn, aws-us-gov, ...): it allows
// "*" on "*" (IAM user guide, "AWS managed policies for job functions").
const ADMINISTRATOR_ACCESS = /^arn:aws(-[a-z-]+)?:iam::aws:policy\/AdministratorAccess$/;

/** Reports each managed policy ARN at `property` (a list, or one ARN) that is AdministratorAccess. */
function checkAttached(property: string, arns: unknown, reportViolation: (message: string) => void): void {
    const list = Array.isArray(arns);
    strings(arns).forEach((arn, i) => {
        if (ADMINISTRATOR_ACCESS.test(arn))
            reportViolation(at(list ? `${property}[${i}]` : property, `Policies must not allow "*" on "*": ${arn} attaches full administrator access.`));
    });
}

/** Reports each admin statement of the policy document at `property` (JSON text or an object). */
function checkDocument(property: string, policy: unknown, reportViolation: (message: string) => void): void {
    // A secret document cannot be read, so it cannot be shown to grant less than everything.
    if (isSecret(policy)) {
        reportViolation(at(property, 'Policies must not allow "*" on "*": the document is a secret, so it cannot be shown to grant less.'));
        return;
    }
    if (policy === undefined || policy === null || policy === "") return;
    if (policyDocument(policy) === undefined) {
        reportViolation(at(property, 'Policies must not allow "*" on "*": the document is not readable JSON, so it cannot be shown to grant less.'));
        return;
    }
    policyStatements(policy).forEach((statement, i) => {
        if (grantsEverything(statement))
            reportViolation(at(property, `Policies must not allow "*" on "*": statement ${i} allows every action on every resource (full administrator).`));
    });
}

// Every resource of @pulumi/aws that carries a policy document in `policy`.
const POLICY_TYPES = [
    aws.iam.Policy,
    aws.iam.RolePolicy,
    aws.iam.UserPolicy,
    aws.iam.GroupPolicy,
    aws.s3.BucketPolicy,
    aws.kms.Key,
    aws.secretsmanager.SecretPolicy,
    aws.sns.TopicPolicy,
    aws.sqs.QueuePolicy,
    aws.ecr.RepositoryPolicy,
];

// Every resource of @pulumi/aws that attaches managed policies to a role, user or group: by one ARN
// (`policyArn`) or by a list (`policyArns`).
const ATTACHMENT_TYPES = [aws.iam.RolePolicyAttachment, aws.iam.UserPolicyAttachment, aws.iam.GroupPolicyAttachment, aws.iam.PolicyAttachment];
const EXCLUSIVE_ATTACHMENT_TYPES = [aws.iam.RolePolicyAttachmentsExclusive, aws.iam.UserPolicyAttachmentsExclusive, aws.iam.GroupPolicyAttachmentsExclusive];

export const iamNoAdminPolicy: Rule = {
    name: "iam-no-admin-policy",
    description:
        'Checks that no policy document (IAM policies, role inline policies, resource policies) allows every action ("*") on every resource ("*"), and that no role, user or group is attached AWS\'s AdministratorAccess policy.',
    // FSBP IAM.1 judges customer-managed policies only; Checkov's CKV_AWS_62 (IAMAdminPolicyDocument.py)
    // the IAM policy resources, inline ones included. The rule also reads resource policies. CKV_AWS_274:
    // "Disallow IAM roles, users, and groups from using the AWS AdministratorAccess policy" (attachments).
    controls: ["AWS FSBP IAM.1", "Checkov CKV_AWS_62", "Checkov CKV_AWS_274"],
    controlScopes: {
        "AWS FSBP IAM.1": [aws.iam.Policy],
        "Checkov CKV_AWS_62": [aws.iam.Policy, aws.iam.RolePolicy, aws.iam.UserPolicy, aws.iam.GroupPolicy],
        "Checkov CKV_AWS_274": [aws.iam.Role, ...ATTACHMENT_TYPES, ...EXCLUSIVE_ATTACHMENT_TYPES],
    },
    severity: "high",
    remediationSteps:
        "Grant the actions the principal needs on the resources it uses (e.g. secretsmanager:GetSecretValue on one secret ARN); use AWS managed job-function policies rather than AdministratorAccess-style documents.",
    validateResource: [
        ...validateTypes(POLICY_TYPES, (resource, _args, reportViolation) => checkDocument("policy", resource.policy, reportViolation)),
        ...validateTypes([aws.iam.Role], (role, _args, reportViolation) => {
            // A trust policy says who may assume the role (sts:AssumeRole*), never what the role may do: a
            // secret one is not a grant that could be hiding "*" on "*"; a readable one is still read.
            if (!isSecret(role.assumeRolePolicy)) checkDocument("assumeRolePolicy", role.assumeRolePolicy, reportViolation);
            records(role.inlinePolicies).forEach((inline, i) => checkDocument(`inlinePolicies[${i}].policy`, inline.policy, reportViolation));
            checkAttached("managedPolicyArns", role.managedPolicyArns, reportViolation);
        }),
        ...validateTypes(ATTACHMENT_TYPES, (attachment, _args, reportViolation) => checkAttached("policyArn", attachment.policyArn, reportViolation)),
        ...validateTypes(EXCLUSIVE_ATTACHMENT_TYPES, (attachment, _args, reportViolation) =>
            checkAttached("policyArns", attachment.policyArns, reportViolation),
        ),
    ],
};
