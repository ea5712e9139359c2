import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ConfigError, environmentMinimums, expectedOf, fields, parseConfig, PROJECT, UNREADABLE_SECRET, type ConfigKey } from "../config";
import { SECRET_PLACEHOLDER } from "../lib/placeholders";
import { readProjectFile, readStackConfig, StackFileError } from "../lib/stack-config";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectDir } from "./helpers/plan";

const shippedStacks = ["dev", "staging", "prod"] as const;
const keys = Object.keys(fields) as ConfigKey[];
const devConfig = () => readStackConfig(projectDir, "dev").config;

function errorOf(fn: () => unknown): ConfigError {
    try {
        fn();
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return err;
    }
    assert.fail("expected a ConfigError, nothing was thrown");
}

describe("stack config", () => {
    it("Pulumi.yaml declares exactly the keys config.ts validates, with the same types", () => {
        const declared = readProjectFile(projectDir).config ?? {};
        assert.deepEqual(Object.keys(declared).sort(), [...keys].sort());
        for (const key of keys) {
            const declaration = declared[key];
            assert.ok(typeof declaration === "object", `${key} needs a typed declaration`);
            assert.equal(declaration.type, fields[key].type, `type of ${key}`);
        }
    });

    it("every Pulumi.yaml default passes its own validation", () => {
        const declared = readProjectFile(projectDir).config ?? {};
        for (const key of keys) {
            const declaration = declared[key];
            if (typeof declaration !== "object" || declaration.default === undefined) continue;
            assert.ok(fields[key].schema.safeParse(String(declaration.default)).success, `default of ${key}`);
        }
    });

    for (const stack of shippedStacks) {
        it(`parses the shipped ${stack} stack into a frozen object`, () => {
            const config = parseConfig(stack, readStackConfig(projectDir, stack).config);
            assert.ok(Object.isFrozen(config));
            assert.equal(config.stack, stack);
            assert.equal(config.target, stack === "dev" ? "docker" : "aws");
        });
    }

    it("reads the design's dev numbers from the dev stack", () => {
        const config = parseConfig("dev", devConfig());
        assert.equal(config.environment, "development");
        // environment-architecture.md line 121: "7-day retention policy"; line 274: "30 days for development" (logs).
        assert.equal(config.backupRetentionDays, 7);
        assert.equal(config.logRetentionDays, 30);
        assert.equal(config.imageSource, "build");
        assert.equal(config.buildTarget, "development");
    });

    it("names the stack, the key, what was expected and what was found", () => {
        const err = errorOf(() => parseConfig("dev", { ...devConfig(), [`${PROJECT}:httpPort`]: "eighty" }));
        assert.equal(err.message, 'stack dev: config key osint-platform:httpPort: expected an integer from 1 to 65535, found "eighty"');
        assert.equal(err.key, "osint-platform:httpPort");
    });

    it("rejects a missing key", () => {
        const raw = devConfig();
        delete raw[`${PROJECT}:target`];
        assert.match(errorOf(() => parseConfig("dev", raw)).message, /config key osint-platform:target: expected one of docker, aws, found nothing/);
    });

    it("rejects an unknown project key but leaves provider keys to their providers", () => {
        assert.match(
            errorOf(() => parseConfig("dev", { ...devConfig(), [`${PROJECT}:replicas`]: "3" })).message,
            /osint-platform:replicas: .* found an unknown key/,
        );
        assert.doesNotThrow(() => parseConfig("dev", { ...devConfig(), "docker:host": "unix:///var/run/docker.sock" }));
    });

    it("publishes on 127.0.0.1 unless told otherwise, and takes only an IP address (publishAddress)", () => {
        assert.equal(parseConfig("dev", devConfig()).publishAddress, "127.0.0.1");
        for (const address of ["0.0.0.0", "192.168.1.20", "::1", "::"]) {
            assert.equal(parseConfig("dev", { ...devConfig(), [`${PROJECT}:publishAddress`]: address }).publishAddress, address);
        }
        for (const address of ["localhost", "127.0.0.1:8443", "256.0.0.1", " 127.0.0.1", ""]) {
            const err = errorOf(() => parseConfig("dev", { ...devConfig(), [`${PROJECT}:publishAddress`]: address }));
            assert.equal(
                err.message,
                `stack dev: config key osint-platform:publishAddress: expected ${fields.publishAddress.expected}, found ${JSON.stringify(address)}`,
            );
        }
    });

    it("rejects `latest` and empty image tags", () => {
        for (const tag of ["latest", ""]) {
            assert.equal(errorOf(() => parseConfig("dev", { ...devConfig(), [`${PROJECT}:imageTag`]: tag })).key, `${PROJECT}:imageTag`);
        }
    });

    it("holds the design's retention minimums: 7/30 days in development, 30/90 in production", () => {
        const prod = readStackConfig(projectDir, "prod").config;
        // environment-architecture.md lines 121 and 125 (backups: 7 days, 30 in production) and 274 (logs: 30, 90 in production).
        const cases: [Record<string, string>, ConfigKey, number][] = [
            [devConfig(), "backupRetentionDays", 7],
            [devConfig(), "logRetentionDays", 30],
            [prod, "backupRetentionDays", 30],
            [prod, "logRetentionDays", 90],
        ];
        for (const [raw, key, minimum] of cases) {
            const stack = raw === prod ? "prod" : "dev";
            assert.doesNotThrow(() => parseConfig(stack, { ...raw, [`${PROJECT}:${key}`]: String(minimum) }));
            const err = errorOf(() => parseConfig(stack, { ...raw, [`${PROJECT}:${key}`]: String(minimum - 1) }));
            assert.equal(err.key, `${PROJECT}:${key}`);
            assert.match(err.message, new RegExp(`at least ${minimum} days`));
        }
    });

    it("ties the target to the environment and refuses local builds on aws", () => {
        assert.equal(errorOf(() => parseConfig("dev", { ...devConfig(), [`${PROJECT}:target`]: "aws" })).key, `${PROJECT}:target`);
        const prod = readStackConfig(projectDir, "prod").config;
        assert.equal(errorOf(() => parseConfig("prod", { ...prod, [`${PROJECT}:imageSource`]: "build" })).key, `${PROJECT}:imageSource`);
    });

    it("rejects every malformed value with a message naming its key (property)", () => {
        const base = devConfig();
        const badValue = (key: ConfigKey) => fc.string({ maxLength: 40 }).filter((v) => !fields[key].schema.safeParse(v).success);
        fc.assert(
            fc.property(
                fc.constantFrom(...keys).chain((key) => fc.tuple(fc.constant(key), badValue(key))),
                ([key, value]) => {
                    const err = errorOf(() => parseConfig("dev", { ...base, [`${PROJECT}:${key}`]: value }));
                    assert.equal(err.key, `${PROJECT}:${key}`);
                    assert.ok(err.message.startsWith(`stack dev: config key ${PROJECT}:${key}: expected ${expectedOf(key, "development")}, found `));
                    assert.ok(err.message.endsWith(JSON.stringify(value)));
                },
            ),
            { numRuns: 300 },
        );
    });

    it("rejects out-of-range integers and accepts in-range ones (property)", () => {
        const base = devConfig();
        fc.assert(
            fc.property(fc.integer({ min: -100000, max: 200000 }), (port) => {
                const raw = { ...base, [`${PROJECT}:httpPort`]: String(port), [`${PROJECT}:httpsPort`]: "8443" };
                if (port >= 1 && port <= 65535 && port !== 8443) assert.equal(parseConfig("dev", raw).httpPort, port);
                else assert.equal(errorOf(() => parseConfig("dev", raw)).key.endsWith("Port"), true);
            }),
            { numRuns: 300 },
        );
    });
});

