// Manual RDS snapshots never expire and count against a per-region quota (RDS user guide, "Quotas
// in Amazon RDS": 100 manual DB snapshots by default); a deploy that creates one each time stops
// at the quota unless the same step deletes the older ones.
import type { SemanticsRule } from "../rule";
import { byName, environmentOf, ofType, scriptsOf, TYPE } from "../plan-reading";

export const deploySnapshotsPruned: SemanticsRule = {
    name: "deploy-snapshots-pruned",
    description: "Every command that creates a manual RDS snapshot deletes the older snapshots of the same name prefix, keeping a bounded number",
    source: "Amazon RDS user guide, Quotas in Amazon RDS (manual DB snapshots); AWS CLI rds create-db-snapshot / delete-db-snapshot",
    targets: ["aws"],
    check(plan) {
        const findings: string[] = [];
        for (const command of ofType(plan, TYPE.command)) {
            const script = scriptsOf(command);
            if (!script.includes("create-db-snapshot")) continue;
            const prefix = /--db-snapshot-identifier "\$(\w+)"/.exec(script.slice(script.indexOf("create-db-snapshot")))?.[1];
            const naming = prefix && new RegExp(`${prefix}="([^"$]*\\$\\w+[^"$]*)\\$\\(`).exec(script)?.[1];
            if (!naming) {
                findings.push(`${command.name}: creates a snapshot whose name prefix cannot be read`);
                continue;
            }
            if (!script.includes("delete-db-snapshot") || !script.includes(`starts_with(DBSnapshotIdentifier, '${naming}')`))
                findings.push(`${command.name}: creates snapshots named ${naming}… and never deletes the older ones`);
            const kept = Number(environmentOf(command).SNAPSHOTS_KEPT);
            if (!Number.isInteger(kept) || kept < 1) findings.push(`${command.name}: keeps no bounded number of snapshots (SNAPSHOTS_KEPT)`);
        }
        return findings;
    },
    mutate(plan) {
        const migrate = byName(plan, TYPE.command, "backend-migrate");
        const script = String(migrate.inputs.create);
        migrate.inputs.create = script.slice(0, script.indexOf("aws rds describe-db-snapshots")) + script.slice(script.indexOf("done\n") + 5);
    },
};
