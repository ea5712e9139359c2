// Named sets of IAM actions the IAM rules look for. The privilege-escalation methods and the
// data-exfiltration actions are those of salesforce/cloudsplaining (cloudsplaining/shared/constants.py,
// PRIVILEGE_ESCALATION_METHODS, the original Rhino Security Labs set, and
// READ_ONLY_DATA_EXFILTRATION_ACTIONS), the library Checkov's CKV_AWS_286-290 call; the rest are read
// from the Service Authorization Reference (each service's "Actions defined by" table).

/** Each method: the actions that together let a principal raise its own privileges. */
export const PRIVILEGE_ESCALATION_METHODS: Readonly<Record<string, readonly string[]>> = {
    CreateAccessKey: ["iam:CreateAccessKey"],
    CreateLoginProfile: ["iam:CreateLoginProfile"],
    UpdateLoginProfile: ["iam:UpdateLoginProfile"],
    AddUserToGroup: ["iam:AddUserToGroup"],
    CreateNewPolicyVersion: ["iam:CreatePolicyVersion"],
    SetExistingDefaultPolicyVersion: ["iam:SetDefaultPolicyVersion"],
    AttachUserPolicy: ["iam:AttachUserPolicy"],
    AttachGroupPolicy: ["iam:AttachGroupPolicy"],
    AttachRolePolicy: ["iam:AttachRolePolicy"],
    PutUserPolicy: ["iam:PutUserPolicy"],
    PutGroupPolicy: ["iam:PutGroupPolicy"],
    PutRolePolicy: ["iam:PutRolePolicy"],
    UpdateRolePolicyToAssumeIt: ["iam:UpdateAssumeRolePolicy"],
    CreateEC2WithExistingIP: ["iam:PassRole", "ec2:RunInstances"],
    PassExistingRoleToNewLambdaThenInvoke: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
    PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo: ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    PassExistingRoleToNewGlueDevEndpoint: ["iam:PassRole", "glue:CreateDevEndpoint"],
    PassExistingRoleToCloudFormation: ["iam:PassRole", "cloudformation:CreateStack"],
    PassExistingRoleToNewDataPipeline: ["iam:PassRole", "datapipeline:CreatePipeline"],
    PassExistingRoleToNewEcsTask: ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
    UpdateExistingGlueDevEndpoint: ["glue:UpdateDevEndpoint"],
    EditExistingLambdaFunctionWithRole: ["lambda:UpdateFunctionCode"],
};

/** Read-only actions that hand out stored data or secrets. */
export const DATA_EXFILTRATION_ACTIONS = ["s3:GetObject", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "secretsmanager:GetSecretValue"];

/** Actions whose response carries credentials. */
export const CREDENTIALS_EXPOSURE_ACTIONS = [
    "ecr:GetAuthorizationToken",
    "ec2:GetPasswordData",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateAccessKey",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "sso:GetRoleCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
    "codeartifact:GetAuthorizationToken",
    "cognito-identity:GetOpenIdToken",
    "lightsail:GetInstanceAccessDetails",
];

/**
 * Actions that act on no resource type (the Service Authorization Reference lists none for them), so
 * a statement can grant them only on "*".
 */
export const RESOURCELESS_ACTIONS = [
    "ecr:GetAuthorizationToken",
    "sts:GetCallerIdentity",
    "cloudwatch:PutMetricData",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListMetrics",
    "logs:DescribeLogGroups",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "ec2:Describe*",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "kms:ListKeys",
    "kms:ListAliases",
    "kms:CreateKey",
    "s3:ListAllMyBuckets",
    "secretsmanager:GetRandomPassword",
    "secretsmanager:ListSecrets",
    "ssm:DescribeParameters",
    "ecs:RegisterTaskDefinition",
    "ecs:DeregisterTaskDefinition",
    "ecs:DescribeTaskDefinition",
    "ecs:ListClusters",
    "iam:ListRoles",
    "iam:ListPolicies",
];

// An action's access level read from its verb (the Service Authorization Reference's "Access level"
// column follows it): Get/List/Describe... read, everything else writes.
const READ_VERBS = /^(Get|List|Describe|BatchGet|Head|View|Search|Query|Scan|Select|Lookup|Check|Preview|Simulate|Estimate|Validate|Detect|Filter)/;
const PERMISSIONS_NOUNS = /(Policy|Policies|Permission|Acl|Grant|PublicAccessBlock|Share)/;

/** Whether an action (`service:Verb...`, wildcards included) may write. */
export function writes(action: string): boolean {
    const verb = action.split(":")[1] ?? action;
    return verb === "*" || !READ_VERBS.test(verb);
}

/** Whether an action changes who may do what (policies, ACLs, grants, sharing). */
export function managesPermissions(action: string): boolean {
    const verb = action.split(":")[1] ?? action;
    return verb === "*" || (writes(action) && PERMISSIONS_NOUNS.test(verb));
}