describe("config errors, all at once", () => {
    const key = (k: string) => `${PROJECT}:${k}`;

    it("reports every problem of a stack in one error, each with its key, expected and found", () => {
        const err = errorOf(() => parseConfig("dev", { ...devConfig(), [key("httpPort")]: "eighty", [key("grafana")]: "yes", [key("rateLimitBurst")]: "-1" }));
        assert.deepEqual(err.problems.map((p) => p.key).sort(), [key("grafana"), key("httpPort"), key("rateLimitBurst")]);
        assert.equal(err.message.split("\n")[0], "stack dev: 3 config problems");
        for (const p of err.problems) assert.ok(err.message.includes(`config key ${p.key}: expected ${p.expected}, found ${p.found}`));
    });

    it("states the environment's own limits on the first try (retention: 7/30 days in development, 30/90 in production)", () => {
        const prod = readStackConfig(projectDir, "prod").config;
        // The design's minimums (environment-architecture.md lines 121, 125 and 274).
        const cases: [string, Record<string, string>, "development" | "production", ConfigKey, number][] = [
            ["dev", devConfig(), "development", "backupRetentionDays", 7],
            ["dev", devConfig(), "development", "logRetentionDays", 30],
            ["prod", prod, "production", "backupRetentionDays", 30],
            ["prod", prod, "production", "logRetentionDays", 90],
        ];
        for (const [stack, raw, environment, k, minimum] of cases) {
            const { range } = fields[k] as { range?: { max: number } };
            assert.ok(range, `${k} is an integer with a range`);
            const max = range.max;
            // Below the general range (0) and inside it but below the environment's minimum: the same sentence.
            for (const value of ["0", String(minimum - 1)]) {
                const err = errorOf(() => parseConfig(stack, { ...raw, [key(k)]: value }));
                assert.equal(err.expected, `an integer from ${minimum} to ${max} (at least ${minimum} days in ${environment}, the design's minimum)`);
                assert.equal(err.expected, expectedOf(k, environment));
            }
        }
    });

    it("the policy pack checks the same retention minimums per stack (policies/config/<stack>.json)", () => {
        for (const stack of shippedStacks) {
            const { environment } = parseConfig(stack, readStackConfig(projectDir, stack).config);
            const policy = JSON.parse(fs.readFileSync(path.join(projectDir, "policies", "config", `${stack}.json`), "utf8"));
            assert.equal(policy["backup-retention"].minimumDays, environmentMinimums[environment].backupRetentionDays, `${stack} backups`);
            assert.equal(policy["log-retention"].minimumDays, environmentMinimums[environment].logRetentionDays, `${stack} logs`);
        }
    });

    it("suggests the nearest key for a misspelled one, and lists the keys when nothing is near", () => {
        assert.equal(errorOf(() => parseConfig("dev", { ...devConfig(), [key("httpPrt")]: "80" })).found, `an unknown key (did you mean ${key("httpPort")}?)`);
        const far = errorOf(() => parseConfig("dev", { ...devConfig(), [key("replicas")]: "3" }));
        assert.equal(far.found, "an unknown key");
        for (const k of keys) assert.ok(far.expected.includes(k), `lists ${k}`);
    });

    it("flags a near miss of the project's namespace, and leaves the providers' namespaces alone", () => {
        const err = errorOf(() => parseConfig("dev", { ...devConfig(), "osint-platfrom:httpPort": "80" }));
        assert.equal(err.key, "osint-platfrom:httpPort");
        assert.equal(err.found, `namespace osint-platfrom (did you mean ${key("httpPort")}?)`);
        for (const provider of ["aws", "docker", "pulumi", "random", "tls", "command", "postgresql"]) {
            assert.doesNotThrow(() => parseConfig("dev", { ...devConfig(), [`${provider}:anything`]: "x" }), provider);
        }
    });

    it("accepts an unreadable secret where the program passes it through, and skips the checks it feeds", () => {
        const prod = readStackConfig(projectDir, "prod").config;
        const config = parseConfig("prod", {
            ...prod,
            [key("alarmEmail")]: UNREADABLE_SECRET,
            [key("domainName")]: UNREADABLE_SECRET,
            "aws:region": UNREADABLE_SECRET,
        });
        assert.equal(config.alarmEmail, UNREADABLE_SECRET);
        assert.equal(config.domainName, UNREADABLE_SECRET);
        // A value the program computes with cannot be planned from a placeholder: named, not a TypeError later.
        const err = errorOf(() => parseConfig("prod", { ...prod, [key("vpcCidr")]: UNREADABLE_SECRET }));
        assert.equal(err.key, key("vpcCidr"));
        assert.match(err.found, /secure value/);
        // The same values in plaintext (as under `pulumi up`) are checked.
        assert.equal(errorOf(() => parseConfig("prod", { ...prod, [key("alarmEmail")]: "not-an-address" })).key, key("alarmEmail"));
        assert.equal(errorOf(() => parseConfig("prod", { ...prod, "aws:region": "mars-1" })).key, "aws:region");
    });
});

