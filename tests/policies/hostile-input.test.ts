// The checker on files written by others: a document never chooses which file is read, a config's
// repeated key is refused, control characters never reach the terminal, and input built to break the
// reader (deep nesting, huge URNs, bad escapes, UTF-16, invalid UTF-8, too large) is an input error
// (exit 2), never an internal one.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { once } from "node:events";
import * as net from "node:net";
import { documentSettings, evaluate, PolicyConfigError, settingsOfText, stackSettings } from "../../policies/offline";
import { InputError, MAX_URN_LENGTH, readInput } from "../../policies/input/read";
import { decodeInput, readInputText } from "../../policies/input/text";
import { PathError } from "../../lib/file-problems";
import { CONFIG_DIR, configStackOf, configuredStacks, duplicateKeys, isStackName } from "../../policies/settings/config-file";
import { buildReport, fails } from "../../policies/report/findings";
import { renderText } from "../../policies/report/text";
import { MAX_DEPTH } from "../../lib/property-values";
import { printable } from "../../lib/terminal-text";
import { projectDir } from "../helpers/plan";
import { TS_HOOK } from "../helpers/hook";

const FIXTURE = fs.readFileSync(path.join(projectDir, "tests", "fixtures", "pulumi", "stack-export.json"), "utf8");
/** The fixture export (a prod stack) with its URNs naming `stack` instead. */
const exportOf = (stack: string) => FIXTURE.replaceAll("urn:pulumi:prod::", `urn:pulumi:${stack}::`);

// Loaded before the check (node --require), so every module's copy of node:fs is the spying one: each
// path the process reads, stats or lists is added to SPY_OUT as it exits, a line per thread.
const SPY = `const fs = require("node:fs");
const path = require("node:path");
const seen = new Set();
for (const name of ["readFileSync", "existsSync", "statSync", "lstatSync", "openSync", "readdirSync", "readFile", "open", "stat", "createReadStream"]) {
    const original = fs[name];
    fs[name] = function (target, ...rest) {
        if (typeof target === "string") seen.add(path.resolve(target));
        return original.call(this, target, ...rest);
    };
}
process.on("exit", () => require("node:fs").appendFileSync(process.env.SPY_OUT, JSON.stringify([...seen]) + "\\n"));
`;

describe("checker security: which policy config a document gets", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-traversal-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("never reads outside policies/config/, whatever stack the URNs name: a decoy disabling everything is not read", async function () {
        this.timeout(300000);
        // A decoy config where a traversing stack name would lead: {"all": "disabled"}.
        const decoy = path.join(dir, "x.json");
        fs.writeFileSync(decoy, JSON.stringify({ all: "disabled" }));
        const relative = path.relative(CONFIG_DIR, decoy).replace(/\.json$/, "");
        assert.ok(relative.startsWith(".."), relative);
        const document = path.join(dir, "state.json");
        fs.writeFileSync(document, exportOf(relative));
        const spy = path.join(dir, "spy.js");
        fs.writeFileSync(spy, SPY);
        const out = path.join(dir, "touched.json");
        const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
            execFile(
                process.execPath,
                ["--require", spy, "--require", TS_HOOK, "tools/check.ts", "--input", document],
                { cwd: projectDir, env: { ...process.env, SPY_OUT: out } },
                (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
            ),
        );
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, /^check: .*state\.json: the stack its URNs name: expected a stack name .*found "\.\.\//);
        const touched = fs
            .readFileSync(out, "utf8")
            .trimEnd()
            .split("\n")
            .flatMap((line) => JSON.parse(line) as string[]);
        // The spy saw the process read: the document it was given, and nothing else of that folder.
        assert.ok(touched.includes(document));
        assert.deepEqual(
            touched.filter((p) => p.startsWith(`${dir}${path.sep}`) && p !== document),
            [],
        );
        // The same resources under prod's config fail: the decoy would have passed them.
        const input = await readInput(exportOf("prod"), "state.json");
        assert.ok((await evaluate(input.resources, stackSettings("prod"))).some(fails));
    });

    it("reads each stack's config from the listing of policies/config/, pr-<anything> reading pr.json", () => {
        assert.deepEqual(configuredStacks(), ["dev", "pr", "prod", "staging"]);
        for (const stack of ["..", ".", "qa", "pr", "pr-pulumi-osint-platform-42"]) assert.ok(isStackName(stack), stack);
        assert.deepEqual(["..", ".", "qa", "prod", "pr", "pr-pulumi-osint-platform-42", "preview"].map(configStackOf), [
            undefined,
            undefined,
            undefined,
            "prod",
            "pr",
            "pr",
            undefined,
        ]);
        assert.deepEqual(stackSettings("pr-pulumi-osint-platform-42"), stackSettings("pr"));
    });

    it("gives a stack without a config each policy's default, and says so; refuses a name that is no stack name", () => {
        const { settings, note } = documentSettings("test-b5f8ac54", "t");
        assert.match(note ?? "", /^stack test-b5f8ac54 has no policy config in policies\/config\/ \(dev, pr, prod, staging\): applied each policy's default/);
        assert.ok([...settings.values()].every((s) => s.enforcementLevel === "mandatory" && (s.waivers ?? []).length === 0));
        assert.equal(documentSettings("prod", "t").note, undefined);
        for (const bad of ["../../tmp/x", "a/b", "", "x".repeat(101), "prod\u001b[2J"]) assert.throws(() => documentSettings(bad, "t"), PolicyConfigError, bad);
    });
});

