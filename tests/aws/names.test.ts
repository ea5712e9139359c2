// AWS physical names on every stack: review stacks (Pulumi Deployments names them after the
// repository and pull request) get names within each service's limit, two of them never share one,
// and staging's and prod's names stay exactly what they are (a renamed load balancer or database is
// a replaced one).
import { strict as assert } from "node:assert";
import { AWS_NAME_LIMITS, awsName, fitName, limitsOf, NAME_HASH_LENGTH, type NameLimit } from "../../components/aws/names";
import { mirrorPrefix } from "../../components/cluster/image-mirror";
import { ConfigError } from "../../config";
import type { Plan } from "../../lib/plan-engine";
import { ofType, stackPlan, stackPlanAs, stackPlanWith } from "../helpers/plan";
import { awsNamesFit } from "../semantics/rules/aws-names-fit";

const REVIEW_STACK = "pr-12345-some-long-branch-name-for-the-review-stack";
const OTHER_REVIEW_STACK = "pr-12346-some-long-branch-name-for-the-review-stack";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const ALL_LIMITS: readonly NameLimit[] = Object.values(AWS_NAME_LIMITS).flatMap((inputs) => Object.values(inputs));

/** Every name the table covers in `plan`, by resource URN and input. */
function namesOf(plan: Plan): Map<string, string> {
    const names = new Map<string, string>();
    for (const resource of plan.resources) {
        for (const input of Object.keys(limitsOf(resource.type))) {
            const value = input.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], resource.inputs);
            if (typeof value === "string") names.set(`${resource.urn} ${input}`, value);
        }
    }
    return names;
}

/** `plan` with no limit applied: every name as the components spell it out in full, never shortened. */
async function unlimited(plan: () => Promise<Plan>): Promise<Plan> {
    const limits = ALL_LIMITS as readonly { max: number }[];
    const saved = limits.map((l) => l.max);
    limits.forEach((l) => (l.max = Infinity));
    try {
        return await plan();
    } finally {
        limits.forEach((l, i) => (l.max = saved[i]));
    }
}

const only = (plan: Plan, type: string, input: string): string => {
    const [resource] = ofType(plan, type);
    return resource.inputs[input] as string;
};

describe("aws names: the shortening", () => {
    it("keeps every name that fits its limit as it is", () => {
        for (const limit of ALL_LIMITS) {
            const name = "a".repeat(limit.max);
            assert.equal(fitName(name, limit), name);
        }
    });

    it("cuts a name over its limit to the limit, keeping its beginning and ending with a hash of the whole", () => {
        const limit = AWS_NAME_LIMITS[LOAD_BALANCER].name;
        const full = `osint-platform-${REVIEW_STACK}`;
        const short = fitName(full, limit);
        assert.ok(full.length > limit.max);
        assert.ok(short.length <= limit.max, short);
        assert.match(short, new RegExp(`^osint-platform-pr-[0-9a-z-]*-[0-9a-f]{${NAME_HASH_LENGTH}}$`));
        assert.ok(limit.pattern.test(short), short);
        assert.equal(fitName(full, limit), short, "deterministic");
        assert.notEqual(fitName(`osint-platform-${OTHER_REVIEW_STACK}`, limit), short);
    });

    it("never leaves a doubled hyphen where it cuts (RDS and ElastiCache refuse one)", () => {
        const limit = AWS_NAME_LIMITS[REPLICATION_GROUP].replicationGroupId;
        const cutAtHyphen = `${"a".repeat(limit.max - NAME_HASH_LENGTH - 2)}-${"b".repeat(limit.max)}`;
        const short = fitName(cutAtHyphen, limit);
        assert.ok(!short.includes("--"), short);
        assert.ok(limit.pattern.test(short), short);
    });

    it("refuses a stack name whose characters a service does not take, naming the resource, input, limit and value", () => {
        assert.throws(
            () => awsName("aws:rds/instance:Instance", "identifier", "osint-platform-Review_1"),
            (err: unknown) =>
                err instanceof ConfigError &&
                /aws:rds\/instance:Instance identifier/.test(err.message) &&
                /validIdentifier/.test(err.message) &&
                err.message.includes('"osint-platform-Review_1"'),
        );
    });

    it("keeps ECR pull-through cache prefixes within ECR's limit, distinct per stack and upstream", () => {
        const max = AWS_NAME_LIMITS["aws:ecr/pullThroughCacheRule:PullThroughCacheRule"].ecrRepositoryPrefix.max;
        assert.equal(mirrorPrefix("prod", "ecr-public"), "osint-prod-ecr-public");
        const prefixes = [REVIEW_STACK, OTHER_REVIEW_STACK].flatMap((stack) => ["ghcr", "ecr-public"].map((upstream) => mirrorPrefix(stack, upstream)));
        for (const prefix of prefixes) assert.ok(prefix.length <= max && prefix.startsWith("osint-pr-"), prefix);
        assert.equal(new Set(prefixes).size, prefixes.length);
    });
});

