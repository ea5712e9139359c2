// The operators' documents stay true to the code: every runbook names the design's RTO/RPO, the
// migration contract names the command, environment and steps the stacks actually run, and the
// seed contract lists the tables the contract check requires.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { MIGRATION_STEPS } from "../../components/database/migration-job";
import { SEED_DIR } from "../../components/database/seeds";
import { MIGRATION_COMMAND } from "../../components/aws/migration";
import { OBJECTIVES } from "../../lib/recovery-objectives";
import { projectDir } from "../helpers/plan";

const read = (...parts: string[]) => fs.readFileSync(path.join(projectDir, ...parts), "utf8");

describe("operators' documents", () => {
    const runbooks = ["rds-point-in-time-recovery.md", "restore-from-cross-region-backup.md", "database-migration-rollback.md", "emergency-hotfix.md"];

    it("the four runbooks exist and each names the design's database RTO (15 min) and RPO (1 h)", () => {
        assert.deepEqual(fs.readdirSync(path.join(projectDir, "docs", "runbooks")).sort(), [...runbooks].sort());
        assert.deepEqual([OBJECTIVES.rtoSeconds, OBJECTIVES.rpoSeconds], [900, 3600]);
        for (const file of runbooks) {
            const targets = read("docs", "runbooks", file)
                .split("\n")
                .find((l) => l.startsWith("**Targets (design):**"));
            assert.ok(targets, `${file} states its targets`);
            assert.match(targets, /database < 15 min/, file);
            assert.match(targets, /(RPO|data loss) < 1 h/, file);
        }
    });

    it("the PITR runbook uses the AWS CLI calls a point-in-time restore needs", () => {
        const text = read("docs", "runbooks", "rds-point-in-time-recovery.md");
        for (const call of [
            "aws rds restore-db-instance-to-point-in-time",
            "--restore-time",
            "aws rds wait db-instance-available",
            "--new-db-instance-identifier",
            "LatestRestorableTime",
        ]) {
            assert.ok(text.includes(call), call);
        }
        assert.match(read("docs", "runbooks", "restore-from-cross-region-backup.md"), /--source-db-instance-automated-backups-arn/);
    });

    it("docs/migrations.md states the command, environment, steps, exit codes and seed contract the code uses", () => {
        const text = read("docs", "migrations.md");
        assert.ok(text.includes(`\n${MIGRATION_COMMAND.join(" ")}\n`), "the command");
        for (const key of ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD_FILE", "DB_PASSWORD", "ENVIRONMENT"])
            assert.ok(text.includes(`\`${key}\``), key);
        for (const step of MIGRATION_STEPS) assert.ok(text.includes(`\`${step}\``), step);
        assert.match(text, /`osint_migrator`/);
        const contract = fs.readFileSync(path.join(SEED_DIR, "00-contract.sql"), "utf8");
        const tables = [...contract.matchAll(/'(osint\.[a-z_]+)'/g)].map((m) => m[1]);
        assert.deepEqual(tables, ["osint.source_types", "osint.investigations", "osint.entities"]);
        for (const table of tables) assert.ok(text.includes(`\`${table} (`), table);
    });
});
