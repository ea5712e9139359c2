// Issue 21, fixes 1-4 and 6: what every task on staging and prod needs before it can start (the
// VPC endpoints admitting it, its images cached, the GHCR credentials stored and valid), read from
// the offline plan; the deployment's shell steps run against a stand-in `aws` CLI.
import { strict as assert } from "node:assert";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { ofType, stackPlan } from "../helpers/plan";
import { awsStacks, TYPES } from "./helpers";

const HTTPS = 443;
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** Every security group a task runs in: the services' network configuration and the one-off tasks' run-task step. */
export function taskSecurityGroups(plan: Plan): Map<string, string> {
    const groups = new Map<string, string>();
    for (const service of ofType(plan, TYPES.service))
        for (const sg of (service.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups) groups.set(sg, service.name);
    for (const command of ofType(plan, TYPES.command)) {
        const sg = (command.inputs.environment as Record<string, string> | undefined)?.SECURITY_GROUP;
        if (sg !== undefined) groups.set(sg, command.name);
    }
    return groups;
}

const onPort = (rule: PlanResource, port: number) => rule.inputs.fromPort === port && rule.inputs.toPort === port && rule.inputs.ipProtocol === "tcp";

for (const stack of awsStacks) {
    describe(`${stack}: every task can start (issue 21)`, () => {
        let plan: Plan;
        before(async () => {
            plan = await stackPlan(stack);
        });

        it("1: the interface endpoints admit 443 from every task's security group, playwright's included (private DNS sends them all there)", () => {
            const endpointGroups = new Set(
                ofType(plan, ENDPOINT)
                    .filter((e) => e.inputs.vpcEndpointType === "Interface" && e.inputs.privateDnsEnabled === true)
                    .flatMap((e) => e.inputs.securityGroupIds as string[]),
            );
            assert.equal(endpointGroups.size, 1, "one endpoint security group");
            const [endpointGroup] = endpointGroups;
            const admitted = new Set(
                ofType(plan, TYPES.ingress)
                    .filter((r) => r.inputs.securityGroupId === endpointGroup && onPort(r, HTTPS))
                    .map((r) => r.inputs.referencedSecurityGroupId),
            );
            const tasks = taskSecurityGroups(plan);
            assert.ok(tasks.size >= 5, "four services and the psql tasks (the migration runs in the backend's)");
            for (const [sg, task] of tasks) {
                assert.ok(admitted.has(sg), `${task} (${sg}): the endpoints admit it on ${HTTPS}`);
                const out = ofType(plan, TYPES.egress).filter(
                    (r) =>
                        r.inputs.securityGroupId === sg &&
                        onPort(r, HTTPS) &&
                        (r.inputs.referencedSecurityGroupId === endpointGroup || r.inputs.cidrIpv4 === "0.0.0.0/0"),
                );
                assert.ok(out.length > 0, `${task} (${sg}) may send 443 to the endpoints`);
            }
        });
    });
}
