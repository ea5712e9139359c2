// Bad AWS stack config stops the program before anything exists, with the key named.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, parseConfig, PROJECT } from "../../config";
import { fargateSizes, fargateTaskSize } from "../../components/aws/fargate";
import { subnetCidr } from "../../components/aws/platform";
import { taskEnvironment } from "../../components/service/aws";
import { recordProgram } from "../../lib/plan-engine";
import { readStackConfig } from "../../lib/stack-config";
import { planOf, projectDir } from "../helpers/plan";

const prod = () => readStackConfig(projectDir, "prod").config;
const key = (k: string) => (k.includes(":") ? k : `${PROJECT}:${k}`);

function rejects(k: string, value: string, expected: RegExp): void {
    assert.throws(
        () => parseConfig("prod", { ...prod(), [key(k)]: value }),
        (err: unknown) =>
            err instanceof ConfigError && err.key === key(k) && expected.test(err.expected) && err.message.startsWith(`stack prod: config key ${key(k)}:`),
        `${k}=${value}`,
    );
}

describe("aws stack config", () => {
    it("refuses an unknown region or DR region, and a DR region equal to the primary", () => {
        rejects("aws:region", "us-middle-1", /AWS region/);
        rejects("drRegion", "eu-nowhere-9", /AWS region/);
        rejects("drRegion", "us-east-1", /other than aws:region/);
        assert.equal(parseConfig("prod", { ...prod(), [key("drRegion")]: "eu-west-1" }).drRegion, "eu-west-1");
    });

    it("refuses a VPC CIDR that does not parse or is outside /16-/20", () => {
        for (const bad of ["10.0.0.0", "10.0.0.0/33", "300.0.0.0/16", "10.0.1.0/16", "10.0.0.0/24", "ten/16"]) rejects("vpcCidr", bad, /CIDR/);
        assert.equal(parseConfig("prod", { ...prod(), [key("vpcCidr")]: "172.16.0.0/20" }).vpcCidr, "172.16.0.0/20");
    });

    it("refuses instance classes and node types that do not parse", () => {
        for (const bad of ["m7g.xlarge", "db.m7g", "db.m7g.huge", "cache.t4g.small", "DB.M7G.XLARGE"]) rejects("dbInstanceClass", bad, /RDS instance class/);
        for (const bad of ["t4g.small", "cache.t4g", "db.t4g.small"]) rejects("cacheNodeType", bad, /ElastiCache node type/);
        assert.equal(parseConfig("prod", { ...prod(), [key("dbInstanceClass")]: "db.r7g.12xlarge" }).dbInstanceClass, "db.r7g.12xlarge");
    });

    it("refuses retention below the design's production minimum (backups 30, logs 90 days)", () => {
        // ../shared/design/environment-architecture.md line 125: "Daily full backups with 30-day retention";
        // line 274: "Retention: 30 days for development, 90 days for production".
        rejects("backupRetentionDays", "29", /at least 30 days/);
        rejects("logRetentionDays", "89", /at least 90 days/);
    });

    it("refuses fewer maximum than minimum backend tasks, a third zone too many, Grafana on aws, an unknown strategy", () => {
        const minimum = prod()[key("backendMinTasks")];
        rejects("backendMaxTasks", String(Number(minimum) - 1), new RegExp(`at least backendMinTasks \\(${minimum}\\)`));
        rejects("availabilityZoneCount", "4", /from 2 to 3/);
        rejects("grafana", "true", /CloudWatch/);
        rejects("deploymentStrategy", "canary", /rolling, blue-green/);
        rejects("alarmEmail", "not-an-address", /e-mail/);
    });

    it("registers nothing when the aws config is bad", async () => {
        const { project, config, secretKeys } = readStackConfig(projectDir, "prod");
        const registered: string[] = [];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require("../../index") as () => Promise<unknown>;
        await assert.rejects(
            recordProgram(project, "prod", { ...config, [key("vpcCidr")]: "10.0.0.0/8" }, secretKeys, () => {
                pulumi.runtime.registerStackTransformation(({ type }) => {
                    registered.push(type);
                    return undefined;
                });
                return program();
            }),
            (err: unknown) => err instanceof ConfigError && err.key === key("vpcCidr"),
        );
        assert.deepEqual(registered, []);
    });
});

describe("aws sizing and addressing", () => {
    it("puts each design size in the smallest valid Fargate task that holds it", () => {
        assert.deepEqual(fargateTaskSize({ memoryMb: 512, cpus: 0.5 }), { cpuUnits: 512, memoryMb: 1024 }, "0.5 vCPU starts at 1 GB");
        assert.deepEqual(fargateTaskSize({ memoryMb: 2048, cpus: 1 }), { cpuUnits: 1024, memoryMb: 2048 });
        assert.deepEqual(fargateTaskSize({ memoryMb: 512, cpus: 0.25 }), { cpuUnits: 256, memoryMb: 512 });
        assert.deepEqual(fargateTaskSize({ memoryMb: 3000, cpus: 0.25 }), { cpuUnits: 512, memoryMb: 3072 }, "0.25 vCPU stops at 2 GB");
        assert.throws(() => fargateTaskSize({ memoryMb: 64 * 1024, cpus: 4 }), /no Fargate task size/);
        // Every listed pair is one AWS documents: memory in 1 GB steps from 2x to 8x the vCPU (0.25 vCPU: 0.5-2 GB).
        for (const { cpus, memoryMb } of fargateSizes.filter((s) => s.cpus >= 0.5)) {
            assert.equal(memoryMb[0], cpus * 2048);
            assert.equal(memoryMb.at(-1), cpus === 4 ? 30720 : cpus * 8192);
        }
    });

    it("carves /20 subnets out of the VPC block", () => {
        assert.equal(subnetCidr("10.0.0.0/16", 4, 0), "10.0.0.0/20");
        assert.equal(subnetCidr("10.0.0.0/16", 4, 5), "10.0.80.0/20");
        assert.equal(subnetCidr("10.10.0.0/16", 4, 11), "10.10.176.0/20");
        assert.equal(subnetCidr("172.16.0.0/20", 4, 8), "172.16.8.0/24");
    });
});

describe("aws task environment", () => {
    it("refuses a Pulumi secret as an environment value (credentials go through ECS secrets)", async () => {
        await assert.rejects(
            planOf(() => taskEnvironment("backend", { DB_HOST: "db.internal", DB_PASSWORD: pulumi.secret("hunter2") })),
            /backend: environment variable DB_PASSWORD would carry a secret; pass it as a credential/,
        );
        const plan = await planOf(() => taskEnvironment("backend", { DB_HOST: "db.internal" }));
        assert.deepEqual(
            plan.resources.map((r) => r.type),
            ["pulumi:pulumi:Stack"],
        );
    });
});
