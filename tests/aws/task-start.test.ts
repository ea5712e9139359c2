// Issue 21, fixes 1-4 and 6: what every task on staging and prod needs before it can start (the
// VPC endpoints admitting it, its images cached, the GHCR credentials stored and valid), read from
// the offline plan; the deployment's shell steps run against a stand-in `aws` CLI.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { REGISTRY_CREDENTIAL_KEYS } from "../../components/cluster";
import { IMAGE_CACHE_SCRIPT, IMAGE_CACHE_WAIT_MINUTES, RULE_VALIDATION_SCRIPT, UPSTREAMS } from "../../components/cluster/image-mirror";
import { INTERFACE_ENDPOINTS } from "../../components/network/aws";
import { applicationServices } from "../../components/service/catalog";
import { MOCK_ACCOUNT_ID, MOCK_REGION } from "../../lib/mocks";
import type { Plan, PlanResource } from "../../lib/plan-engine";
import { ofType, projectDir, stackPlan } from "../helpers/plan";
import { awsStacks, containerOf, dependsOn, runWithAws, TYPES } from "./helpers";

const HTTPS = 443;
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** Every security group a task runs in: the services' network configuration and the one-off tasks' run-task step. */
function taskSecurityGroups(plan: Plan): Map<string, string> {
    const groups = new Map<string, string>();
    for (const service of ofType(plan, TYPES.service))
        for (const sg of (service.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups) groups.set(sg, service.name);
    for (const command of ofType(plan, TYPES.command)) {
        const sg = (command.inputs.environment as Record<string, string> | undefined)?.SECURITY_GROUP;
        if (sg !== undefined) groups.set(sg, command.name);
    }
    return groups;
}

const environmentOf = (r: PlanResource) => r.inputs.environment as Record<string, string>;

// A stand-in `aws` for the cache step: describe-images finds the tag from the $CACHED_AFTER-th call on.
const CACHE_ANSWERS = `case "$1 $2" in
  "ecr describe-images") n=$(cat "$HOME/described" 2>/dev/null || echo 0); echo $((n + 1)) > "$HOME/described"
    if [ "$n" -ge "$CACHED_AFTER" ]; then echo sha256:abc; else echo "An error occurred (ImageNotFoundException)" >&2; exit 254; fi ;;
  "ecr batch-get-image") echo "\${FAILURE:-None}" ;;
esac`;

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
            assert.equal(tasks.size, applicationServices.length + 1, "each service's, and the psql tasks' (the migration runs in the backend's)");
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

        it("2: every task pulls only an image the deployment has cached first, keyed on its reference", () => {
            const registry = `${MOCK_ACCOUNT_ID}.dkr.ecr.${MOCK_REGION}.amazonaws.com/`;
            const steps = ofType(plan, TYPES.command).filter((c) => c.inputs.create === IMAGE_CACHE_SCRIPT);
            const definitions = ofType(plan, TYPES.taskDefinition);
            assert.equal(definitions.length, applicationServices.length + 3, "each service's, the backend's migration, the access model and the seed");
            for (const definition of definitions) {
                const image = containerOf(definition).image;
                assert.ok(image.startsWith(registry), `${definition.name} pulls from the stack's ECR`);
                const [repository, tag] = image.slice(registry.length).split(":");
                const step = steps.find((c) => environmentOf(c).REPOSITORY === repository && environmentOf(c).TAG === tag);
                assert.ok(step, `${definition.name}: a step caches ${repository}:${tag}`);
                assert.ok(dependsOn(plan, definition, step.urn), `${definition.name} waits for ${step.name}`);
                const upstream = environmentOf(step).IMAGE;
                assert.ok(upstream.endsWith(`:${tag}`) && Object.keys(UPSTREAMS).includes(upstream.split("/")[0]), `${step.name}: ${upstream}`);
            }
            const gate = ofType(plan, TYPES.command).find((c) => c.name === "network-cluster-ghcr-credentials-stored")!;
            for (const step of steps) {
                assert.equal(environmentOf(step).WAIT_MINUTES, String(IMAGE_CACHE_WAIT_MINUTES));
                if (environmentOf(step).IMAGE.startsWith("ghcr.io/")) assert.ok(dependsOn(plan, step, gate.urn), `${step.name} waits for the GHCR credentials`);
            }
        });

        it("2: no task but playwright may send 443 beyond the endpoints and S3 (the first pull is the deployment's)", () => {
            const tasks = taskSecurityGroups(plan);
            const playwright = ofType(plan, TYPES.service).find((s) => s.name === "playwright")!;
            const researcher = (playwright.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups[0];
            for (const rule of ofType(plan, TYPES.egress).filter((r) => tasks.has(String(r.inputs.securityGroupId)) && r.inputs.cidrIpv4 !== undefined))
                assert.equal(rule.inputs.securityGroupId, researcher, `${rule.name}: ${String(rule.inputs.cidrIpv4)}`);
        });

        it("4: GHCR's pull-through cache rule is created only once its credentials are stored; then ECR validates it before any GHCR pull", () => {
            const gate = ofType(plan, TYPES.command).find((c) => c.name === "network-cluster-ghcr-credentials-stored")!;
            const rules = ofType(plan, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule");
            const ghcr = rules.find((r) => r.inputs.upstreamRegistryUrl === "ghcr.io")!;
            assert.ok(ghcr.options.dependsOn.includes(gate.urn), "CreatePullThroughCacheRule reads the secret");
            const valid = ofType(plan, TYPES.command).filter((c) => c.inputs.create === RULE_VALIDATION_SCRIPT);
            assert.deepEqual(
                valid.map((c) => environmentOf(c).PREFIX),
                [ghcr.inputs.ecrRepositoryPrefix],
            );
            assert.ok(valid[0].dependencies.includes(ghcr.urn), "validates the rule once it exists");
            const steps = ofType(plan, TYPES.command).filter((c) => c.inputs.create === IMAGE_CACHE_SCRIPT && environmentOf(c).IMAGE.startsWith("ghcr.io/"));
            assert.equal(steps.length, applicationServices.length, "one per application image");
            for (const step of steps) assert.ok(step.options.dependsOn.includes(valid[0].urn), `${step.name} waits for the validation`);
        });

        it("6: every service and one-off task starts only after the VPC endpoints and every security-group rule exist", () => {
            const network = [...ofType(plan, ENDPOINT), ...ofType(plan, TYPES.ingress), ...ofType(plan, TYPES.egress)];
            assert.equal(ofType(plan, ENDPOINT).length, INTERFACE_ENDPOINTS.length + 1, "the interface endpoints and S3's gateway");
            const starters = [...ofType(plan, TYPES.service), ...ofType(plan, TYPES.command).filter((c) => environmentOf(c).SECURITY_GROUP !== undefined)];
            assert.equal(starters.length, applicationServices.length + 3, "each service, the access model, the migration and the seed");
            for (const task of starters) for (const needed of network) assert.ok(dependsOn(plan, task, needed.urn), `${task.name} waits for ${needed.name}`);
        });
    });
}

