// The Dockerfile rules (policies/dockerfile), both sides of each: a hardened Dockerfile draws no
// finding, each change draws its rule's finding at the instruction's line; every rule has the pack's
// metadata; `check --dockerfiles` and `check --stack dev` judge Dockerfiles in every format.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { plannedDockerfiles } from "../../policies/dockerfile/files";
import { judgeDockerfiles } from "../../policies/dockerfile/judge";
import { dockerfileRules } from "../../policies/dockerfile/rules";
import { parseControl } from "../../policies/lib/standards";
import { summaryOf } from "../../policies/rules";
import { projectDir, stackPlan } from "../helpers/plan";
import { junitProblems } from "./junit-constraints";
import { SARIF_CONSTRAINTS } from "./sarif-constraints";

const HARDENED = [
    "# syntax=docker/dockerfile:1",
    "FROM python:3.11.13-slim-bookworm AS base",
    "ENV PYTHONUNBUFFERED=1 DB_PASSWORD_FILE=/run/secrets/db",
    "ARG VERSION=1.0.0",
    "RUN useradd --uid 10001 app",
    "COPY service.py ./",
    "USER 10001:10001",
    "FROM base AS development",
    'CMD ["python", "service.py"]',
    "FROM node:20.19.4-alpine3.22@sha256:" + "a".repeat(64) + " AS build",
    "FROM scratch AS empty",
    "FROM base AS production",
    "COPY --from=build /x /x",
    "",
].join("\n");

/** The hardened file with one line replaced (1-based) or, with `insert`, a line added before it. */
function variant(line: number, text: string, insert = false): string {
    const lines = HARDENED.split("\n");
    lines.splice(line - 1, insert ? 0 : 1, text);
    return lines.join("\n");
}

function findings(text: string) {
    return judgeDockerfiles([{ file: "svc/Dockerfile", text }]).violations.map((v) => [v.policy, v.source?.line, v.message] as const);
}

describe("Dockerfile rules", () => {
    it("have the pack's metadata: a one-sentence description, remediation, controls of the registry and a severity", () => {
        for (const rule of dockerfileRules) {
            assert.match(summaryOf(rule), /^Checks that .+\.$/);
            assert.ok((rule.remediationSteps ?? "").length > 20, rule.name);
            assert.ok(rule.controls.length > 0 && rule.controls.every((c) => parseControl(c) !== undefined), rule.name);
            assert.ok(rule.description.endsWith(` Controls: ${rule.controls.join(", ")}.`), rule.name);
        }
        // HEALTHCHECK is deliberately not required (docs/policies.md says why): no rule claims it.
        const claimed = dockerfileRules.flatMap((r) => r.controls);
        assert.ok(!claimed.includes("CIS Docker 4.6") && !claimed.includes("Checkov CKV_DOCKER_2"));
    });

    it("find nothing in a hardened Dockerfile (digest, scratch, earlier stages, *_FILE, a USER inherited from base)", () => {
        assert.deepEqual(findings(HARDENED), []);
    });

    const cases: [string, string, string, RegExp][] = [
        ["a floating tag", variant(2, "FROM python:3.11-slim AS base"), "dockerfile-pinned-base", /^FROM: line 2: .*found "3\.11-slim"/],
        ["latest", variant(2, "FROM python:latest AS base"), "dockerfile-pinned-base", /found "latest"/],
        ["no tag", variant(2, "FROM python AS base"), "dockerfile-pinned-base", /found "no tag"/],
        ["a build argument as image", variant(2, "FROM ${BASE} AS base"), "dockerfile-pinned-base", /a build argument, which cannot be shown pinned/],
        ["no USER at all", variant(7, "WORKDIR /app"), "dockerfile-non-root-user", /^USER: line 8: .*stage development sets no user/],
        ["USER root in development only", variant(9, "USER root", true), "dockerfile-non-root-user", /^USER: line 9: .*stage development runs as root/],
        [
            "USER 0 after a non-root one in production",
            variant(14, "USER 0:0", true),
            "dockerfile-non-root-user",
            /stage production runs as root \(user "0:0"\)/,
        ],
        ["ADD of a local file", variant(6, "ADD service.py ./"), "dockerfile-no-add", /^ADD: line 6: .*ADD service\.py/],
        [
            "ADD of a remote URL",
            variant(6, "ADD --chown=1:1 https://example.org/a.tgz /opt/"),
            "dockerfile-no-add",
            /https:\/\/example\.org\/a\.tgz fetches remote content/,
        ],
        ["ADD of a remote URL, JSON form", variant(6, 'ADD ["https://example.org/a.tgz", "/opt/"]'), "dockerfile-no-add", /fetches remote content/],
        ["a password in ENV", variant(3, "ENV DB_PASSWORD=hunter2"), "dockerfile-no-secrets", /^ENV: line 3: .*ENV DB_PASSWORD .*literal value/],
        [
            "a token build argument",
            variant(4, "ARG GITHUB_TOKEN"),
            "dockerfile-no-secrets",
            /^ARG: line 4: .*ARG GITHUB_TOKEN is recorded in the image's history/,
        ],
        ["ECS.8's registry credentials in ENV", variant(3, "ENV ECS_ENGINE_AUTH_DATA={}"), "dockerfile-no-secrets", /ECS_ENGINE_AUTH_DATA/],
    ];
    for (const [what, text, rule, message] of cases)
        it(`${rule}: fires on ${what}, naming file, line and what it found`, () => {
            const found = findings(text);
            assert.ok(
                found.some(([policy, line, m]) => policy === rule && message.test(m) && m.startsWith(`${m.split(":")[0]}: line ${line}:`)),
                JSON.stringify(found),
            );
            assert.ok(
                found.every(([policy]) => policy === rule),
                `only ${rule} fires: ${JSON.stringify(found)}`,
            );
        });

    it("judge the Dockerfiles the dev plan builds (the stand-ins), named relative to the repository", async () => {
        const files = plannedDockerfiles((await stackPlan("dev")).resources, projectDir);
        assert.deepEqual(
            files.map((f) => f.file),
            ["images/frontend/Dockerfile", "images/python-service/Dockerfile"],
        );
    });
});

