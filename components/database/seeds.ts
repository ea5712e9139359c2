// Seed data, run by the migration job after `alembic upgrade head`: the minimal initialisation
// data everywhere, the sample data in development only (design: "Data Seeding"). The files live
// in database/seed/; each is idempotent, and all run in one transaction.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Environment } from "../../config";
import { CONFIG_ROOT } from "../docker/container";

export const SEED_DIR = path.resolve(__dirname, "..", "..", "database", "seed");
/** Where the seed job's container finds the files. */
export const SEED_MOUNT = `${CONFIG_ROOT}/seed`;

const CONTRACT = "00-contract.sql";
const REFERENCE = "10-reference.sql";
const SAMPLE = "20-sample.sql";

// Staging is production-like: it gets the initialisation data, not the samples.
const filesFor: Readonly<Record<Environment, readonly string[]>> = {
    development: [CONTRACT, REFERENCE, SAMPLE],
    staging: [CONTRACT, REFERENCE],
    production: [CONTRACT, REFERENCE],
};

export interface SeedFile {
    readonly name: string;
    readonly content: string;
}

export function seedFiles(environment: Environment): SeedFile[] {
    return filesFor[environment].map((name) => ({ name, content: fs.readFileSync(path.join(SEED_DIR, name), "utf8") }));
}

/** psql over `dir`'s files in order, one transaction, stopping at the first error (exit 3). */
export function seedCommand(environment: Environment, dir = SEED_MOUNT): string[] {
    return ["psql", "-X", "-v", "ON_ERROR_STOP=1", "--single-transaction", ...filesFor[environment].flatMap((f) => ["-f", `${dir}/${f}`])];
}
