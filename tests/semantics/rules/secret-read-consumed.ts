// A data source runs on every preview, with the preview's credentials (Pulumi docs, "Provider
// functions": invokes run during preview): reading a secret's value that no resource consumes
// only makes a read-only preview role need secretsmanager:GetSecretValue, and puts the value in memory.
import type { SemanticsRule } from "../rule";
import { SECRET_PLACEHOLDER } from "../../../lib/placeholders";

/** Invokes that return a secret's value. */
const SECRET_READS = new Set([
    "aws:secretsmanager/getSecretVersion:getSecretVersion",
    "aws:secretsmanager/getSecretVersions:getSecretVersions",
    "aws:ssm/getParameter:getParameter",
]);
/** Resources that take a plaintext credential at deploy time (a provider connecting with it). */
const consumes = (type: string, inputs: Record<string, unknown>) =>
    type.startsWith("pulumi:providers:") && Object.values(inputs).some((v) => v === SECRET_PLACEHOLDER);

export const secretReadConsumed: SemanticsRule = {
    name: "secret-read-consumed",
    description: "A secret's value is read by an invoke only when a resource that connects with it (a provider) is in the plan",
    source: "Pulumi docs, Provider functions (invokes run during preview); @pulumi/aws secretsmanager.getSecretVersion",
    targets: ["aws"],
    check(plan) {
        const reads = plan.invokes.filter((i) => SECRET_READS.has(i.token));
        if (reads.length === 0 || plan.resources.some((r) => consumes(r.type, r.inputs))) return [];
        return reads.map((i) => `${i.token}(${i.arguments.join(", ")}): read on every preview, consumed by no resource`);
    },
    mutate(plan) {
        plan.invokes.push({
            token: "aws:secretsmanager/getSecretVersion:getSecretVersion",
            arguments: ["secretId"],
        });
    },
};