describe("npm run check -- --dockerfiles", () => {
    let folder: string;
    const run = (...argv: string[]) =>
        spawnSync(process.execPath, ["--require", "./tools/register.js", "tools/check.ts", ...argv], { cwd: projectDir, encoding: "utf8", timeout: 300_000 });
    before(() => {
        folder = fs.mkdtempSync(path.join(os.tmpdir(), "dockerfiles-"));
        fs.mkdirSync(path.join(folder, "api"));
        fs.writeFileSync(path.join(folder, "api", "Dockerfile"), variant(2, "FROM python:latest AS base"));
        fs.mkdirSync(path.join(folder, "node_modules", "x"), { recursive: true });
        fs.writeFileSync(path.join(folder, "node_modules", "x", "Dockerfile"), "FROM python:latest\n");
        fs.mkdirSync(path.join(folder, "empty"));
    });
    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    it("exits 1 on a finding, in every format, SARIF and JUnit within their constraints; node_modules skipped", () => {
        const ajv = new Ajv({ allErrors: true, strict: false });
        addFormats(ajv);
        const validate = ajv.compile(SARIF_CONSTRAINTS);
        const json = run("--dockerfiles", folder, "--json");
        assert.equal(json.status, 1, json.stderr);
        const { violations } = JSON.parse(json.stdout) as { violations: { policy: string; urn: string }[] };
        assert.deepEqual(
            violations.map((v) => v.policy),
            ["dockerfile-pinned-base"],
        );
        const sarif = run("--dockerfiles", folder, "--format", "sarif");
        assert.equal(sarif.status, 1, sarif.stderr);
        assert.ok(validate(JSON.parse(sarif.stdout)), JSON.stringify(validate.errors?.slice(0, 3)));
        const junit = run("--dockerfiles", folder, "--format", "junit");
        assert.equal(junit.status, 1, junit.stderr);
        assert.deepEqual(junitProblems(junit.stdout), []);
        assert.match(junit.stdout, /<testsuite name="dockerfile-pinned-base" tests="1" failures="1"/);
    });

    it("exits 0 on the stand-in images and 2 on a folder without a Dockerfile", () => {
        const clean = run("--dockerfiles", "images");
        assert.equal(clean.status, 0, clean.stderr);
        assert.match(clean.stdout, new RegExp(`${dockerfileRules.length} policies over 2 resources, 0 findings`));
        const empty = run("--dockerfiles", path.join(folder, "empty"));
        assert.equal(empty.status, 2);
        assert.match(empty.stderr, /expected a folder holding a Dockerfile/);
    });
});