describe("aws names: review stacks", () => {
    let review: Plan;
    let other: Plan;
    before(async () => {
        review = await stackPlanAs("staging", REVIEW_STACK);
        other = await stackPlanAs("staging", OTHER_REVIEW_STACK);
    });

    it("puts every name of a long review stack within its service's limit", () => {
        assert.deepEqual(awsNamesFit.check(review), []);
    });

    it("would not without the shortening: the long stack name pushes names over their limits", async () => {
        const unshortened = await unlimited(() => stackPlanAs("staging", REVIEW_STACK));
        const findings = awsNamesFit.check(unshortened);
        assert.ok(findings.some((f) => f.includes(LOAD_BALANCER)) && findings.some((f) => f.includes(REPLICATION_GROUP)), findings.join("\n"));
    });

    it("gives two long review stacks different names where the cut would have made them equal", () => {
        for (const [type, input] of [
            [LOAD_BALANCER, "name"],
            [REPLICATION_GROUP, "replicationGroupId"],
            ["aws:rds/instance:Instance", "identifier"],
            ["aws:backup/vault:Vault", "name"],
        ] as const) {
            assert.notEqual(only(review, type, input), only(other, type, input), `${type} ${input}`);
        }
        // ECS service names are unique within their cluster only, which each stack has its own of.
        const accountWide = (plan: Plan) => [...namesOf(plan)].filter(([key]) => !key.includes("aws:ecs/service:Service")).map(([, name]) => name);
        const shared = accountWide(review).filter((name) => accountWide(other).includes(name));
        assert.deepEqual(shared, [], "no account-wide physical name shared between two review stacks");
    });

    it("finds the stack's resources by their shortened names: dashboard searches, RDS log groups and trust, Redis member ids", () => {
        const loadBalancer = only(review, LOAD_BALANCER, "name");
        const cache = only(review, REPLICATION_GROUP, "replicationGroupId");
        const database = only(review, "aws:rds/instance:Instance", "identifier");
        const body = only(review, "aws:cloudwatch/dashboard:Dashboard", "dashboardBody");
        for (const name of [loadBalancer, cache, database]) assert.ok(body.includes(name), name);
        const logGroups = ofType(review, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name as string);
        assert.ok(logGroups.some((g) => g.startsWith(`/aws/rds/instance/${database}/`)));
        const monitoringTrust = ofType(review, "aws:iam/role:Role")
            .map((r) => r.inputs.assumeRolePolicy as string)
            .filter((policy) => policy.includes("monitoring.rds.amazonaws.com"));
        assert.equal(monitoringTrust.length, 1);
        assert.ok(monitoringTrust[0].includes(`:db:${database}"`), monitoringTrust[0]);
        const memoryAlarms = ofType(review, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.metricName === "DatabaseMemoryUsagePercentage");
        assert.ok(memoryAlarms.length > 0);
        for (const alarm of memoryAlarms) assert.match(JSON.stringify(alarm.inputs.dimensions), new RegExp(`"${cache}-\\d{3}"`));
    });
});

describe("aws names: the aws-names-fit rule", () => {
    it("reports an AWS resource that names itself with no limit in the table, and nothing on the shipped plan", async () => {
        const plan = structuredClone(await stackPlan("staging"));
        assert.deepEqual(awsNamesFit.check(plan), []);
        const [topic] = ofType(plan, "aws:sns/topic:Topic");
        plan.resources.push({ ...structuredClone(topic), type: "aws:kms/alias:Alias", name: "unlisted", inputs: { name: "alias/osint" } });
        assert.deepEqual(awsNamesFit.check(plan), ["unlisted (aws:kms/alias:Alias) sets name but components/aws/names.ts has no limit for it"]);
    });

    it("reports a name of characters its service refuses, not only a long one", async () => {
        const plan = structuredClone(await stackPlan("staging"));
        ofType(plan, "aws:rds/instance:Instance")[0].inputs.identifier = "osint-platform-Staging";
        const findings = awsNamesFit.check(plan);
        assert.equal(findings.length, 1);
        assert.match(findings[0], /identifier "osint-platform-Staging": expected a name matching/);
    });
});

describe("aws names: staging and prod keep theirs", () => {
    for (const stack of ["staging", "prod"]) {
        it(`${stack}: every name is the one the components spell out in full, none shortened`, async () => {
            const names = namesOf(await stackPlan(stack));
            const unshortened = namesOf(await unlimited(() => stackPlanWith(stack, {})));
            assert.ok(names.size > 0);
            assert.deepEqual(names, unshortened);
            assert.equal(only(await stackPlan(stack), LOAD_BALANCER, "name"), `osint-platform-${stack}`);
        });
    }
});
