// The design's PostgreSQL settings, as each rendering hands them to a real PostgreSQL 15: the dev
// container's command line, and the RDS parameter group's canonical units. Then the production
// shape's transport: TLS only.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { commandLineArguments, rdsParameters, settingsFor } from "../../components/database/settings";
import { sharedCluster } from "../helpers/database";

// The design's numbers, written as the design writes them (environment-architecture.md).
const DESIGN = {
    development: { shared_buffers: "256MB", work_mem: "4MB", maintenance_work_mem: "64MB", max_connections: "100" },
    production: { shared_buffers: "1GB", work_mem: "16MB", maintenance_work_mem: "256MB", max_connections: "200", random_page_cost: "1.1" },
};
const ACCESS_LOGGING = { log_connections: "on", log_disconnections: "on", log_statement: "ddl", shared_preload_libraries: "pg_stat_statements" };

describe("PostgreSQL settings on a real PostgreSQL 15", function () {
    // Started by each test with the settings it checks.
    const server = sharedCluster("osint-settings-", {}, () => undefined);
    function show(names: readonly string[]): Record<string, string> {
        return Object.fromEntries(names.map((n) => [n, server().psql(`SHOW ${n}`)]));
    }
    function restartWith(args: string[]): void {
        server().stop();
        server().start(args);
    }

    for (const environment of ["development", "production"] as const) {
        const expected = { ...DESIGN[environment], ...ACCESS_LOGGING };
        it(`${environment}: the container's command line gives ${Object.values(DESIGN[environment]).join(" / ")}`, () => {
            restartWith(commandLineArguments(settingsFor(environment)));
            assert.deepEqual(show(Object.keys(expected)), expected);
        });

        it(`${environment}: the RDS parameters, in RDS units, give the same values`, () => {
            const parameters = rdsParameters(settingsFor(environment));
            restartWith(parameters.flatMap((p) => ["-c", `${p.name}=${p.value}`]));
            const names = parameters.map((p) => p.name);
            assert.deepEqual(show(names), Object.fromEntries(names.map((n) => [n, expected[n as keyof typeof expected]])));
        });
    }

    it("RDS units: shared_buffers in 8 kB pages, *_mem in kB; static parameters apply at reboot", () => {
        const byName = (environment: "development" | "production") =>
            Object.fromEntries(rdsParameters(settingsFor(environment)).map((p) => [p.name, `${p.value}/${p.applyMethod}`]));
        assert.deepEqual(byName("production"), {
            shared_buffers: "131072/pending-reboot",
            work_mem: "16384/immediate",
            maintenance_work_mem: "262144/immediate",
            max_connections: "200/pending-reboot",
            random_page_cost: "1.1/immediate",
            log_connections: "1/immediate",
            log_disconnections: "1/immediate",
            log_statement: "ddl/immediate",
            shared_preload_libraries: "pg_stat_statements/pending-reboot",
        });
        const dev = byName("development");
        assert.deepEqual(
            [dev.shared_buffers, dev.work_mem, dev.maintenance_work_mem, dev.max_connections],
            ["32768/pending-reboot", "4096/immediate", "65536/immediate", "100/pending-reboot"],
        );
        assert.equal(dev.random_page_cost, undefined);
    });

    it("production shape: TLS with hostssl-only pg_hba refuses a plain connection and accepts a verified one", async () => {
        const cert = path.join(server().workDir, "server.crt");
        const key = path.join(server().workDir, "server.key");
        execFileSync(
            "openssl",
            [
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                key,
                "-out",
                cert,
            ],
            { stdio: "ignore" },
        );
        execFileSync("chown", ["postgres:", cert, key]);
        fs.chmodSync(key, 0o600);
        server().psql("CREATE ROLE analyst LOGIN PASSWORD 'analyst-pw'");
        server().configure({
            conf: ["ssl = on", `ssl_cert_file = '${cert}'`, `ssl_key_file = '${key}'`, "ssl_min_protocol_version = 'TLSv1.2'"],
            hba: ["hostssl all all 127.0.0.1/32 scram-sha-256"],
        });
        restartWith(commandLineArguments(settingsFor("production")));
        assert.equal(server().psql("SHOW ssl"), "on");

        const credentials = { user: "analyst", password: "analyst-pw", database: "postgres" };
        await assert.rejects(
            server().connect({ ...credentials, ssl: false }),
            /no pg_hba.conf entry for host "127.0.0.1", user "analyst", database "postgres", no encryption/,
        );
        const client = await server().connect({ ...credentials, ssl: { ca: fs.readFileSync(cert, "utf8") } });
        try {
            const { rows } = await client.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            assert.equal(rows[0].ssl, true);
            assert.match(rows[0].version, /^TLSv1\.[23]$/);
        } finally {
            await client.end();
        }
    });
});
