// `npm run cost`: the monthly estimate of each stack from its plan and the dated price table.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DOCS_FILE, PRICED_STACKS, totalsBlock, withTotals } from "../../tools/cost";
import { estimate, FREE, PRICED_TYPES, PriceError, USAGE } from "../../tools/cost/estimate";
import { PRICES } from "../../tools/cost/prices";
import { stackRegions } from "../../tools/cost/regions";
import type { Plan } from "../../lib/plan-engine";
import { ofType, projectDir, stackPlan, stackPlanWith } from "../helpers/plan";
import { TS_HOOK } from "../helpers/hook";

function cost(...args: string[]) {
    return spawnSync(process.execPath, ["--require", TS_HOOK, "tools/cost.ts", ...args], { cwd: projectDir, encoding: "utf8" });
}

const regions = (stack: string) => stackRegions(projectDir, stack);
const lineOf = (report: ReturnType<typeof estimate>, name: string, type: string) => {
    const found = report.resources.filter((r) => r.type === type && r.urn.endsWith(`::${name}`));
    assert.equal(found.length, 1, `one ${type} ${name}`);
    return found[0];
};

describe("npm run cost", () => {
    it("prices every type the staging and prod plans create, or names why AWS does not bill it", async () => {
        for (const stack of PRICED_STACKS) {
            const report = estimate(await stackPlan(stack), regions(stack));
            assert.deepEqual(report.unpriced, [], `${stack}: types without a price or a reason in FREE`);
            assert.ok(report.total > 0);
        }
        for (const type of PRICED_TYPES) assert.ok(!(type in FREE), `${type} is both priced and free`);
    });

    it("prices the load balancer's public IPv4 addresses, one per subnet, and none for an internal one (issue 21)", async () => {
        const prices = PRICES.regions["us-east-1"];
        for (const stack of PRICED_STACKS) {
            const plan = await stackPlan(stack);
            const [alb] = ofType(plan, "aws:lb/loadBalancer:LoadBalancer");
            const zones = (alb.inputs.subnets as string[]).length;
            assert.equal(zones, stack === "prod" ? 3 : 2);
            const line = lineOf(estimate(plan, regions(stack)), alb.name, alb.type);
            const addresses = zones * prices.publicIpv4Hour * USAGE.hoursPerMonth;
            const base = prices.albHour * USAGE.hoursPerMonth + USAGE.albAverageLcu * prices.albLcuHour * USAGE.hoursPerMonth;
            assert.equal(line.monthly, Math.round((base + addresses) * 100) / 100, stack);
            assert.ok(
                line.assumptions.some((a) => a.startsWith(`${zones} public IPv4 addresses`)),
                line.assumptions.join("; "),
            );
            if (stack === "prod") assert.ok(addresses > 10.9 && addresses < 11, `prod: about $11 a month (${addresses})`);
            const internal: Plan = { ...plan, resources: plan.resources.map((r) => (r === alb ? { ...r, inputs: { ...r.inputs, internal: true } } : r)) };
            assert.equal(lineOf(estimate(internal, regions(stack)), alb.name, alb.type).monthly, Math.round(base * 100) / 100);
        }
    });

    it("reports a type it cannot price, so a new type fails the test above until it is priced", async () => {
        const plan = await stackPlan("staging");
        const withNew: Plan = { ...plan, resources: [...plan.resources, { ...plan.resources[1], urn: "urn:new", type: "aws:opensearch/domain:Domain" }] };
        assert.deepEqual(estimate(withNew, regions("staging")).unpriced, ["aws:opensearch/domain:Domain"]);
    });

    it("prices VPC interface endpoints per AZ when the program adds them; gateway endpoints cost nothing", async () => {
        const plan = await stackPlan("staging");
        const endpoint = (name: string, inputs: Record<string, unknown>) => ({
            ...plan.resources[1],
            urn: `urn:pulumi:staging::osint-platform::aws:ec2/vpcEndpoint:VpcEndpoint::${name}`,
            type: "aws:ec2/vpcEndpoint:VpcEndpoint",
            name,
            inputs,
        });
        const withEndpoints: Plan = {
            ...plan,
            resources: [
                ...plan.resources,
                endpoint("ecr-api", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] }),
                endpoint("s3", { vpcEndpointType: "Gateway" }),
            ],
        };
        const report = estimate(withEndpoints, regions("staging"));
        const prices = PRICES.regions["us-east-1"];
        const expected = 2 * prices.interfaceEndpointHour * USAGE.hoursPerMonth + USAGE.interfaceEndpointGbPerMonth * prices.interfaceEndpointGb;
        assert.ok(Math.abs(lineOf(report, "ecr-api", "aws:ec2/vpcEndpoint:VpcEndpoint").monthly - expected) < 0.01);
        assert.equal(lineOf(report, "s3", "aws:ec2/vpcEndpoint:VpcEndpoint").monthly, 0);
        assert.ok(Math.abs(report.total - estimate(plan, regions("staging")).total - expected) < 0.02);
    });

    it("dev on Docker costs nothing and says so", async () => {
        const report = estimate(await stackPlan("dev"), regions("dev"));
        assert.equal(report.total, 0);
        assert.deepEqual(report.resources, []);
        assert.match(report.note ?? "", /Docker.*no cloud charges/);
        const result = cost("--stack", "dev");
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, /\$0\.00: runs on a local Docker engine: no cloud charges/);
    });

    it("--format json gives {stack, currency, total, resources: [{urn, type, monthly, assumptions}]} with the total the sum of the lines", () => {
        const result = cost("--stack", "staging", "--format", "json");
        assert.equal(result.status, 0, result.stderr);
        const report = JSON.parse(result.stdout);
        assert.equal(report.stack, "staging");
        assert.equal(report.currency, "USD");
        assert.equal(typeof report.total, "number");
        for (const r of report.resources) {
            assert.equal(typeof r.urn, "string");
            assert.equal(typeof r.type, "string");
            assert.equal(typeof r.monthly, "number");
            assert.ok(Array.isArray(r.assumptions) && r.assumptions.length > 0, `${r.urn} states its assumptions`);
        }
        const sum = report.resources.reduce((s: number, r: { monthly: number }) => s + r.monthly, 0);
        assert.ok(Math.abs(report.total - sum) < 0.01 * report.resources.length, `${report.total} vs ${sum}`);
        assert.equal(report.prices.takenOn, PRICES.takenOn);
    });

    it("prints each line's assumptions (hours per month, traffic, log volume) with the figure", () => {
        const result = cost("--stack", "prod");
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stdout, new RegExp(`× ${USAGE.hoursPerMonth} h/month`));
        assert.match(result.stdout, new RegExp(`${USAGE.natGatewayGbPerMonth} GB/month processed`));
        assert.match(result.stdout, new RegExp(`${USAGE.logIngestionGbPerGroupMonth} GB/month ingested`));
        assert.match(result.stdout, new RegExp(`list prices as of ${PRICES.takenOn}`));
    });

    it("follows the tools' command-line contract: --help exits 0; a bad --format is one line and exit 2", () => {
        const help = cost("--help");
        assert.equal(help.status, 0);
        for (const option of ["--stack", "--format", "--budget", "--out", "--write-docs"]) assert.ok(help.stdout.includes(option), option);
        const bad = cost("--stack", "prod", "--format", "csv");
        assert.equal(bad.status, 2);
        assert.equal(bad.stderr.trim().split("\n").length, 1);
        assert.match(bad.stderr, /^cost: option --format: expected markdown or json, found "csv"/);
    });

    it("--budget exits 1 above the total and 0 at it; a bad amount is a usage error in one line", async () => {
        const { total } = estimate(await stackPlan("staging"), regions("staging"));
        const above = cost("--stack", "staging", "--budget", String(total - 1));
        assert.equal(above.status, 1);
        assert.match(above.stderr, /above the budget/);
        assert.equal(cost("--stack", "staging", "--budget", String(total)).status, 0);
        const bad = cost("--stack", "staging", "--budget", "lots");
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /^cost: option --budget: expected a non-negative number, found "lots"/);
        assert.equal(bad.stderr.trim().split("\n").length, 1);
    });

    it("prices the database by class and Multi-AZ: staging's total moves by exactly the class's hourly difference", async () => {
        const base = estimate(await stackPlan("staging"), regions("staging"));
        const larger = estimate(await stackPlanWith("staging", { dbInstanceClass: "db.t4g.large" }), regions("staging"));
        const rates = PRICES.regions["us-east-1"].rdsInstanceHour;
        const expected = (rates["db.t4g.large"] - rates["db.t4g.medium"]) * USAGE.hoursPerMonth;
        assert.ok(Math.abs(larger.total - base.total - expected) < 0.02, `${larger.total} - ${base.total} vs ${expected}`);
        const prodDb = lineOf(estimate(await stackPlan("prod"), regions("prod")), "database-postgres", "aws:rds/instance:Instance");
        assert.match(prodDb.assumptions[0], /× 2 \(Multi-AZ standby\)/);
    });

    it("prices auto-scaled services at their minimum and maximum: backendMinTasks moves the total by one backend task", async () => {
        const plan = await stackPlan("staging");
        const base = estimate(plan, regions("staging"));
        const backend = lineOf(base, "backend", "aws:ecs/service:Service");
        const [target] = ofType(plan, "aws:appautoscaling/target:Target");
        const perTask = backend.monthly / Number(target.inputs.minCapacity);
        assert.ok(Math.abs((backend.monthlyMax ?? 0) - perTask * Number(target.inputs.maxCapacity)) < 0.02);
        const more = estimate(await stackPlanWith("staging", { backendMinTasks: String(Number(target.inputs.minCapacity) + 1) }), regions("staging"));
        const moreBackend = lineOf(more, "backend", "aws:ecs/service:Service");
        assert.ok(Math.abs(moreBackend.monthly - backend.monthly - perTask) < 0.02, `${moreBackend.monthly} - ${backend.monthly} vs ${perTask}`);
        // The frontend runs backendMinTasks tasks too: the total moves by one task of each.
        const frontend = lineOf(base, "frontend", "aws:ecs/service:Service");
        const frontendPerTask = frontend.monthly / Number(ofType(plan, "aws:ecs/service:Service").find((s) => s.name === "frontend")?.inputs.desiredCount);
        assert.ok(Math.abs(more.total - base.total - perTask - frontendPerTask) < 0.02, `${more.total} - ${base.total} vs ${perTask} + ${frontendPerTask}`);
    });

    it("finds a service's task definition by its name when the ARN is not known yet, as in a real preview", async () => {
        const plan = await stackPlan("prod");
        const unknown: Plan = {
            ...plan,
            resources: plan.resources.map((r) => (r.type === "aws:ecs/service:Service" ? { ...r, inputs: { ...r.inputs, taskDefinition: "[unknown]" } } : r)),
        };
        assert.equal(estimate(unknown, regions("prod")).total, estimate(plan, regions("prod")).total);
    });

    it("refuses a class the table does not price, naming the resource, the class and the file", async () => {
        const plan = await stackPlanWith("staging", { dbInstanceClass: "db.x2g.16xlarge" });
        assert.throws(
            () => estimate(plan, regions("staging")),
            (err: Error) => err instanceof PriceError && /db\.x2g\.16xlarge has no price in tools\/cost\/prices\.ts/.test(err.message),
        );
    });

    it("the price table names its version, date and source, and covers every stack's region and DR region", () => {
        assert.ok(Number.isInteger(PRICES.version) && PRICES.version >= 1);
        assert.match(PRICES.takenOn, /^\d{4}-\d{2}-\d{2}$/);
        assert.match(PRICES.source, /AWS/);
        for (const stack of PRICED_STACKS) {
            const { region, drRegion } = regions(stack);
            for (const r of [region, drRegion].filter(Boolean)) assert.ok(PRICES.regions[r as string], `${stack}: ${r} priced`);
        }
    });

    it(`${DOCS_FILE} shows the current staging and prod totals (npm run cost -- --write-docs)`, async () => {
        const reports = [];
        for (const stack of PRICED_STACKS) reports.push(estimate(await stackPlan(stack), regions(stack)));
        const text = fs.readFileSync(path.join(projectDir, DOCS_FILE), "utf8");
        assert.equal(withTotals(text, totalsBlock(reports)), text, `${DOCS_FILE}'s cost totals are stale: run npm run cost -- --write-docs`);
        for (const r of reports) assert.ok(text.includes(`| ${r.stack} | $${r.total.toFixed(2)} |`));
    });
});
