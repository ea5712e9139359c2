// Least privilege for ECS execution roles: the ECS agent reads a task's `secrets` and its private
// registry credentials with the task definition's execution role (AWS ECS developer guide, "Amazon ECS
// task execution IAM role": secretsmanager:GetSecretValue on each secret the task references). A role
// that may read more hands every task using it the other tasks' credentials (issue 13, item 19: the
// backend service's role could read the migrator's DDL password); one that may read less fails the
// task at start.
import type { Plan, PlanResource } from "../../../lib/plan-engine";
import { secretArnFromValueFrom } from "../../../components/aws/platform";
import type { SemanticsRule } from "../rule";

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const READ_SECRET = ["secretsmanager:GetSecretValue", "secretsmanager:*", "*"];

interface Statement {
    Effect: string;
    Action: string | string[];
    Resource: string | string[];
}
interface ContainerSecrets {
    secrets?: { valueFrom: string }[];
    repositoryCredentials?: { credentialsParameter: string };
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// Roles are linked by the offline plan's mock outputs (lib/mocks.ts): a role's ARN ends in
// `role/<name>` and its id, which a RolePolicy's `role` holds, is `<name>-id`.
const roleOfArn = (arn: string) => arn.slice(arn.lastIndexOf("role/") + "role/".length);
const roleOfId = (id: string) => id.replace(/-id$/, "");

/** The secrets each execution role must read: every task definition's containers' secrets and registry credentials. */
function neededByRole(plan: Plan): Map<string, Set<string>> {
    const needed = new Map<string, Set<string>>();
    for (const task of plan.resources.filter((r) => r.type === TASK_DEFINITION && typeof r.inputs.executionRoleArn === "string")) {
        const role = roleOfArn(task.inputs.executionRoleArn as string);
        const set = needed.get(role) ?? new Set<string>();
        for (const container of JSON.parse(String(task.inputs.containerDefinitions)) as ContainerSecrets[]) {
            for (const secret of container.secrets ?? []) set.add(secretArnFromValueFrom(secret.valueFrom));
            if (container.repositoryCredentials) set.add(container.repositoryCredentials.credentialsParameter);
        }
        needed.set(role, set);
    }
    return needed;
}

function secretReads(policy: PlanResource): string[] {
    const document = JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] };
    return document.Statement.filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => READ_SECRET.includes(a))).flatMap((s) => list(s.Resource));
}

export const executionRoleSecrets: SemanticsRule = {
    name: "execution-role-secrets",
    description:
        "An ECS execution role that may read secrets its own tasks do not reference hands them to every task that uses it; one that reads fewer fails the task at start.",
    source: "AWS ECS developer guide: Amazon ECS task execution IAM role (Secrets Manager and private registry permissions)",
    targets: ["aws"],
    check(plan) {
        const needed = neededByRole(plan);
        const findings: string[] = [];
        const granted = new Map<string, Set<string>>();
        for (const policy of plan.resources.filter((r) => r.type === ROLE_POLICY)) {
            const role = roleOfId(String(policy.inputs.role));
            if (!needed.has(role)) continue;
            for (const arn of secretReads(policy)) {
                granted.set(role, (granted.get(role) ?? new Set()).add(arn));
                if (!needed.get(role)!.has(arn))
                    findings.push(`${policy.name}: execution role ${role} may read ${arn}, which none of its task definitions' containerDefinitions reference`);
            }
        }
        for (const attachment of plan.resources.filter((r) => r.type === POLICY_ATTACHMENT)) {
            const role = String(attachment.inputs.role);
            if (needed.has(role))
                findings.push(
                    `${attachment.name}: execution role ${role} holds managed policy ${String(attachment.inputs.policyArn)}, whose secret reads this rule cannot bound`,
                );
        }
        for (const [role, arns] of needed) {
            for (const arn of arns) {
                if (!granted.get(role)?.has(arn))
                    findings.push(`execution role ${role}: cannot read ${arn}, which its tasks reference (the task would not start)`);
            }
        }
        return findings;
    },
    mutate(plan) {
        // The regression of issue 13 item 19: the service's role also reads the migration task's secret.
        const needed = neededByRole(plan);
        const all = [...new Set([...needed.values()].flatMap((s) => [...s]))];
        for (const policy of plan.resources.filter((r) => r.type === ROLE_POLICY && needed.has(roleOfId(String(r.inputs.role))))) {
            const foreign = all.find((arn) => !needed.get(roleOfId(String(policy.inputs.role)))!.has(arn));
            const document = JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] };
            // Only a role that reads secrets has the statement to widen (the plan lists policies as they resolve).
            const reads = document.Statement.find((s) => list(s.Action).includes("secretsmanager:GetSecretValue"));
            if (foreign === undefined || reads === undefined) continue;
            reads.Resource = [...list(reads.Resource), foreign];
            policy.inputs.policy = JSON.stringify(document);
            return;
        }
        throw new Error("no execution role that reads secrets but not some other task's: nothing to mutate");
    },
};
