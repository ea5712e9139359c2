// Seeding on a real PostgreSQL 15, as the migration job's seed step runs it (psql as
// osint_migrator over TCP with a .pgpass): the contract check, production's minimal data,
// development's samples, and idempotence.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SEED_DIR, seedCommand } from "../../components/database/seeds";
import type { Environment } from "../../config";
import { PG_BIN, runAsService, spawnAsService } from "../../tools/local-postgres";
import { initializeAsContainer, readableByService, sharedCluster, TEST_PASSWORDS, writeServiceFile } from "../helpers/database";
import { projectDir } from "../helpers/plan";

const DB = "osint_platform";

describe("seeding on a real PostgreSQL 15 (the migration job's seed step)", function () {
    const server = sharedCluster("osint-seeds-", { hba: ["host all all 127.0.0.1/32 scram-sha-256"] }, (cluster) => {
        cluster.start();
        initializeAsContainer(cluster);
        writeServiceFile(pgpass(), `*:${cluster.port}:${DB}:osint_migrator:${TEST_PASSWORDS.osint_migrator}\n`);
    });
    const pgpass = () => path.join(server().workDir, "pgpass");
    function seed(environment: Environment) {
        const [command, ...args] = seedCommand(environment, readableByService(SEED_DIR));
        const env = { PGHOST: "127.0.0.1", PGPORT: String(server().port), PGDATABASE: DB, PGUSER: "osint_migrator", PGPASSFILE: pgpass() };
        return spawnAsService(path.join(PG_BIN, command), args, { env });
    }
    const counts = () =>
        server().psql(
            "SELECT (SELECT count(*) FROM osint.source_types) || '/' || (SELECT count(*) FROM osint.investigations) || '/' || (SELECT count(*) FROM osint.entities)",
            DB,
        );

    it("stops with exit 3 and names the missing tables when the migrations have not created them", () => {
        const run = seed("production");
        assert.equal(run.status, 3, run.stderr);
        assert.match(
            run.stdout + run.stderr,
            /seed contract not met: the application migrations must create osint.source_types, osint.investigations, osint.entities/,
        );
    });

    it("production: the 6 source types and no sample data, the same after a second run", () => {
        const schema = fs.readFileSync(path.join(projectDir, "tests", "fixtures", "seed-contract-schema.sql"), "utf8");
        runAsService(
            path.join(PG_BIN, "psql"),
            ["-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(server().port), "-U", "osint_migrator", "-d", DB],
            {
                input: schema,
                env: { PGPASSFILE: pgpass() },
            },
        );
        for (const run of [1, 2]) {
            const result = seed("production");
            assert.equal(result.status, 0, `run ${run}: ${result.stderr}`);
            assert.equal(counts(), "6/0/0", `run ${run}`);
        }
    });

    it("development: the samples on top (2 investigations, 5 entities), unchanged by re-running; a renamed reference row is corrected", () => {
        server().psql("UPDATE osint.source_types SET name = 'renamed by hand' WHERE code = 'dns'", DB);
        for (const run of [1, 2]) {
            const result = seed("development");
            assert.equal(result.status, 0, `run ${run}: ${result.stderr}`);
            assert.equal(counts(), "6/2/5", `run ${run}`);
        }
        assert.equal(server().psql("SELECT name FROM osint.source_types WHERE code = 'dns'", DB), "DNS record");
    });

    it("staging and production seed the same files; only development adds samples", () => {
        assert.deepEqual(seedCommand("staging"), seedCommand("production"));
        assert.deepEqual(
            seedCommand("development").filter((a) => a.endsWith(".sql")),
            ["/etc/osint/seed/00-contract.sql", "/etc/osint/seed/10-reference.sql", "/etc/osint/seed/20-sample.sql"],
        );
    });
});
