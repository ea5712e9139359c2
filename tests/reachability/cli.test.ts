// `npm run reachability` as the pipeline runs it: its verdict is its exit code (0 every flow as it
// should be, 1 a broken or forbidden flow or an unmodelled resource, 2 a plan it cannot analyse),
// with one line on stderr for 1 and 2. The command-line contract itself is tests/tools-cli.test.ts's.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DATABASE_PORT, HTTPS_PORT } from "../../components/service/catalog";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { projectDir, stackPlan } from "../helpers/plan";

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

function reachability(args: readonly string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--require", "./tools/register.js", "tools/reachability.ts", ...args], { cwd: projectDir });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** A plan resource as the plan engine records it. */
function planResource(plan: Plan, type: string, name: string, inputs: Record<string, unknown>): PlanResource {
    return {
        urn: `urn:pulumi:${plan.stack}::${plan.project}::${type}::${name}`,
        type,
        name,
        parent: null,
        inputs,
        options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [] },
        dependencies: [],
        source: null,
    };
}

describe("npm run reachability: exit codes", function () {
    this.timeout(120_000);
    let dir = "";
    let plan: Plan;
    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-reachability-"));
        plan = await stackPlan("prod");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const write = (name: string, content: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
        return file;
    };

    it("a plan without AWS resources (dev) is one line and exit 2", async () => {
        const run = await reachability(["--stack", "dev"]);
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stdout, "");
        assert.equal(run.stderr, "reachability: stack dev holds no AWS resources, so there is no network to analyse (the dev stack runs on Docker)\n");
    });

    it("a file that is no plan is exit 2, naming the file", async () => {
        const run = await reachability(["--input", write("not-json.json", "{ nope")]);
        assert.equal(run.status, 2);
        assert.match(run.stderr, /^reachability: .*not-json\.json/);
        assert.equal(run.stderr.trim().split("\n").length, 1);
    });

    it("a plan with an unreachable needed flow is exit 1, with the report on stdout and the verdict in one line on stderr", async () => {
        // The prod plan with the load balancer's rule to the backend removed.
        const broken = { ...plan, resources: plan.resources.filter((r) => r.name !== "network-backend-from-alb") };
        const run = await reachability(["--input", write("broken.json", broken), "--format", "json"]);
        assert.equal(run.status, 1, run.stderr);
        const report = JSON.parse(run.stdout) as { verdict: number; flows: { ok: boolean; from: string; to: string; why: string }[] };
        assert.equal(report.verdict, 1);
        assert.ok(report.flows.some((f) => !f.ok && f.from === "proxy-alb" && f.to === "backend (service backend)"));
        assert.match(
            run.stderr,
            /^reachability: prod: FAIL: \d+ of \d+ needed flows unreachable, 0 of \d+ forbidden flows reachable, 0 admitted by a security group, 0 resources not modelled\n$/,
        );
    });

    it(`${DATABASE_PORT} opened to the world on the database's group is exit 1, naming the internet → database-postgres and the group that admits it`, async () => {
        const open = {
            ...plan,
            resources: [
                ...plan.resources,
                planResource(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "database-from-anywhere", {
                    securityGroupId: "network-database-id",
                    cidrIpv4: "0.0.0.0/0",
                    ipProtocol: "tcp",
                    fromPort: DATABASE_PORT,
                    toPort: DATABASE_PORT,
                }),
            ],
        };
        assert.ok(
            plan.resources.some((r) => r.name === "network-database"),
            "the id above is the plan's mock id",
        );
        const run = await reachability(["--input", write("open-5432.json", open)]);
        assert.equal(run.status, 1, run.stderr);
        assert.match(
            run.stderr,
            /^reachability: prod: FAIL: 0 of \d+ needed flows unreachable, 0 of \d+ forbidden flows reachable, [1-9]\d* admitted by a security group, 0 resources not modelled\n$/,
        );
        const section = run.stdout.split("\n\n").find((s) => s.startsWith("Forbidden flows a security group admits"))!;
        const finding = section
            .split(/\n(?= {2}✗ )/)
            .find((s) => s.startsWith(`  ✗ the internet → database-postgres tcp/${DATABASE_PORT}: data stores are private\n`));
        assert.ok(finding, section);
        assert.match(finding, /\n {6}admitted by: security group network-database \(database-from-anywhere\);/);
        assert.match(finding, /\n {6}blocked only by: database-postgres has no public IPv4 address; route table [^\n]*no internet gateway/);
    });

    it("a plan whose every flow is as it should be is exit 0, as text", async () => {
        // Defects 1 and 2 opened in the network (the endpoints admit playwright, the pulling groups send 443 anywhere).
        const id = (name: string) => `${name}-id`;
        const rule = (type: string, name: string, inputs: Record<string, unknown>) =>
            planResource(plan, type, name, { ipProtocol: "tcp", fromPort: HTTPS_PORT, toPort: HTTPS_PORT, ...inputs });
        const fixed = {
            ...plan,
            resources: [
                ...plan.resources,
                rule("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "endpoints-from-playwright", {
                    securityGroupId: id("network-endpoints"),
                    referencedSecurityGroupId: id("network-playwright"),
                }),
                ...["frontend", "backend", "ai-processor", "database-admin"].map((g) =>
                    rule("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", `${g}-anywhere`, {
                        securityGroupId: id(`network-${g}`),
                        cidrIpv4: "0.0.0.0/0",
                    }),
                ),
            ],
        };
        assert.ok(
            plan.resources.some((r) => r.name === "network-endpoints"),
            "the ids above are the plan's mock ids",
        );
        const run = await reachability(["--input", write("fixed.json", fixed)]);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stderr, "");
        assert.match(
            run.stdout,
            /^Reachability of prod: PASS: 0 of \d+ needed flows unreachable, 0 of \d+ forbidden flows reachable, 0 admitted by a security group, 0 resources not modelled\n/,
        );
    });
});