describe("2: the image cache step (stand-in aws CLI)", () => {
    const env = { AWS_REGION: "us-east-1", IMAGE: "ghcr.io/org/backend:1.2.3", REPOSITORY: "osint-prod-ghcr/org/backend", TAG: "1.2.3", POLL_SECONDS: "0" };
    const verbs = (calls: string[]) => calls.map((c) => c.split("|")[1].split(" ").slice(0, 2).join(" "));

    it("is done at once when ECR already holds the tag, pulling nothing", () => {
        const run = runWithAws(IMAGE_CACHE_SCRIPT, { ...env, WAIT_MINUTES: "1", CACHED_AFTER: "0" }, CACHE_ANSWERS);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(verbs(run.calls), ["ecr describe-images"]);
        assert.ok(run.calls[0].includes("--repository-name osint-prod-ghcr/org/backend --image-ids imageTag=1.2.3"), run.calls[0]);
    });

    it("makes a pull's manifest request until ECR lists the tag, then succeeds", () => {
        const run = runWithAws(IMAGE_CACHE_SCRIPT, { ...env, WAIT_MINUTES: "1", CACHED_AFTER: "2" }, CACHE_ANSWERS);
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(verbs(run.calls), ["ecr describe-images", "ecr batch-get-image", "ecr describe-images", "ecr batch-get-image", "ecr describe-images"]);
        assert.match(run.stdout, /ghcr\.io\/org\/backend:1\.2\.3 is cached as osint-prod-ghcr\/org\/backend:1\.2\.3/);
        for (const call of run.calls) assert.ok(call.startsWith("us-east-1|"), call);
    });

    it("fails past its bound, naming the image and ECR's reason", () => {
        const run = runWithAws(IMAGE_CACHE_SCRIPT, { ...env, WAIT_MINUTES: "0", CACHED_AFTER: "99", FAILURE: "Requested image not found" }, CACHE_ANSWERS);
        assert.equal(run.status, 1);
        assert.match(
            run.stderr,
            /ECR has not cached ghcr\.io\/org\/backend:1\.2\.3 as osint-prod-ghcr\/org\/backend:1\.2\.3 after 0 minutes \(Requested image not found\)/,
        );
        assert.match(run.stderr, /validate-pull-through-cache-rule/);
    });
});

