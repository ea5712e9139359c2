import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../components/aws/sdk";
import { planOf, stackPlan } from "./helpers/plan";

describe("offline plan engine", () => {
    it("produces the dev plan with the JSON contract's fields", async () => {
        const plan = await stackPlan("dev");
        assert.equal(plan.stack, "dev");
        assert.equal(plan.project, "osint-platform");
        assert.ok(plan.resources.length > 0);
        assert.deepEqual(Object.keys(plan).sort(), ["invokes", "outputs", "project", "resources", "stack", "unvalidatedSecrets"]);
        for (const r of plan.resources) {
            assert.deepEqual(Object.keys(r).sort(), ["dependencies", "inputs", "name", "options", "parent", "source", "type", "urn"]);
            assert.deepEqual(Object.keys(r.options).sort(), ["dependsOn", "ignoreChanges", "protect", "retainOnDelete"]);
            // Where the program registered it: a repository file and line (the engine's own Stack has none).
            if (r.type === "pulumi:pulumi:Stack") assert.equal(r.source, null);
            else
                assert.ok(
                    r.source && /^[\w./-]+\.ts$/.test(r.source.file) && !r.source.file.startsWith("tools/") && r.source.line > 0,
                    `${r.urn}: ${JSON.stringify(r.source)}`,
                );
        }
    });

    it("records implicit dependencies (the inputs' sources) apart from the explicit dependsOn", async () => {
        const plan = await stackPlan("staging");
        const byName = (type: string, name: string) => plan.resources.find((r) => r.type === type && r.name === name)!;
        const service = byName("aws:ecs/service:Service", "backend");
        const taskDefinition = byName("aws:ecs/taskDefinition:TaskDefinition", "backend");
        const targetGroup = byName("aws:lb/targetGroup:TargetGroup", "proxy-backend-blue");
        assert.ok(service.dependencies.includes(taskDefinition.urn), "taskDefinition input comes from the task definition");
        assert.ok(service.dependencies.includes(targetGroup.urn), "loadBalancers[].targetGroupArn comes from the target group");
        assert.ok(!service.options.dependsOn.includes(taskDefinition.urn), "dependsOn keeps only the explicit ones");
        const urns = new Set(plan.resources.map((r) => r.urn));
        for (const r of plan.resources) for (const d of r.dependencies) assert.ok(urns.has(d), `${r.name}: dependency ${d} is a planned resource`);
    });

    it("records every invoke the program makes, with its token and inputs", async () => {
        const plan = await stackPlan("staging");
        const tokens = plan.invokes.map((i) => i.token);
        assert.ok(tokens.includes("aws:index/getRegion:getRegion"));
        assert.ok(plan.invokes.every((i) => Array.isArray(i.arguments)));
    });

    it("records an invoke's argument names, never their values (the SDK sends a secret one unmarked)", async () => {
        const plan = await planOf(() => aws.secretsmanager.getSecretVersionOutput({ secretId: pulumi.secret("arn:aws:secretsmanager:us-east-1:1:secret:x") }));
        const reads = plan.invokes.filter((i) => i.token === "aws:secretsmanager/getSecretVersion:getSecretVersion");
        assert.deepEqual(reads, [{ token: "aws:secretsmanager/getSecretVersion:getSecretVersion", arguments: ["secretId"] }]);
        assert.ok(!JSON.stringify(plan).includes("secret:x"));
    });
});

describe("offline plan engine: the mocked ARNs", () => {
    it("name the region each resource lives in: prod's disaster-recovery vault (through its drRegion provider) in us-west-2", async () => {
        const text = JSON.stringify(await stackPlan("prod"));
        const vaults = [...new Set(text.match(/arn:aws:backup:[\w-]+:\d+:[\w-]+vault/g))].sort();
        assert.deepEqual(vaults, ["arn:aws:backup:us-east-1:123456789012:backups-vault", "arn:aws:backup:us-west-2:123456789012:backups-dr-vault"]);
    });
});
