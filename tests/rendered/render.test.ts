// npm run render: every non-secret file the dev stack uploads, byte for byte; the init scripts of
// read-only bind mounts; a real self-signed certificate for the dev domain; never a secret.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderedFiles, renderedPath } from "../../tools/render";
import { MOCK_SECRET_MARKER } from "../../lib/mocks";
import { SECRET_PLACEHOLDER } from "../../lib/placeholders";
import { CONTAINER, ofType, projectDir, stackPlan, uploadSeedOf } from "../helpers/plan";
import { tempDir } from "./helpers";
import { TS_HOOK } from "../helpers/hook";
import { CERTIFICATE_PATH } from "../../components/proxy/docker";
import { serviceOf } from "../../components/docker/labels";

interface Upload {
    file: string;
    content: unknown;
}

function allFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name));
}

describe("npm run render (dev)", function () {
    let out: string;

    before(() => {
        out = tempDir("render-cli");
        execFileSync(process.execPath, ["--require", TS_HOOK, "tools/render.ts", "--stack", "dev", "--out", out], {
            cwd: projectDir,
            stdio: "ignore",
        });
    });

    it("writes every non-secret upload of every container, byte for byte, and nothing for secret ones", async () => {
        const plan = await stackPlan("dev");
        let expected = 0;
        // A container's files are its upload seed's uploads (components/docker/container.ts).
        for (const container of ofType(plan, CONTAINER).filter((c) => c.inputs.start !== false)) {
            for (const upload of (uploadSeedOf(plan, container)?.inputs.uploads ?? []) as Upload[]) {
                const file = renderedPath(out, String(serviceOf(container)), upload.file);
                if (upload.content === SECRET_PLACEHOLDER) {
                    assert.ok(!fs.existsSync(file), `secret ${upload.file} was written`);
                } else if (upload.file === CERTIFICATE_PATH) {
                    // The offline plan's certificate is a mock; render writes a real one (the next test).
                    assert.ok(fs.existsSync(file), file);
                    expected++;
                } else {
                    assert.equal(fs.readFileSync(file, "utf8"), upload.content, file);
                    expected++;
                }
            }
        }
        // nginx.conf and certificate, redis.conf, prometheus.yml and rules, three Grafana files, the backup script.
        assert.ok(expected >= 9, `only ${expected} uploads`);
    });

    it("writes the certificate as a self-signed X.509 certificate for the dev domain, and no key", async () => {
        const [certificate] = ofType(await stackPlan("dev"), "tls:index/selfSignedCert:SelfSignedCert");
        const { commonName } = certificate.inputs.subject as { commonName: string };
        const [domain] = certificate.inputs.dnsNames as string[];
        const rendered = new X509Certificate(fs.readFileSync(renderedPath(out, "nginx", CERTIFICATE_PATH)));
        assert.equal(
            rendered.subject.split("\n").find((line) => line.startsWith("CN=")),
            `CN=${commonName}`,
        );
        assert.equal(rendered.checkHost(domain), domain);
        assert.ok(rendered.verify(rendered.publicKey), "not self-signed");
        const hours = (Date.parse(rendered.validTo) - Date.parse(rendered.validFrom)) / 3600_000;
        assert.equal(hours, Number(certificate.inputs.validityPeriodHours));
        for (const file of allFiles(out)) assert.ok(!fs.readFileSync(file, "utf8").includes("PRIVATE KEY"), `${file} holds a private key`);
    });

    it("copies the PostgreSQL init scripts from database/init", () => {
        const scripts = fs.readdirSync(path.join(projectDir, "database", "init")).filter((f) => !f.startsWith("."));
        for (const script of scripts) {
            assert.deepEqual(
                fs.readFileSync(renderedPath(out, "database", `/docker-entrypoint-initdb.d/${script}`)),
                fs.readFileSync(path.join(projectDir, "database", "init", script)),
            );
        }
    });

    it("writes exactly the files renderedFiles lists, none holding a secret or an unresolved Output", async () => {
        const files = renderedFiles(await stackPlan("dev"));
        assert.deepEqual(allFiles(out).sort(), files.map((f) => renderedPath(out, f.service, f.path)).sort());
        for (const file of allFiles(out)) {
            const text = fs.readFileSync(file, "utf8");
            assert.ok(!text.includes(MOCK_SECRET_MARKER) && !text.includes(SECRET_PLACEHOLDER), `${file} holds a secret`);
            assert.ok(!text.includes("Calling [toString] on an [Output<T>]"), `${file} holds an unresolved Output`);
        }
    });

    it("leaves no unresolved Output in any container input (commands, environment, uploads)", async () => {
        for (const container of ofType(await stackPlan("dev"), CONTAINER)) {
            assert.ok(!JSON.stringify(container.inputs).includes("Calling [toString] on an [Output<T>]"), String(serviceOf(container)));
        }
    });

    it("refuses to run without --out, exit code 2 and a usage line", () => {
        assert.throws(
            () => execFileSync(process.execPath, ["--require", TS_HOOK, "tools/render.ts", "--stack", "dev"], { cwd: projectDir, stdio: "pipe" }),
            (err: { status: number; stderr: Buffer }) =>
                err.status === 2 && /^render: option --out is required; usage: npm run -s render -- --stack/.test(err.stderr.toString()),
        );
    });
});