describe("checker security: a policy config's repeated key", () => {
    it("is found at any depth, with both lines (JSON.parse would keep the last silently)", () => {
        assert.deepEqual(duplicateKeys('{"all": "mandatory",\n "all": "disabled"}'), [{ path: "all", line: 2, firstLine: 1 }]);
        assert.deepEqual(duplicateKeys('{"s3-versioning": {"enforcementLevel": "mandatory", "enforcementLevel": "disabled"}}'), [
            { path: "s3-versioning.enforcementLevel", line: 1, firstLine: 1 },
        ]);
        // The same key in two objects is no repetition.
        assert.deepEqual(duplicateKeys('{"a": {"x": 1}, "b": {"x": 1}, "c": [{"x": 1}, {"x": 2}]}'), []);
    });

    it("makes the config an error (exit 2) naming the key; no shipped config repeats one", () => {
        assert.throws(
            () => settingsOfText('{"all": "mandatory", "all": "disabled"}', "policies/config/prod.json"),
            (err: Error) =>
                err instanceof PolicyConfigError &&
                /^policies\/config\/prod\.json:1: key all: expected each key once, found it again \(first on line 1\)/.test(err.message),
        );
        for (const stack of configuredStacks()) assert.deepEqual(duplicateKeys(fs.readFileSync(path.join(CONFIG_DIR, `${stack}.json`), "utf8")), [], stack);
    });
});

describe("checker security: control characters in what the text report prints", () => {
    it("writes ESC, NUL, C1 controls, line breaks and bidi overrides as escapes", () => {
        assert.equal(printable("a\u001b]0;x\u0007\u009b31m\u0000\nb\u202ec"), "a\\u001b]0;x\\u0007\\u009b31m\\u0000\\u000ab\\u202ec");
        assert.equal(printable("plain: ünïcode → ok"), "plain: ünïcode → ok");
    });

    it("prints a URN's escape sequences as text, never raw", async () => {
        const hostile = "legacy\\u001b]0;pwned\\u0007\\u009b2J\\u0000-postgres";
        const input = await readInput(FIXTURE.replaceAll("legacy-postgres", hostile), "state.json");
        const report = buildReport(await evaluate(input.resources, stackSettings("prod")), input.resources, { stack: "prod", format: "export" });
        const text = renderText(report);
        assert.ok(report.findings.some((f) => f.urn.includes("\u001b")));
        // eslint-disable-next-line no-control-regex -- the point: none may reach the terminal
        assert.doesNotMatch(text.replaceAll("\n", ""), /[\u0000-\u001f\u007f-\u009f]/);
        assert.match(text, /legacy\\u001b\]0;pwned\\u0007\\u009b2J\\u0000-postgres/);
    });
});

