// Reading the AWS stacks' plans: resources by type and name, container definitions parsed.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { ofType } from "../helpers/plan";

export const awsStacks = ["staging", "prod"] as const;
export type AwsStack = (typeof awsStacks)[number];

export function one(plan: Plan, type: string, name: string): PlanResource {
    const found = ofType(plan, type).filter((r) => r.name === name);
    assert.equal(found.length, 1, `one ${type} named ${name}`);
    return found[0];
}

export function only(plan: Plan, type: string): PlanResource {
    const found = ofType(plan, type);
    assert.equal(found.length, 1, `one ${type}`);
    return found[0];
}

export interface ContainerDefinition {
    name: string;
    image: string;
    user: string;
    cpu: number;
    memory: number;
    readonlyRootFilesystem: boolean;
    command?: string[];
    environment: { name: string; value: string }[];
    secrets: { name: string; valueFrom: string }[];
    healthCheck?: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
    logConfiguration: { logDriver: string; options: Record<string, string> };
    repositoryCredentials?: { credentialsParameter: string };
    linuxParameters: { capabilities: { drop: string[] } };
    portMappings: { containerPort: number }[];
}

export function containerOf(taskDefinition: PlanResource): ContainerDefinition {
    const json = taskDefinition.inputs.containerDefinitions;
    assert.equal(typeof json, "string", `${taskDefinition.name}: container definitions are plain (not secret) JSON`);
    const definitions = JSON.parse(json as string) as ContainerDefinition[];
    assert.equal(definitions.length, 1);
    return definitions[0];
}

export const TYPES = {
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    cluster: "aws:ecs/cluster:Cluster",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    command: "command:local:Command",
    rds: "aws:rds/instance:Instance",
    rdsParameters: "aws:rds/parameterGroup:ParameterGroup",
    backupReplication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    listener: "aws:lb/listener:Listener",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    kmsKey: "aws:kms/key:Key",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

/** Runs a command resource's script with a stand-in `aws` that logs each call and answers from `answers`. */
export function runWithAws(
    script: string,
    env: Record<string, string>,
    answers: string,
): { status: number | null; stdout: string; stderr: string; calls: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-cli-"));
    try {
        const log = path.join(dir, "calls");
        fs.writeFileSync(path.join(dir, "aws"), `#!/bin/bash\nprintf '%s|%s\\n' "$AWS_REGION" "$*" >> "${log}"\n${answers}\n`, { mode: 0o755 });
        const result = spawnSync("/bin/bash", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin`, HOME: dir, ...env }, encoding: "utf8", timeout: 60_000 });
        return {
            status: result.status,
            stdout: result.stdout,
            stderr: result.stderr,
            calls: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [],
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Whether `from` depends on `to`, through inputs or dependsOn, directly or not. */
export function dependsOn(plan: Plan, from: PlanResource, to: string): boolean {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const walk = (r: PlanResource): boolean =>
        [...r.options.dependsOn, ...r.dependencies].some((d) => {
            if (d === to) return true;
            if (seen.has(d)) return false;
            seen.add(d);
            const next = byUrn.get(d);
            return next !== undefined && walk(next);
        });
    return walk(from);
}
