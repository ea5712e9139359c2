// The reachability analysis (lib/reachability) on the staging and prod plans, and on mutations of
// them that break a needed flow, open a forbidden one or add what the model cannot read. Each rule
// of the model is shown both ways: a case that must fail and a hardened one that must pass.
import { strict as assert } from "node:assert";
import { analyse, type FlowResult, type NetworkResource, NoAwsResourcesError, planResources } from "../../lib/reachability";
import { stackPlanWith } from "../helpers/plan";
// The database component first: its index and its aws module import each other.
import "../../components/database";
import { QUERY_TASK } from "../../components/database/aws";
import { RUN_SECURITY_GROUPS_TAG, RUN_SUBNETS_TAG } from "../../lib/on-demand-placement";
import { DATABASE_PORT, HTTPS_PORT, REDIS_PORT, serviceDefinitions } from "../../components/service/catalog";
import { awsStacks } from "../aws/helpers";
import { added, changed, EGRESS, failing, groupId, INGRESS, named, type Resources, stackResources, without } from "./helpers";

// Ports from the catalog, as the network component reads them.
const BACKEND_PORT = serviceDefinitions.backend.port;

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SUBNET = "aws:ec2/subnet:Subnet";
const isPlaywright = (f: FlowResult) => f.from.startsWith("playwright ");

/**
 * Issue 21's defects 1 and 2, as the analysis must name them: playwright cannot reach the interface
 * endpoints its private DNS sends it to (the endpoints' group admits 443 from the other task groups
 * only), and every other task that pulls through a cache rule cannot reach the upstream registry on
 * its first pull (its group sends 443 only to the endpoints and S3).
 */
function assertDefects1And2(report: ReturnType<typeof analyse>) {
    const defect1 = report.flows.filter((f) => f.kind === "needed" && isPlaywright(f) && f.toKind === "interface endpoint");
    const defect2 = report.flows.filter((f) => f.kind === "needed" && !isPlaywright(f) && f.why.startsWith("first pull through cache rule"));
    assert.deepEqual(
        defect1.map((f) => f.to).sort(),
        ["network-ecr-api", "network-ecr-dkr", "network-logs"],
        "playwright needs ECR's API and registry and CloudWatch Logs (it has no secrets)",
    );
    assert.ok(defect2.length > 0);
    assert.deepEqual([...new Set(defect2.map((f) => f.to))].sort(), ["ghcr.io", "public.ecr.aws"]);
    assert.deepEqual(failing(report), [...defect1, ...defect2].map((f) => `${f.from} → ${f.to} ${f.ports}`).sort(), "exactly defects 1 and 2 fail");
    for (const f of defect1) {
        assert.equal(f.passing, 0, `${f.from} → ${f.to} fails in every placement`);
        assert.ok(
            f.path.some((h) => !h.ok && new RegExp(`no ingress of network-endpoints admits tcp/${HTTPS_PORT} from playwright`).test(h.text)),
            JSON.stringify(f.path),
        );
    }
    for (const f of defect2)
        assert.ok(
            f.path.some((h) => !h.ok && new RegExp(`no egress of network-[\\w-]+ admits tcp/${HTTPS_PORT} to (ghcr\\.io|public\\.ecr\\.aws)`).test(h.text)),
            JSON.stringify(f.path),
        );
    assert.equal(report.verdict, 1);
}

/**
 * Today's plan with issue 21's fixes 1 and 2 undone: the endpoints' rule for playwright removed, and no
 * command warming the pull-through cache (components/cluster/image-mirror.ts).
 */
function defectsRecreated(resources: Resources): Resources {
    const warming = (r: NetworkResource) => r.type === "command:local:Command" && /\becr batch-get-image\b/.test(String(r.inputs.create));
    assert.ok(resources.some(warming), "the plan warms the cache");
    return without(resources, INGRESS, "network-endpoints-from-playwright").filter((r) => !warming(r));
}

