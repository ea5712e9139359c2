// Stack files are read by js-yaml with the YAML 1.2 core schema (lib/stack-config.ts), and by the
// `yaml` library only to locate problems: both must read every document alike, or a value would change
// with whether the file has a problem elsewhere.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { load } from "js-yaml";
import { parseDocument } from "yaml";
import { CORE_SCHEMA, readStackConfig, StackFileError } from "../lib/stack-config";
import { projectDir } from "./helpers/plan";

/** What the `yaml` library reads (undefined when it finds an error), and what js-yaml reads (undefined when it throws). */
function bothReadings(text: string): { yaml: unknown; jsYaml: unknown } {
    const doc = parseDocument(text, { uniqueKeys: true });
    let jsYaml: unknown;
    try {
        jsYaml = { value: load(text, { schema: CORE_SCHEMA }) };
    } catch {
        jsYaml = undefined;
    }
    return { yaml: doc.errors.length > 0 ? undefined : { value: doc.toJS() }, jsYaml };
}

// Plain scalars at the edges of the core schema's types, and of what other schemas take for numbers.
const EDGES = [
    ...["0", "-0", "+12", "012", "0o17", "0o8", "0x1F", "-0x1", "+0x1", "0b101", "1_000", "1e3", "1E+3", "-1.5e-3", "1.", ".5", "-.5", "+.5"],
    ...[".inf", "-.Inf", "+.INF", ".nan", ".NaN", "NaN", "inf"],
    ...["true", "True", "TRUE", "tRue", "yes", "no", "on", "off", "y", "n"],
    ...["null", "Null", "NULL", "~", "", "nil"],
    ...["2024-01-01", "2024-01-01T00:00:00Z", "1:30", "<<", "=", "v1:AAAA", "10.0.0.0/16", "db.m7g.xlarge", "8080"],
];
// A trailing colon would make a mapping, not a scalar (`~:` is a map with a null key, which the two
// readers name differently: "null" and "").
const scalar = fc.oneof(
    fc.constantFrom(...EDGES),
    fc.stringMatching(/^[-+.0-9a-fA-FoxXeE_:~]{1,8}$/).filter((text) => !text.endsWith(":")),
);

describe("stack files: the two YAML readers", () => {
    it("read every stack and project file of the repository alike", () => {
        const files = fs.readdirSync(projectDir).filter((f) => /^Pulumi(\.[\w-]+)?\.yaml$/.test(f));
        assert.ok(files.length >= 5, `found ${files.join(", ")}`);
        for (const file of files) {
            const { yaml, jsYaml } = bothReadings(fs.readFileSync(path.join(projectDir, file), "utf8"));
            assert.ok(yaml !== undefined, file);
            assert.deepEqual(jsYaml, yaml, file);
        }
    });

    // Whatever js-yaml reads, yaml reads the same; a document only js-yaml refuses (a compact map with an
    // empty key, `- :`) still fails, at js-yaml's position (tests/config.test.ts).
    it("read every plain scalar alike, as a value, in a list and in a flow map; what js-yaml takes, yaml takes", () => {
        fc.assert(
            fc.property(scalar, (text) => {
                for (const doc of [`config:\n  osint-platform:httpPort: ${text}\n`, `list:\n  - ${text}\n`, `flow: {a: ${text}}\n`]) {
                    const { yaml, jsYaml } = bothReadings(doc);
                    if (jsYaml !== undefined) assert.deepEqual(yaml, jsYaml, doc);
                }
            }),
            { examples: EDGES.map((e) => [e]) },
        );
        assert.deepEqual(bothReadings("list:\n  - :\n"), { yaml: { value: { list: [{ "": null }] } }, jsYaml: undefined });
    });
});

describe("stack files: planning a valid stack", () => {
    it("loads no second YAML reader; locating a key loads it", () => {
        const script = `
            const { buildPlan } = require("./lib/plan-engine.ts");
            const { readStackConfig } = require("./lib/stack-config.ts");
            const loaded = () => Object.keys(require.cache).some((f) => /node_modules[\\\\/]yaml[\\\\/]/.test(f));
            buildPlan(process.cwd(), "prod").then(() => {
                const before = loaded();
                const at = readStackConfig(process.cwd(), "prod").positions["osint-platform:environment"];
                console.log(JSON.stringify({ before, after: loaded(), line: at.line }));
            });`;
        const out = execFileSync(process.execPath, ["--require", "./tools/register.js", "--eval", script], { cwd: projectDir, encoding: "utf8" });
        const { before, after, line } = JSON.parse(out) as { before: boolean; after: boolean; line: number };
        const lines = fs.readFileSync(path.join(projectDir, "Pulumi.prod.yaml"), "utf8").split("\n");
        assert.deepEqual({ before, after, line }, { before: false, after: true, line: lines.findIndex((l) => l.includes("osint-platform:environment:")) + 1 });
    });
});

describe("stack files: another kind of file given as one", () => {
    const temporary: string[] = [];
    after(() => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
    const read = (text: string) => {
        const file = path.join(temporary[temporary.push(fs.mkdtempSync(path.join(os.tmpdir(), "osint-stack-"))) - 1], "Pulumi.x.yaml");
        fs.writeFileSync(file, text);
        return () => readStackConfig(projectDir, "dev", file);
    };
    it("names what it found instead of reporting every required key missing", () => {
        for (const [text, found] of [
            ["[]\n", "a list"],
            ['"hello"\n', '"hello"'],
            ['{"stack": "dev", "resources": []}\n', "keys stack, resources"],
        ]) {
            assert.throws(
                read(text),
                (err: Error) =>
                    err instanceof StackFileError &&
                    err.message.endsWith(
                        `:1:1: expected a stack file (a mapping of config, environment, secretsprovider, encryptedkey, encryptionsalt), found ${found}`,
                    ),
                text,
            );
        }
        assert.throws(
            read("config: [1]\n"),
            (err: Error) => err instanceof StackFileError && /: key config: expected a mapping of config keys, found a list$/.test(err.message),
        );
    });

    it("reads an empty file, or one with only other stack keys, as a stack without config", () => {
        for (const text of ["", "secretsprovider: passphrase\n"]) assert.deepEqual(read(text)().unvalidatedSecrets, [], JSON.stringify(text));
    });
});
