// Every stand-in Dockerfile linted against the image contract, and the lint shown firing on a
// Dockerfile that breaks each rule.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { applicationServices, dependencyDirectory, serviceDefinitions } from "../../components/service/catalog";
import { buildContext, STAND_IN_ROOT, standInDirectories } from "../../components/service/image";
import { projectDir } from "../helpers/plan";
import { judgeDockerfiles } from "../../policies/dockerfile/judge";
import { baseImage, CONTRACT_STAGES, parseDockerfile, stageNamed } from "../../policies/dockerfile/parse";
import { lintDockerfile } from "./dockerfile-lint";

/** A Dockerfile's stages, and each by name, as the pack's Dockerfile rules read them. */
function stagesByName(text: string) {
    const dockerfile = parseDockerfile("Dockerfile", text);
    return { stages: dockerfile.stages, stage: (name: string) => stageNamed(dockerfile, name) };
}

const dockerfileOf = (dir: string) => path.join(dir, "Dockerfile");
const read = (file: string) => fs.readFileSync(file, "utf8");

describe("stand-in Dockerfiles (dockerfile-ast)", () => {
    const standIns = Object.values(standInDirectories).map((d) => path.join(projectDir, STAND_IN_ROOT, d));

    it("every directory under images/ is a stand-in the stacks build", () => {
        const dirs = fs
            .readdirSync(path.join(projectDir, STAND_IN_ROOT), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => path.join(projectDir, STAND_IN_ROOT, e.name));
        assert.deepEqual(dirs.sort(), [...standIns].sort());
    });

    for (const dir of standIns) {
        it(`${path.relative(projectDir, dir)}: pinned bases, both targets, the contract's user and a /tmp volume in each`, () => {
            const file = path.relative(projectDir, dockerfileOf(dir));
            assert.deepEqual(lintDockerfile(file, read(dockerfileOf(dir))), []);
            // The pack's Dockerfile rules (pinned bases, non-root USER, no ADD, no secrets) find nothing either.
            assert.deepEqual(judgeDockerfiles([{ file, text: read(dockerfileOf(dir)) }]).violations, []);
        });
    }

    for (const service of applicationServices) {
        const definition = serviceDefinitions[service];
        it(`${service}: the design's base, its probe (${definition.probe}) and its dependency directory`, () => {
            const text = read(dockerfileOf(buildContext(service, "", projectDir)));
            const { stages, stage } = stagesByName(text);
            const development = stage("development");
            assert.ok(development);
            const base = baseImage(development, stages);
            if (definition.runtime === "python") {
                assert.equal(base.getImageName(), "python");
                assert.match(base.getImageTag() ?? "", /^3\.11\.\d+-slim/);
            } else {
                assert.equal(base.getImageName(), "node");
                assert.match(base.getImageTag() ?? "", /^20\.\d+\.\d+-alpine/);
            }
            const runs = stages.flatMap((s) => s.instructions.filter((i) => i.getKeyword() === "RUN").map((i) => i.getArgumentsContent() ?? ""));
            for (const name of CONTRACT_STAGES) {
                const final = stage(name);
                assert.ok(final);
                // The probe runs the image's own python, or busybox wget, which ships with every alpine image.
                if (definition.probe === "python") assert.equal(baseImage(final, stages).getImageName(), "python", `${service} ${name}: has python`);
                else assert.match(baseImage(final, stages).getImageTag() ?? "", /alpine/, `${service} ${name}: an alpine base`);
            }
            assert.ok(
                runs.some((r) => r.includes(dependencyDirectory[definition.runtime])),
                `${service}: creates ${dependencyDirectory[definition.runtime]}`,
            );
        });
    }

    it("frontend production: the static build (COPY --from=build) served by unprivileged nginx", () => {
        const { stages, stage } = stagesByName(read(dockerfileOf(buildContext("frontend", "", projectDir))));
        const production = stage("production");
        assert.ok(production);
        assert.equal(baseImage(production, stages).getImageName(), "nginxinc/nginx-unprivileged");
        assert.ok(production.instructions.some((i) => i.getKeyword() === "COPY" && /^COPY --from=build /.test(i.getTextContent())));
    });

    it("docs/image-contract.md states each service's port, uid and health check as the catalog does", () => {
        const doc = read(path.join(projectDir, "docs", "image-contract.md"));
        const row = (label: string) => doc.split("\n").find((l) => l.startsWith(`| ${label} |`)) ?? "";
        const header = (doc.split("\n").find((l) => l.startsWith("| | backend |")) ?? "").split("|").map((c) => c.trim());
        const cell = (label: string, column: number) => row(label).split("|")[column].trim();
        for (const service of applicationServices) {
            const { port, healthPath } = serviceDefinitions[service];
            const column = header.indexOf(service);
            assert.ok(column > 0, `the run table has a ${service} column`);
            assert.equal(cell("port (`PORT`)", column), String(port), `${service} port`);
            assert.equal(cell("uid (`APP_UID`)", column), String(serviceDefinitions[service].uid), `${service} uid`);
            assert.ok(cell("health check", column).includes(healthPath === "/" ? `${port}/\`` : "/healthz"), `${service} health check`);
        }
    });

    it("fires on a Dockerfile breaking each rule, naming file, line, expected and found", () => {
        const broken = ["FROM python:latest AS base", "FROM node:20-alpine AS tools", "FROM base AS development", "USER root", "VOLUME /tmp", ""].join("\n");
        assert.deepEqual(lintDockerfile("x/Dockerfile", broken), [
            "x/Dockerfile:3: stage development: expected USER $APP_UID:$APP_UID after ARG APP_UID in the same stage (the service's own uid, a build argument), found USER root",
            "x/Dockerfile:3: stage development: expected /tmp owned by $APP_UID:$APP_UID (RUN chown after ARG APP_UID) and then declared a VOLUME, found no chown before it",
            "x/Dockerfile: expected a stage named production, found base, tools, development",
        ]);
        const unnamed = "FROM python@sha256:" + "a".repeat(64) + " AS base\nFROM base AS development\nFROM base AS production\n";
        assert.deepEqual(
            lintDockerfile("y/Dockerfile", unnamed).map((f) => f.replace(/: expected.*/, "")),
            ["y/Dockerfile:2: stage development", "y/Dockerfile:2: stage development", "y/Dockerfile:3: stage production", "y/Dockerfile:3: stage production"],
            "a digest pins; a stage without USER runs as root",
        );
        // An ARG goes out of scope at the end of its stage: the child stage must declare it again.
        const inherited = [
            "FROM python:3.11.13-slim AS base",
            "ARG APP_UID",
            'RUN chown "$APP_UID:$APP_UID" /tmp',
            'VOLUME ["/tmp"]',
            "FROM base AS development",
            "USER $APP_UID:$APP_UID",
            "FROM base AS production",
            "USER 10001:10001",
            "",
        ].join("\n");
        assert.deepEqual(lintDockerfile("z/Dockerfile", inherited), [
            "z/Dockerfile:5: stage development: expected USER $APP_UID:$APP_UID after ARG APP_UID in the same stage (the service's own uid, a build argument), found USER $APP_UID:$APP_UID without ARG APP_UID in its stage",
            "z/Dockerfile:7: stage production: expected USER $APP_UID:$APP_UID after ARG APP_UID in the same stage (the service's own uid, a build argument), found USER 10001:10001",
        ]);
        assert.deepEqual(lintDockerfile("z/Dockerfile", inherited.replace("FROM base AS development\n", "FROM base AS development\nARG APP_UID\n")).length, 1);
    });
});