/** The network's alternative fix: the endpoints admit playwright, and the pulling groups send 443 anywhere (through NAT). */
function openedByRules(resources: Resources): Resources {
    const endpoints = groupId(resources, "network-endpoints");
    const pulling = ["network-frontend", "network-backend", "network-ai-processor", "network-database-admin"];
    return [
        ...resources,
        added(INGRESS, "endpoints-from-playwright", {
            securityGroupId: endpoints,
            referencedSecurityGroupId: groupId(resources, "network-playwright"),
            ipProtocol: "tcp",
            fromPort: HTTPS_PORT,
            toPort: HTTPS_PORT,
        }),
        ...pulling.map((g) =>
            added(EGRESS, `${g}-https-anywhere`, {
                securityGroupId: groupId(resources, g),
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: HTTPS_PORT,
                toPort: HTTPS_PORT,
            }),
        ),
    ];
}

/** What every prod task with secrets needs, sorted: its image (ECR and the layer bucket), its logs and its secrets. */
const PROD_TASK_FLOWS = [
    `network-ecr-api tcp/${HTTPS_PORT}`,
    `network-ecr-dkr tcp/${HTTPS_PORT}`,
    `network-logs tcp/${HTTPS_PORT}`,
    `network-secretsmanager tcp/${HTTPS_PORT}`,
    `prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com tcp/${HTTPS_PORT}`,
];
describe("reachability analysis (issue 21)", function () {
    this.timeout(120_000);
    const plans = new Map<string, Resources>();
    before(async () => {
        for (const stack of awsStacks) plans.set(stack, await stackResources(stack));
    });
    const plan = (stack: string) => plans.get(stack)!;
    // The stacks with the operators' on-demand query task declared (databaseQueryTask).
    const withQueryTask = new Map<string, Resources>();
    before(async () => {
        for (const stack of awsStacks) withQueryTask.set(stack, await planResources(await stackPlanWith(stack, { databaseQueryTask: "true" })));
    });

    for (const stack of awsStacks)
        it(`${stack} with the operators' query task (databaseQueryTask): passes, the task placed where its definition declares`, () => {
            const report = analyse(withQueryTask.get(stack)!);
            assert.deepEqual(failing(report), []);
            assert.deepEqual(report.notModelled, []);
            assert.equal(report.verdict, 0);
            assert.ok(report.flows.some((f) => f.from === `${QUERY_TASK} (on-demand task)`));
            assert.ok(!analyse(plan(stack)).flows.some((f) => f.from.startsWith(`${QUERY_TASK} `)), "absent by default");
        });

    for (const stack of awsStacks) {
        it(`${stack}: passes on today's plan (fixes 1 and 2 merged): every needed flow reachable with its path, every forbidden one proven closed`, () => {
            const report = analyse(plan(stack));
            assert.deepEqual(failing(report), []);
            assert.deepEqual(report.notModelled, []);
            assert.equal(report.verdict, 0);
            for (const f of report.flows) assert.ok(f.path.length > 0 && f.placements > 0, `${f.from} → ${f.to} shows a path`);
            // Every task pulls a warmed image, so none needs the upstream registry.
            assert.ok(!report.flows.some((f) => f.why.startsWith("first pull")));
            assert.equal(
                report.notes.filter((n) => / is cached by network-cluster-images-/.test(n)).length,
                report.flows.filter((f) => f.why.startsWith("awslogs")).length,
            );
        });

        it(`${stack}: finds defects 1 and 2, and nothing else, when the fixes are undone (main before issue 21)`, () => {
            const report = analyse(defectsRecreated(plan(stack)));
            assertDefects1And2(report);
            assert.equal(report.summary.reachableForbidden, 0);
            assert.deepEqual(report.notModelled, []);
        });

        it(`${stack}: opening those flows in the network instead (443 through NAT) passes too`, () => {
            assert.equal(analyse(openedByRules(defectsRecreated(plan(stack)))).verdict, 0);
        });
    }

    it("prod without VPC endpoints (vpcEndpoints: false): every AWS API and S3 through NAT, and still every flow as it should be", async () => {
        const report = analyse(await planResources(await stackPlanWith("prod", { vpcEndpoints: "false" })));
        assert.equal(report.verdict, 0, failing(report).join("; "));
        assert.ok(!report.flows.some((f) => f.toKind === "interface endpoint"));
        const logs = report.flows.find((f) => f.from === "backend (service backend)" && f.why.startsWith("awslogs"))!;
        assert.equal(logs.to, "logs.us-east-1.amazonaws.com");
        assert.ok(logs.path.some((h) => h.ok && /0\.0\.0\.0\/0 → network-nat-\d/.test(h.text)));
    });

    it("a warmed image needs no first pull only when the task definition waits for the warming", () => {
        const resources = plan("prod");
        const backend = named(resources, "aws:ecs/taskDefinition:TaskDefinition", "backend");
        const unordered = resources.map((r) =>
            r === backend ? { ...r, dependencies: r.dependencies!.filter((d) => !d.includes("command:local:Command")) } : r,
        );
        assert.deepEqual(failing(analyse(unordered)), [`backend (service backend) → ghcr.io tcp/${HTTPS_PORT}`]);
    });

    it("derives each task's flows from the plan: registry, layers, logs, secrets, its data stores, the load balancer and health checks", () => {
        const report = analyse(plan("prod"));
        const of = (task: string) => report.flows.filter((f) => f.kind === "needed" && f.from === `${task} (service ${task})`).map((f) => `${f.to} ${f.ports}`);
        assert.deepEqual(of("backend").sort(), [`cache-redis tcp/${REDIS_PORT}`, `database-postgres tcp/${DATABASE_PORT}`, ...PROD_TASK_FLOWS]);
        // No secrets, no data store: playwright's needs stop at its image and its logs.
        assert.ok(!of("playwright").some((f) => /secretsmanager|database|cache/.test(f)), of("playwright").join(", "));
        const toBackend = report.flows.filter((f) => f.to === "backend (service backend)" && f.kind === "needed").map((f) => `${f.from} ${f.ports} ${f.why}`);
        assert.deepEqual(toBackend.sort(), [
            `proxy-alb tcp/${BACKEND_PORT} health check of target group proxy-backend-blue`,
            `proxy-alb tcp/${BACKEND_PORT} health check of target group proxy-backend-green`,
            `proxy-alb tcp/${BACKEND_PORT} load balancer traffic to target group proxy-backend-blue`,
            `proxy-alb tcp/${BACKEND_PORT} load balancer traffic to target group proxy-backend-green`,
        ]);
        const s3 = report.flows.find((f) => f.from === "backend (service backend)" && f.to.includes("starport"))!;
        assert.ok(
            s3.path.some((h) => h.ok && /→ network-s3$/.test(h.text)),
            "layers go through the S3 gateway endpoint's prefix-list route",
        );
    });

    it("removing a security group rule names the flow it broke", () => {
        const report = analyse(without(plan("prod"), INGRESS, "network-database-from-backend"));
        assert.deepEqual(failing(report), [
            `backend (service backend) → database-postgres tcp/${DATABASE_PORT}`,
            `backend-migrate (one-off task run by backend-migrate) → database-postgres tcp/${DATABASE_PORT}`,
        ]);
        const flow = report.flows.find((f) => f.from === "backend (service backend)" && f.to === "database-postgres")!;
        assert.ok(flow.path.some((h) => !h.ok && new RegExp(`no ingress of network-database admits tcp/${DATABASE_PORT} from backend`).test(h.text)));
        assert.equal(report.verdict, 1);
    });

    it("a needed flow must pass for every address of the source's subnets: a rule admitting part of them is named as partial", () => {
        const resources = defectsRecreated(plan("prod"));
        const halfOfPrivate0 = added(INGRESS, "endpoints-from-half", {
            securityGroupId: groupId(resources, "network-endpoints"),
            cidrIpv4: "10.10.64.0/21",
            ipProtocol: "tcp",
            fromPort: HTTPS_PORT,
            toPort: HTTPS_PORT,
        });
        const report = analyse([...resources, halfOfPrivate0]);
        const flow = report.flows.find((f) => isPlaywright(f) && f.to === "network-logs")!;
        assert.equal(flow.reachable, false);
        assert.ok(
            flow.path.some((h) => !h.ok && /only part: endpoints-from-half/.test(h.text)),
            JSON.stringify(flow.path),
        );
        // The forbidden side reads the same rule as a way in for some addresses.
        const whole = {
            ...halfOfPrivate0,
            inputs: { ...halfOfPrivate0.inputs, cidrIpv4: "10.10.64.0/20" },
            outputs: { ...halfOfPrivate0.outputs, cidrIpv4: "10.10.64.0/20" },
        };
        assert.equal(
            analyse([...resources, whole]).flows.find((f) => isPlaywright(f) && f.to === "network-logs")!.passing,
            3,
            "from private-0 to the endpoint in each zone",
        );
    });

    // Forbidden flows are judged per layer (lib/reachability/index.ts): a rule of the destination's own
    // security groups admitting one is a finding, even while routing or addressing blocks it.
    describe("a forbidden flow a security group admits fails the verdict, even where another layer blocks it", () => {
        /** An ingress rule for `port` on one of the plan's groups, from a CIDR or from another group. */
        const ingress = (resources: Resources, name: string, group: string, port: number, from: { cidr: string } | { group: string }) =>
            added(INGRESS, name, {
                securityGroupId: groupId(resources, group),
                ...("cidr" in from ? { cidrIpv4: from.cidr } : { referencedSecurityGroupId: groupId(resources, from.group) }),
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
            });
        const flow = (report: ReturnType<typeof analyse>, from: string, to: string) => report.flows.find((f) => f.from === from && f.to === to)!;
        /** The forbidden flows to `store` in the hardened plan, the internet's among them: a rule admitting the whole world admits every one. */
        const forbiddenTo = (resources: Resources, store: string) => {
            const flows = analyse(resources).flows.filter((f) => f.kind === "forbidden" && f.to === store);
            assert.ok(flows.some((f) => f.from === "the internet"));
            return flows.map((f) => `${f.from} → ${f.to} ${f.ports}`).sort();
        };

        for (const stack of awsStacks) {
            it(`${stack}: the hardened plan has no such finding: the data stores' and tasks' groups refuse every forbidden flow`, () => {
                const report = analyse(plan(stack));
                const forbidden = report.flows.filter((f) => f.kind === "forbidden");
                assert.ok(forbidden.length > 0);
                for (const f of forbidden) assert.deepEqual([f.admitting, f.admittedBy, f.blockedOnlyBy], [0, [], []], `${f.from} → ${f.to}`);
                assert.equal(report.summary.admittedForbidden, 0);
                assert.equal(report.verdict, 0);
                // The proof names the group that refuses, as well as the address and the route.
                const internet = flow(report, "the internet", "database-postgres");
                assert.ok(
                    internet.path.some((h) => !h.ok && new RegExp(`no ingress of network-database admits tcp/${DATABASE_PORT} from the internet`).test(h.text)),
                );
            });

            it(`${stack}: ${DATABASE_PORT} opened to the world on the database's group names "the internet → database-postgres", the group admitting it, and what alone still blocks it`, () => {
                const report = analyse([
                    ...plan(stack),
                    ingress(plan(stack), "database-from-anywhere", "network-database", DATABASE_PORT, { cidr: "0.0.0.0/0" }),
                ]);
                // The internet, and with it every source inside the VPC that holds no access (the frontend, playwright, the load balancer).
                assert.deepEqual(failing(report), forbiddenTo(plan(stack), "database-postgres"));
                for (const f of report.flows.filter((r) => !r.ok)) assert.ok(f.admittedBy.includes("security group network-database (database-from-anywhere)"));
                const f = flow(report, "the internet", "database-postgres");
                // Not reachable today: the instance has no public address and its subnets no internet route.
                assert.equal(f.reachable, false);
                assert.equal(f.admitting, f.placements);
                assert.deepEqual(
                    f.admittedBy.filter((a) => a.startsWith("security group")),
                    ["security group network-database (database-from-anywhere)"],
                );
                assert.ok(
                    f.blockedOnlyBy.some((b) => /database-postgres has no public IPv4 address/.test(b)),
                    f.blockedOnlyBy.join("; "),
                );
                assert.ok(
                    f.blockedOnlyBy.some((b) => /no internet gateway/.test(b)),
                    f.blockedOnlyBy.join("; "),
                );
                assert.deepEqual(
                    [report.summary.reachableForbidden, report.summary.admittedForbidden],
                    [0, forbiddenTo(plan(stack), "database-postgres").length],
                );
                assert.equal(report.verdict, 1);
            });
        }

        it(`${REDIS_PORT} opened to the world on the cache's group names the internet → cache-redis`, () => {
            const report = analyse([...plan("prod"), ingress(plan("prod"), "cache-from-anywhere", "network-cache", REDIS_PORT, { cidr: "0.0.0.0/0" })]);
            assert.deepEqual(failing(report), forbiddenTo(plan("prod"), "cache-redis"));
            const f = flow(report, "the internet", "cache-redis");
            assert.equal(f.reachable, false);
            assert.ok(f.admittedBy.includes("security group network-cache (cache-from-anywhere)"), f.admittedBy.join("; "));
            assert.equal(report.verdict, 1);
            // A port the cache does not listen on is no flow to it (443 to the world is the policy pack's EC2.18 rule).
            assert.equal(analyse([...plan("prod"), ingress(plan("prod"), "cache-443", "network-cache", HTTPS_PORT, { cidr: "0.0.0.0/0" })]).verdict, 0);
        });

        it("the database's group admitting the load balancer's names proxy-alb → database-postgres, closed only by the balancer's egress", () => {
            const report = analyse([...plan("prod"), ingress(plan("prod"), "database-from-alb", "network-database", DATABASE_PORT, { group: "network-alb" })]);
            assert.deepEqual(failing(report), [`proxy-alb → database-postgres tcp/${DATABASE_PORT}`]);
            const f = flow(report, "proxy-alb", "database-postgres");
            assert.equal(f.reachable, false);
            assert.ok(f.admittedBy.includes("security group network-database (database-from-alb)"), f.admittedBy.join("; "));
            assert.equal(f.blockedOnlyBy.length, 1, f.blockedOnlyBy.join("; "));
            assert.match(f.blockedOnlyBy[0], new RegExp(`^security groups: no egress of network-alb admits tcp/${DATABASE_PORT} to database-postgres `));
            assert.equal(report.verdict, 1);
        });

        it("a network ACL that blocks what the group admits does not clear it: the finding names the ACL as what alone blocks it", () => {
            const resources = plan("prod");
            const subnet = (name: string) => named(resources, SUBNET, name).outputs.id;
            // The isolated subnets' ACL admits only the VPC (replies included), so nothing from the internet.
            const vpcOnly = added("aws:ec2/networkAcl:NetworkAcl", "isolated-acl", {
                vpcId: named(resources, "aws:ec2/vpc:Vpc", "network-vpc").outputs.id,
                subnetIds: ["network-isolated-0", "network-isolated-1", "network-isolated-2"].map(subnet),
                ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "10.10.0.0/16" }],
                egress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "10.10.0.0/16" }],
            });
            const report = analyse([
                ...resources,
                vpcOnly,
                ingress(resources, "database-from-anywhere", "network-database", DATABASE_PORT, { cidr: "0.0.0.0/0" }),
            ]);
            assert.deepEqual(failing(report), forbiddenTo(resources, "database-postgres"));
            const f = flow(report, "the internet", "database-postgres");
            assert.ok(
                f.blockedOnlyBy.some((b) =>
                    new RegExp(`^network ACL isolated-acl of network-isolated-\\d: request tcp/${DATABASE_PORT} in from the internet: denied`).test(b),
                ),
                f.blockedOnlyBy.join("; "),
            );
            // The hardened plan with the same ACL: nothing admitted, nothing reachable.
            assert.equal(analyse([...resources, vpcOnly]).verdict, 0);
        });

        it("opened in the group and made public (public address, public subnets: RDS user guide, 'Working with a DB instance in a VPC'): the flow is reachable", () => {
            const resources = plan("prod");
            const publicSubnets = ["network-public-0", "network-public-1", "network-public-2"].map((s) => named(resources, SUBNET, s).outputs.id);
            let exposed = changed(resources, "aws:rds/instance:Instance", "database-postgres", { publiclyAccessible: true });
            exposed = changed(exposed, "aws:rds/subnetGroup:SubnetGroup", "database-subnets", { subnetIds: publicSubnets });
            const report = analyse([...exposed, ingress(resources, "database-from-anywhere", "network-database", DATABASE_PORT, { cidr: "0.0.0.0/0" })]);
            assert.deepEqual(failing(report), forbiddenTo(resources, "database-postgres"));
            assert.equal(flow(report, "the internet", "database-postgres").reachable, true);
            assert.equal(report.summary.reachableForbidden, 1);
            assert.equal(report.verdict, 1);
        });
    });

    it("a task without data access: the database's group admitting it is a finding; its own egress alone is not", () => {
        const resources = plan("prod");
        const frontend = groupId(resources, "network-frontend");
        const database = groupId(resources, "network-database");
        const egress = added(EGRESS, "frontend-to-database", {
            securityGroupId: frontend,
            referencedSecurityGroupId: database,
            ipProtocol: "tcp",
            fromPort: DATABASE_PORT,
            toPort: DATABASE_PORT,
        });
        const ingress = added(INGRESS, "database-from-frontend", {
            securityGroupId: database,
            referencedSecurityGroupId: frontend,
            ipProtocol: "tcp",
            fromPort: DATABASE_PORT,
            toPort: DATABASE_PORT,
        });
        const both = analyse([...resources, egress, ingress]);
        assert.deepEqual(failing(both), [`frontend (service frontend) → database-postgres tcp/${DATABASE_PORT}`]);
        assert.equal(both.summary.reachableForbidden, 1);
        // The database's group alone: no path, but the layer that must refuse the flow admits it.
        const admitted = analyse([...resources, ingress]);
        assert.deepEqual(failing(admitted), [`frontend (service frontend) → database-postgres tcp/${DATABASE_PORT}`]);
        assert.deepEqual([admitted.summary.reachableForbidden, admitted.summary.admittedForbidden], [0, 1]);
        // The frontend's egress alone: the database's group still refuses it.
        assert.deepEqual(failing(analyse([...resources, egress])), []);
    });

    it("the ALB never reaches RDS, and the proof names the hop that stops it", () => {
        const flow = analyse(plan("prod")).flows.find((f) => f.from === "proxy-alb" && f.to === "database-postgres")!;
        assert.equal(flow.kind, "forbidden");
        assert.equal(flow.reachable, false);
        assert.ok(flow.path.some((h) => !h.ok && new RegExp(`no egress of network-alb admits tcp/${DATABASE_PORT}`).test(h.text)));
    });

    it("network ACLs are stateless: a rule for the request without one for the reply's ephemeral ports breaks the flow; with it, the flow passes", () => {
        const resources = plan("prod");
        const subnet = (name: string) => named(resources, "aws:ec2/subnet:Subnet", name).outputs.id;
        const acl = (egressFrom: number) =>
            added("aws:ec2/networkAcl:NetworkAcl", "isolated-acl", {
                vpcId: named(resources, "aws:ec2/vpc:Vpc", "network-vpc").outputs.id,
                subnetIds: ["network-isolated-0", "network-isolated-1", "network-isolated-2"].map(subnet),
                ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: DATABASE_PORT, toPort: REDIS_PORT, cidrBlock: "10.10.0.0/16" }],
                egress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: egressFrom, toPort: 65535, cidrBlock: "10.10.0.0/16" }],
            });
        // Replies to 32768-60999 (Linux's ephemeral range) leave only from 1024 up: a rule from 49152 misses part of it.
        const broken = analyse([...resources, acl(49152)]);
        const flow = broken.flows.find((f) => f.from === "backend (service backend)" && f.to === "database-postgres")!;
        assert.equal(flow.reachable, false);
        assert.ok(
            flow.path.some((h) => !h.ok && /isolated-acl of network-isolated-\d: reply tcp\/32768-60999 out to .*: denied \(allow 100, deny \*\)/.test(h.text)),
            JSON.stringify(flow.path),
        );
        assert.deepEqual(failing(analyse([...resources, acl(1024)])), []);
    });

    it("an interface endpoint captures its service's hostname only with private DNS: without it, the name leads to the internet", () => {
        const report = analyse(changed(plan("prod"), "aws:ec2/vpcEndpoint:VpcEndpoint", "network-logs", { privateDnsEnabled: false }));
        const logs = (task: string) => report.flows.find((f) => f.from === `${task} (service ${task})` && f.why.startsWith("awslogs"))!;
        assert.equal(logs("frontend").to, "logs.us-east-1.amazonaws.com");
        assert.equal(logs("frontend").toKind, "internet");
        // The frontend's group sends 443 only to the endpoints and S3: the name now leads where it may not go.
        assert.equal(logs("frontend").reachable, false);
        assert.ok(
            logs("frontend").path.some(
                (h) => !h.ok && new RegExp(`no egress of network-frontend admits tcp/${HTTPS_PORT} to logs\\.us-east-1\\.amazonaws\\.com`).test(h.text),
            ),
        );
        // playwright's sends 443 anywhere, so its flow goes out through NAT.
        assert.ok(logs("playwright").reachable);
        assert.ok(
            logs("playwright").path.some((h) => h.ok && /0\.0\.0\.0\/0 → network-nat-\d/.test(h.text)),
            JSON.stringify(logs("playwright").path),
        );
    });

    it("a resource attached to the network that the model does not know is 'not modelled' and fails the verdict", () => {
        const resources = plan("prod");
        const vpcId = named(resources, "aws:ec2/vpc:Vpc", "network-vpc").outputs.id;
        const peering = added("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "peer", { vpcId, peerVpcId: "vpc-0123456789abcdef0" });
        const gwlb = added("aws:ec2/vpcEndpoint:VpcEndpoint", "inspection", {
            vpcId,
            vpcEndpointType: "GatewayLoadBalancer",
            serviceName: "com.amazonaws.vpce.svc-1",
        });
        const lambda = added("aws:lambda/function:Function", "scraper", {
            vpcConfig: { subnetIds: [named(resources, "aws:ec2/subnet:Subnet", "network-private-0").outputs.id] },
        });
        const report = analyse([...resources, peering, gwlb, lambda]);
        assert.deepEqual(report.notModelled.map((n) => n.urn.split("::").pop()).sort(), ["inspection", "peer", "scraper"]);
        assert.equal(report.verdict, 1);
        // The hardened side: a resource that names no part of the network is no concern of the model.
        assert.equal(analyse([...resources, added("aws:sns/topic:Topic", "alerts", {})]).verdict, 0);
    });

    it("the operators' on-demand task runs where its task definition declares: its flows derived and reachable, nothing beyond its group's", () => {
        const resources = withQueryTask.get("prod")!;
        const query = named(resources, TASK_DEFINITION, QUERY_TASK);
        const declared = query.inputs.tags as Record<string, string>;
        const report = analyse(resources);
        const from = `${QUERY_TASK} (on-demand task)`;
        const needed = report.flows.filter((f) => f.kind === "needed" && f.from === from);
        assert.deepEqual(needed.map((f) => `${f.to} ${f.ports}`).sort(), [`database-postgres tcp/${DATABASE_PORT}`, ...PROD_TASK_FLOWS]);
        for (const f of needed) assert.ok(f.ok && f.passing === f.placements, `${f.to}: ${JSON.stringify(f.path)}`);
        // Placed in each declared subnet (a flow to the internet has one placement per source subnet), all private ones, with the declared group.
        const privateSubnets = resources.filter((r) => r.type === SUBNET && (r.inputs.tags as Record<string, string>).tier === "private");
        assert.deepEqual(declared[RUN_SUBNETS_TAG].split(" ").sort(), privateSubnets.map((r) => String(r.outputs.id)).sort());
        assert.equal(declared[RUN_SECURITY_GROUPS_TAG], groupId(resources, "network-database-admin"));
        assert.equal(needed.find((f) => f.toKind === "internet")?.placements, privateSubnets.length);
        assert.ok(
            needed.every((f) => new RegExp(`^${QUERY_TASK} \\(on-demand task\\) in network-private-\\d`).test(f.placement)),
            needed.map((f) => f.placement).join("; "),
        );
        // It names no cache: the cache is forbidden to it, and closed.
        const cache = report.flows.find((f) => f.kind === "forbidden" && f.from === from && f.to === "cache-redis");
        assert.ok(cache && !cache.reachable);
        // The declaration decides: in a group the database does not admit, its query is named as unreachable.
        const elsewhere = analyse(
            changed(resources, TASK_DEFINITION, QUERY_TASK, { tags: { ...declared, [RUN_SECURITY_GROUPS_TAG]: groupId(resources, "network-frontend") } }),
        );
        assert.ok(failing(elsewhere).includes(`${from} → database-postgres tcp/${DATABASE_PORT}`), failing(elsewhere).join("; "));
    });

    it("a task definition nothing runs and that declares no placement (or half of one) is 'not modelled'", () => {
        const resources = withQueryTask.get("prod")!;
        const declared = named(resources, TASK_DEFINITION, QUERY_TASK).inputs.tags as Record<string, string>;
        const undeclared = analyse(changed(resources, TASK_DEFINITION, QUERY_TASK, { tags: {} }));
        assert.deepEqual(
            undeclared.notModelled.map((n) => `${n.urn.split("::").pop()}: ${n.reason}`),
            [
                `${QUERY_TASK}: task definition that no ECS service or run-task command of the plan runs, and that declares no on-demand placement (${RUN_SUBNETS_TAG}, ${RUN_SECURITY_GROUPS_TAG}): where its tasks run is unknown`,
            ],
        );
        assert.equal(undeclared.verdict, 1);
        assert.ok(!undeclared.flows.some((f) => f.from.startsWith(`${QUERY_TASK} `)));
        const half = analyse(changed(resources, TASK_DEFINITION, QUERY_TASK, { tags: { [RUN_SUBNETS_TAG]: declared[RUN_SUBNETS_TAG] } }));
        assert.ok(half.notModelled.some((n) => /declares an on-demand placement without both/.test(n.reason)));
        assert.equal(half.verdict, 1);
    });

    it("a plan without AWS resources is refused with one sentence", () => {
        assert.throws(() => analyse([added("docker:index/container:Container", "backend", {})], "stack dev"), NoAwsResourcesError);
        assert.throws(() => analyse([], "stack dev"), /stack dev holds no AWS resources/);
    });
});
