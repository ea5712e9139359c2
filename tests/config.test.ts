import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ConfigError, fields, parseConfig, PROJECT, type ConfigKey } from "../config";
import { readProjectFile, readStackConfig, SECRET_PLACEHOLDER } from "../tools/stack-config";
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

    it("rejects `latest` and empty image tags", () => {
        for (const tag of ["latest", ""]) {
            assert.equal(errorOf(() => parseConfig("dev", { ...devConfig(), [`${PROJECT}:imageTag`]: tag })).key, `${PROJECT}:imageTag`);
        }
    });

    it("holds the design's retention minimums: 7/30 days in development, 30/90 in production", () => {
        const prod = readStackConfig(projectDir, "prod").config;
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
                    assert.ok(err.message.startsWith(`stack dev: config key ${PROJECT}:${key}: expected ${fields[key].expected}, found `));
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

describe("stack files", () => {
    it("apply Pulumi.yaml defaults under stack values, as the CLI does", () => {
        const { config } = readStackConfig(projectDir, "dev");
        assert.equal(config[`${PROJECT}:httpsPort`], "8443"); // Pulumi.dev.yaml
        assert.equal(config[`${PROJECT}:rateLimitPerSecond`], "10"); // Pulumi.yaml default
    });

    it("turn `secure:` values into secret placeholders", async () => {
        const fs = await import("node:fs");
        const os = await import("node:os");
        const path = await import("node:path");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-stack-"));
        const file = path.join(dir, "Pulumi.fixture.yaml");
        fs.writeFileSync(file, "config:\n  aws:secretKey:\n    secure: v1:AAAA:BBBB\n  osint-platform:target: docker\n");
        const { config, secretKeys } = readStackConfig(projectDir, "fixture", file);
        assert.equal(config["aws:secretKey"], SECRET_PLACEHOLDER);
        assert.deepEqual(secretKeys, ["aws:secretKey"]);
        fs.rmSync(dir, { recursive: true });
    });
});

describe("README", () => {
    it("documents every project key with its Pulumi.yaml default", async () => {
        const fs = await import("node:fs");
        const path = await import("node:path");
        const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
        const declared = readProjectFile(projectDir).config ?? {};
        for (const [key, declaration] of Object.entries(declared)) {
            const row = readme.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
            assert.ok(row, `README's configuration table lists ${key}`);
            const value = typeof declaration === "object" ? declaration.default : declaration;
            if (value !== undefined) assert.ok(row.includes(`\`${String(value)}\``), `README shows ${key}'s default ${String(value)}`);
        }
    });
});
