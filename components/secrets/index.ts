// The AWS stack's customer-managed KMS key for its Secrets Manager secrets (Checkov CKV_AWS_149,
// policy rule secrets-manager-kms): rotating yearly, administered by the account, used by nobody
// until an IAM policy allows it. Secrets Manager encrypts and decrypts with the permissions of whoever
// calls it (Secrets Manager user guide, "Secret encryption and decryption in AWS Secrets Manager"),
// so the deployer stores values through the account statement and each ECS execution role decrypts
// through its own policy (taskExecutionRole, components/aws/platform.ts). A key of its own, not
// the telemetry or a data key: its key policy admits no AWS service, and disabling it locks the
// secrets and nothing else.
import * as aws from "../aws/sdk";
import * as pulumi from "@pulumi/pulumi";
import { awsPrefix, policyDocument } from "../aws/platform";

export interface SecretsKeyArgs {
    readonly accountId: pulumi.Input<string>;
    /** Production keeps `protect`: deleting the key makes every secret under it unreadable. */
    readonly protect: boolean;
}

export class SecretsKey extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: SecretsKeyArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("osint:security:SecretsKey", name, {}, opts);
        const key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `${awsPrefix()} Secrets Manager secrets`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: policyDocument([
                    {
                        Sid: "AccountAdministersKeyAndIamPoliciesGrantItsUse",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:aws:iam::${args.accountId}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                ]),
            },
            { parent: this, protect: args.protect },
        );
        this.arn = key.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