describe("checker robustness: hostile input is an input error, never an internal one", () => {
    const rejects = (text: string, message: RegExp) =>
        assert.rejects(readInput(text, "f.json"), (err: Error) => err instanceof InputError && message.test(err.message) && !err.message.includes("\n"));

    it(`refuses a judged property nested ${10_000} levels deep (limit ${MAX_DEPTH}), naming where`, async () => {
        const deep = `${'{"a":'.repeat(10_000)}{}${"}".repeat(10_000)}`;
        await rejects(
            FIXTURE.replace('"storageEncrypted": false', `"storageEncrypted": false, "tags": ${deep}`),
            /^f\.json: deployment\.resources\[\d+\]\.inputs\.tags\.a\.a.*: expected a value nested at most \d+ levels deep, found a deeper one$/,
        );
        // As deep as allowed is read.
        const allowed = `${'{"a":'.repeat(MAX_DEPTH - 2)}{}${"}".repeat(MAX_DEPTH - 2)}`;
        await readInput(FIXTURE.replace('"storageEncrypted": false', `"storageEncrypted": false, "tags": ${allowed}`), "f.json");
    });

    it("refuses a 120 MB URN up front, with its length", async () => {
        const long = "x".repeat(120 * 1024 * 1024);
        await rejects(FIXTURE.replace("legacy-postgres", long), new RegExp(`\\.urn: expected at most ${MAX_URN_LENGTH} characters, found \\d{9}`));
    });

    it("refuses a sourcePosition with a malformed percent-escape, naming the key", async () => {
        const document = JSON.parse(FIXTURE) as { deployment: { resources: Record<string, unknown>[] } };
        const i = document.deployment.resources.findIndex((r) => r.custom === true && r.type !== "pulumi:providers:aws");
        document.deployment.resources[i].sourcePosition = "project:///index%ZZ.ts#13";
        await rejects(JSON.stringify(document), new RegExp(`deployment\\.resources\\[${i}\\]\\.sourcePosition: expected project:///<path>#<line>`));
    });

    it("names UTF-16 (with or without a byte-order mark) and says how to convert it", () => {
        for (const bytes of [Buffer.from(`\uFEFF${FIXTURE}`, "utf16le"), Buffer.from(FIXTURE, "utf16le"), Buffer.from(FIXTURE, "utf16le").swap16()])
            assert.throws(
                () => decodeInput(bytes, "state.json"),
                (err: Error) =>
                    err instanceof InputError &&
                    /^state\.json: expected UTF-8 JSON, found UTF-16 \(\w+-endian\) text.*iconv -f UTF-16 -t UTF-8/.test(err.message),
            );
    });

    it("refuses invalid UTF-8 with its line and byte, never reading it as U+FFFD", () => {
        const bytes = Buffer.from(FIXTURE);
        const at = FIXTURE.indexOf("legacy-postgres");
        bytes[at] = 0xc0; // an overlong lead byte: never valid UTF-8
        const line = FIXTURE.slice(0, at).split("\n").length;
        assert.throws(
            () => decodeInput(bytes, "state.json"),
            (err: Error) => err instanceof InputError && err.message.startsWith(`state.json:${line}: byte ${at}: expected UTF-8, found the byte 0xc0`),
        );
        // Valid UTF-8 beyond ASCII is read as is.
        assert.equal(decodeInput(Buffer.from('{"name": "ünïcode ✓ 🙂"}'), "x"), '{"name": "ünïcode ✓ 🙂"}');
    });

    it("refuses input larger than the process can hold, before decoding it, with both sizes", () => {
        assert.throws(
            () => decodeInput(Buffer.alloc(2048, 0x20), "big.json", 1024),
            (err: Error) => err instanceof InputError && /^big\.json: 0\.0 MiB \(2048 bytes\), more than the 0\.0 MiB this check can hold/.test(err.message),
        );
    });

    it("counts a pipe as it comes, whose size stat cannot give (0): more than the limit is refused, less is read whole", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pipes-"));
        /** A named pipe (what `--input <(pulumi stack export)` passes) that `command` writes into, and its writer's exit. */
        const pipe = (name: string, command: string) => {
            const fifo = path.join(dir, name);
            execFileSync("mkfifo", [fifo]);
            return { fifo, written: once(execFile("sh", ["-c", `${command} > "$0"`, fifo]), "exit") };
        };
        try {
            // 2 MiB of zeros against a 1 MiB limit: refused once the count passes it (a finite writer, so a reader without the limit fails, not hangs).
            const zeros = pipe("zeros.pipe", "head -c 2097152 /dev/zero");
            await assert.rejects(readInputText(zeros.fifo, 1024 * 1024), (err: Error) =>
                new RegExp(`^${zeros.fifo}: more than [\\d.]+ MiB \\(\\d+ bytes\\), more than the 1\\.0 MiB this check can hold`).test(err.message),
            );
            const fixture = pipe("export.pipe", `cat "${path.join(projectDir, "tests", "fixtures", "pulumi", "stack-export.json")}"`);
            assert.equal(await readInputText(fixture.fifo), FIXTURE);
            assert.deepEqual(await fixture.written, [0, null]);
            // A unix socket cannot be opened as a file: said in words.
            const socket = path.join(dir, "check.sock");
            const server = net.createServer().listen(socket);
            await once(server, "listening");
            try {
                await assert.rejects(
                    readInputText(socket),
                    (err: Error) =>
                        err instanceof PathError && err.message === `${socket}: cannot be read: a socket or a device with nothing behind it, not a file`,
                );
            } finally {
                server.close();
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