describe("4: the GHCR rule's validation step (stand-in aws CLI)", () => {
    const env = { AWS_REGION: "us-east-1", PREFIX: "osint-prod-ghcr", SECRET: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr" };
    const answer = (line: string) => `[ "$1 $2" = "ecr validate-pull-through-cache-rule" ] && printf '${line}\\n'`;

    it("passes when ECR signs in to GHCR", () => {
        const run = runWithAws(RULE_VALIDATION_SCRIPT, env, answer("True\\tNone"));
        assert.equal(run.status, 0, run.stderr);
        assert.deepEqual(run.calls, [
            "us-east-1|ecr validate-pull-through-cache-rule --ecr-repository-prefix osint-prod-ghcr --query [isValid, failure] --output text",
        ]);
    });

    it("fails with ECR's reason and the command that stores a working token", () => {
        const run = runWithAws(RULE_VALIDATION_SCRIPT, env, answer("False\\tUnable to authenticate with upstream registry"));
        assert.equal(run.status, 1);
        assert.match(run.stderr, /ECR cannot pull through osint-prod-ghcr with the credentials in arn:\S+: Unable to authenticate with upstream registry;/);
        assert.match(run.stderr, /aws secretsmanager put-secret-value --secret-id arn:aws:secretsmanager:/);
    });
});

describe("3: the operator docs store the GHCR credentials where ECR reads them", () => {
    const docs = ["aws-stacks.md", "aws-security.md"].map((file) => ({ file, text: fs.readFileSync(path.join(projectDir, "docs", file), "utf8") }));
    // Shell commands as written, a backslash-newline joining a command's lines.
    const commands = (text: string, verb: string) => text.replace(/\\\n\s*/g, "").match(new RegExp(`aws secretsmanager ${verb}[^\`\n]*`, "g")) ?? [];

    for (const stack of awsStacks)
        it(`${stack}: the list-secrets filter is a prefix of the secret's name, the values have ECR's keys`, async () => {
            const plan = await stackPlan(stack);
            const secret = ofType(plan, "aws:secretsmanager/secret:Secret").find((s) => s.name === "network-cluster-ghcr-credentials")!;
            const namePrefix = String(secret.inputs.namePrefix);
            for (const { file, text } of docs) {
                const lists = commands(text, "list-secrets");
                const puts = commands(text, "put-secret-value");
                assert.ok(lists.length > 0 && puts.length > 0, `${file}: how to find the secret and store the value`);
                for (const list of lists) {
                    // The ListSecrets name filter matches from the start of the name (Secrets Manager API reference, Filter).
                    const value = /--filters Key=name,Values=(\S+)/.exec(list)?.[1];
                    assert.ok(value, `${file}: ${list}`);
                    assert.ok(namePrefix.startsWith(value.replace("-prod/", `-${stack}/`)), `${file}: ${value} finds ${namePrefix}<suffix>`);
                    assert.ok(value.startsWith("ecr-pullthroughcache/"), `${file}: ${value}`);
                }
                for (const put of puts) {
                    const id = /--secret-id (<[^>]+>|\S+)/.exec(put)?.[1] ?? "";
                    assert.ok(["<the ARN it prints>", '"$SECRET"'].includes(id), `${file}: --secret-id ${id}: the name has a generated suffix`);
                    const stored = JSON.parse(/--secret-string '([^']+)'/.exec(put)![1]) as Record<string, string>;
                    assert.deepEqual(Object.keys(stored), [...REGISTRY_CREDENTIAL_KEYS], `${file}: ${put}`);
                }
            }
        });
});
