import * as aws from "@pulumi/aws";
import { policyDocument, policyStatements } from "../lib/references";
import { at } from "../lib/report";
import { isSecret, type Props, records, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

/** Whether a statement allows every action ("*" or "*:*") on every resource ("*"). */
function grantsEverything(statement: Props): boolean {
    return statement.Effect === "Allow" && strings(statement.Action).some((a) => a === "*" || a === "*:*") && strings(statement.Resource).includes("*");
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

export const iamNoAdminPolicy: Rule = {
    name: "iam-no-admin-policy",
    description: 'Checks that no policy document (IAM policies, role inline policies, resource policies) allows every action ("*") on every resource ("*").',
    // FSBP IAM.1 judges customer-managed policies only; Checkov's CKV_AWS_62 (IAMAdminPolicyDocument.py)
    // the IAM policy resources, inline ones included. The rule also reads resource policies.
    controls: ["AWS FSBP IAM.1", "Checkov CKV_AWS_62"],
    controlScopes: {
        "AWS FSBP IAM.1": [aws.iam.Policy],
        "Checkov CKV_AWS_62": [aws.iam.Policy, aws.iam.RolePolicy, aws.iam.UserPolicy, aws.iam.GroupPolicy],
    },
    severity: "high",
    remediationSteps:
        "Grant the actions the principal needs on the resources it uses (e.g. secretsmanager:GetSecretValue on one secret ARN); use AWS managed job-function policies rather than AdministratorAccess-style documents.",
    validateResource: [
        ...validateTypes(POLICY_TYPES, (resource, _args, reportViolation) => checkDocument("policy", resource.policy, reportViolation)),
        ...validateTypes([aws.iam.Role], (role, _args, reportViolation) => {
            checkDocument("assumeRolePolicy", role.assumeRolePolicy, reportViolation);
            records(role.inlinePolicies).forEach((inline, i) => checkDocument(`inlinePolicies[${i}].policy`, inline.policy, reportViolation));
        }),
    ],
};
