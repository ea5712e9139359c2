// Secrets Manager secrets under the stack's own KMS key (policy rule secrets-manager-kms, Checkov
// CKV_AWS_149), read from the offline plans: one rotating key, every secret under it but the one ECR's
// pull-through cache reads, and kms:Decrypt for exactly the execution roles that read secrets, each
// for its own tasks' secrets, only through Secrets Manager.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { secretArnFromValueFrom } from "../../components/aws/platform";
import { stackSettings } from "../../policies/offline";
import { MOCK_ACCOUNT_ID, MOCK_REGION } from "../../lib/mocks";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { ofType, projectDir, stackPlan } from "../helpers/plan";
import { awsStacks, one, TYPES } from "./helpers";

interface Statement {
    Sid?: string;
    Effect: string;
    Action: string | string[];
    Resource: string | string[];
    Principal?: Record<string, unknown>;
    Condition?: Record<string, Record<string, string | string[]>>;
}
const statements = (json: unknown) => (JSON.parse(String(json)) as { Statement: Statement[] }).Statement;
const list = (v: string | string[] | undefined) => [v ?? []].flat();

const SECRET = "aws:secretsmanager/secret:Secret";
const SECRETS_KEY = "network-secrets-key";
/** The one secret ECR's pull-through cache reads: AWS documents aws/secretsmanager only for it. */
const PULL_THROUGH_SECRET = "network-cluster-ghcr-credentials";
/** The key's ARN as the offline plan's mocks give it (lib/mocks.ts). */
const KEY_ARN = `arn:aws:kms:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:${SECRETS_KEY}`;

/** Each execution role (by name) with the secrets its task definitions' containers reference. */
function secretsByExecutionRole(plan: Plan): Map<string, Set<string>> {
    const byRole = new Map<string, Set<string>>();
    for (const task of ofType(plan, TYPES.taskDefinition)) {
        const role = String(task.inputs.executionRoleArn).split("role/").pop()!;
        const containers = JSON.parse(String(task.inputs.containerDefinitions)) as { secrets?: { valueFrom: string }[] }[];
        const secrets = byRole.get(role) ?? new Set<string>();
        for (const s of containers.flatMap((c) => c.secrets ?? [])) secrets.add(secretArnFromValueFrom(s.valueFrom));
        byRole.set(role, secrets);
    }
    return byRole;
}

const kmsStatements = (policy: PlanResource) => statements(policy.inputs.policy).filter((s) => list(s.Action).some((a) => a.startsWith("kms:")));

for (const stack of awsStacks) {
    describe(`${stack}: Secrets Manager secrets under the stack's own KMS key (secrets-manager-kms)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });

        it("has one key for them: rotating yearly, 30 days to undo a deletion, administered by the account alone, protected in prod", () => {
            const key = one(plan, TYPES.kmsKey, SECRETS_KEY);
            assert.deepEqual([key.inputs.enableKeyRotation, key.inputs.deletionWindowInDays], [true, 30]);
            assert.equal(key.options.protect, stack === "prod");
            // No service principal: Secrets Manager acts with its caller's permissions, which IAM grants.
            assert.deepEqual(statements(key.inputs.policy), [
                {
                    Sid: "AccountAdministersKeyAndIamPoliciesGrantItsUse",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
            ]);
            assert.equal(key.parent, `urn:pulumi:${stack}::osint-platform::osint:network:Network$osint:security:SecretsKey::network-secrets`);
        });

        it("encrypts every secret with it but the GHCR credentials, which stay on aws/secretsmanager under the config's one waiver", () => {
            const secrets = ofType(plan, SECRET);
            const onOwnKey = secrets.filter((s) => s.inputs.kmsKeyId === KEY_ARN).map((s) => s.name);
            const onAwsManagedKey = secrets.filter((s) => s.inputs.kmsKeyId === undefined).map((s) => s.name);
            assert.deepEqual(onAwsManagedKey, [PULL_THROUGH_SECRET]);
            assert.equal(onOwnKey.length + onAwsManagedKey.length, secrets.length, "no secret under any other key");
            assert.ok(onOwnKey.length > 0);
            const waivers = stackSettings(stack).get("secrets-manager-kms")?.waivers ?? [];
            assert.deepEqual(
                waivers.map((w) => w.resource),
                onAwsManagedKey,
            );
            assert.match(waivers[0].reason, /pull-through cache .*aws\/secretsmanager/);
        });

        it("lets each execution role decrypt exactly its own tasks' secrets with it, only through Secrets Manager", () => {
            const byRole = secretsByExecutionRole(plan);
            const reading = [...byRole].filter(([, secrets]) => secrets.size > 0);
            assert.ok(reading.length > 0);
            for (const [role, secrets] of byRole) {
                const granted = kmsStatements(one(plan, TYPES.rolePolicy, role));
                if (secrets.size === 0) {
                    assert.deepEqual(granted, [], `${role} reads no secret`);
                    continue;
                }
                assert.deepEqual(
                    granted.map((s) => [s.Effect, s.Action, s.Resource]),
                    [["Allow", "kms:Decrypt", KEY_ARN]],
                    role,
                );
                const { StringEquals, ...otherConditions } = granted[0].Condition ?? {};
                assert.deepEqual(otherConditions, {}, role);
                assert.deepEqual(Object.keys(StringEquals).sort(), ["kms:EncryptionContext:SecretARN", "kms:ViaService"], role);
                assert.equal(StringEquals["kms:ViaService"], `secretsmanager.${MOCK_REGION}.amazonaws.com`, role);
                assert.deepEqual(new Set(list(StringEquals["kms:EncryptionContext:SecretARN"])), secrets, role);
            }
        });

        it("grants the key to no other role", () => {
            const executionRoles = new Set(secretsByExecutionRole(plan).keys());
            const others = ofType(plan, TYPES.rolePolicy).filter((p) => !executionRoles.has(p.name));
            assert.ok(others.length > 0);
            for (const policy of others) assert.ok(!String(policy.inputs.policy).includes(KEY_ARN), `${policy.name} names the secrets key`);
        });
    });
}

describe("docs/aws-security.md: the secrets key", () => {
    it("states the key, the decrypt grant's conditions and the one secret left on aws/secretsmanager", () => {
        const page = fs.readFileSync(path.join(projectDir, "docs", "aws-security.md"), "utf8");
        for (const fact of ["`secrets-manager-kms`", "kms:ViaService", "kms:EncryptionContext:SecretARN", PULL_THROUGH_SECRET, "aws/secretsmanager"])
            assert.ok(page.includes(fact), fact);
    });
});