describe("stack files", () => {
    it("apply Pulumi.yaml defaults under stack values, as the CLI does", () => {
        const { config } = readStackConfig(projectDir, "dev");
        assert.equal(config[`${PROJECT}:httpsPort`], "8443"); // Pulumi.dev.yaml
        assert.equal(config[`${PROJECT}:rateLimitPerSecond`], "10"); // Pulumi.yaml default
    });

    it("turn `secure:` values into secret placeholders", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-stack-"));
        const file = path.join(dir, "Pulumi.fixture.yaml");
        fs.writeFileSync(file, "config:\n  aws:secretKey:\n    secure: v1:AAAA:BBBB\n  osint-platform:target: docker\n");
        const { config, secretKeys } = readStackConfig(projectDir, "fixture", file);
        assert.equal(config["aws:secretKey"], SECRET_PLACEHOLDER);
        assert.deepEqual(secretKeys, ["aws:secretKey"]);
        fs.rmSync(dir, { recursive: true });
    });

    describe("position every problem at its file, line and column", () => {
        const write = (contents: string) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-stack-"));
            const file = path.join(dir, "Pulumi.fixture.yaml");
            fs.writeFileSync(file, contents);
            return file;
        };
        const readError = (contents: string): string => {
            const file = write(contents);
            try {
                readStackConfig(projectDir, "fixture", file);
            } catch (err) {
                assert.ok(err instanceof StackFileError, String(err));
                return err.message;
            } finally {
                fs.rmSync(path.dirname(file), { recursive: true });
            }
            assert.fail("expected a StackFileError");
        };

        it("a YAML syntax error and a tab, each at its line and column, once a line", () => {
            assert.match(readError("config:\n  a: [1\n  b: 2\n"), /Pulumi\.fixture\.yaml:3:3: YAML: Flow sequence/);
            // The tab also breaks its line's mapping; that is said once, by the tab.
            assert.equal(
                readError("config:\n  osint-platform:target: docker\n\tosint-platform:httpPort: 80\n").replace(
                    /^.*Pulumi\.fixture\.yaml/,
                    "Pulumi.fixture.yaml",
                ),
                "Pulumi.fixture.yaml:3:1: YAML: Tabs are not allowed as indentation",
            );
        });

        it("a key written twice as a problem among the others, not a stop before them; the last is read", () => {
            const file = write(
                "config:\n  osint-platform:httpPort: 80\n  osint-platform:httpPort: 81\n  'osint-platform:target': docker\n  osint-platform:target: aws\n",
            );
            const { problems, config } = readStackConfig(projectDir, "fixture", file);
            fs.rmSync(path.dirname(file), { recursive: true });
            assert.deepEqual(
                problems.map((p) => [p.key, p.at.line, p.at.col, p.expected, p.found]),
                [
                    [`${PROJECT}:httpPort`, 3, 3, "each key once in its mapping", "it written again here"],
                    [`${PROJECT}:target`, 5, 3, "each key once in its mapping", "it written again here"],
                ],
            );
            assert.deepEqual([config[`${PROJECT}:httpPort`], config[`${PROJECT}:target`]], ["81", "aws"]);
        });

        it("a document the fast reader refuses but the locating one takes (an unknown tag) still fails at its place", () => {
            assert.match(readError("config:\n  osint-platform:httpPort: !port 80\n"), /Pulumi\.fixture\.yaml:2:\d+: YAML: unknown tag !<!port>/);
        });

        it("where each key is written (Pulumi.yaml for defaults), and a key without namespace as a problem", () => {
            const file = write("config:\n  osint-platform:target: docker\n  httpPort: 80\n");
            const { positions, problems, config } = readStackConfig(projectDir, "fixture", file);
            fs.rmSync(path.dirname(file), { recursive: true });
            assert.deepEqual(positions[`${PROJECT}:target`], { file, line: 2, col: 3 });
            assert.equal(positions[`${PROJECT}:rateLimitBurst`].file, "Pulumi.yaml");
            assert.equal(config[`${PROJECT}:httpPort`], "80");
            assert.deepEqual(
                problems.map((p) => [p.key, p.at.line]),
                [["httpPort", 3]],
            );
        });

        it("plans a secure value with its Pulumi.yaml default when typed, the placeholder otherwise, and lists both", () => {
            const file = write("config:\n  osint-platform:httpPort:\n    secure: v1:AAAA\n  osint-platform:alarmEmail:\n    secure: v1:BBBB\n");
            const { config, unvalidatedSecrets } = readStackConfig(projectDir, "fixture", file);
            fs.rmSync(path.dirname(file), { recursive: true });
            const httpPortDefault = readProjectFile(projectDir).config?.httpPort;
            assert.ok(typeof httpPortDefault === "object");
            assert.equal(config[`${PROJECT}:httpPort`], String(httpPortDefault.default));
            assert.deepEqual(unvalidatedSecrets, [
                { key: `${PROJECT}:httpPort`, plannedWith: String(httpPortDefault.default) },
                { key: `${PROJECT}:alarmEmail`, plannedWith: SECRET_PLACEHOLDER },
            ]);
        });
    });
});
