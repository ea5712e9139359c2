// The design's migration step on docker (dev): one-off containers that run in order before the
// data services start, each only after the previous one exited 0:
//   1. migrate-backup: a verified pg_dump (osint-backup once) into its own volume;
//   2. migrate: the backend image's migration command (alembic upgrade head) as osint_migrator;
//   3. seed: the environment's seed files (seeds.ts) as osint_migrator.
// A non-zero exit anywhere fails `pulumi up` there, before any service that depends on
// `completed` is created or replaced. The contract with the image is docs/migrations.md; on aws
// the same command runs as the backend's one-off ECS task (components/service/aws.ts).
import * as pulumi from "@pulumi/pulumi";
import type { Environment, Target } from "../../config";
import { BACKUP_DIR, BACKUP_SCRIPT_PATH, libpqEnvironment, pgpassFile, renderBackupScript, type DatabaseLogin } from "../backups/backup-script";
import { dockerAttachment, type NetworkAttachment } from "../network";
import { hardenedContainer, jobRunId, namedVolume, pinnedImage, secretFileVariables, succeeded, type SecretFile } from "../docker/container";
import { thirdPartyImages } from "../shared/images";
import type { Implementations } from "../shared/platform";
import type { Size } from "../shared/sizing";
import { MIGRATION_SERVICE } from "../service/catalog";
import { SEED_MOUNT, seedCommand, seedFiles } from "./seeds";

const TYPE = "osint:data:MigrationJob";
/** Pre-migration dumps, apart from the daily ones: the rollback restores the newest of these. */
export const MIGRATION_BACKUP_VOLUME = "postgres_migration_backups";
/** The steps' container names (service aliases), in the order they run. */
export const MIGRATION_STEPS = ["migrate-backup", MIGRATION_SERVICE, "seed"] as const;
/** On the first `pulumi up` the job starts while the database runs initdb and the init scripts. */
export const DATABASE_START_SECONDS = 300;

export interface MigrationJobArgs {
    readonly target: Target;
    readonly environment: Environment;
    readonly network: NetworkAttachment;
    /** The content id of the backend's image (ApplicationImages.id): it carries the Alembic revisions. */
    readonly image: pulumi.Input<string>;
    /** The image's migration command (docs/migrations.md). */
    readonly command: readonly string[];
    /** The `uid:gid` the image's service runs as (serviceUser("backend")). */
    readonly user: string;
    /** The application's settings with DB_USER=osint_migrator. */
    readonly env: Readonly<Record<string, pulumi.Input<string>>>;
    /** osint_migrator's password as the application reads it (db_password). */
    readonly secretFiles: readonly SecretFile[];
    readonly sizes: { readonly migrate: Size; readonly helpers: Size };
    /** The superuser dumps; osint_migrator seeds. */
    readonly database: { readonly superuser: DatabaseLogin; readonly migrator: DatabaseLogin };
    readonly retentionDays: number;
    readonly dependsOn?: pulumi.Resource[];
}

export interface MigrationJobResult {
    /** The last step once every step exited 0: what the data services depend on. */
    readonly completed: pulumi.Output<pulumi.Resource>;
}

function dockerMigrationJob(name: string, args: MigrationJobArgs, parent: pulumi.ComponentResource): MigrationJobResult {
    const networks = dockerAttachment(args.network, TYPE);
    const postgres = pinnedImage(`${name}-postgres-image`, thirdPartyImages.postgres.reference, parent).imageId;
    const application = args.image;
    const volume = namedVolume(`${name}-backups`, MIGRATION_BACKUP_VOLUME, parent);
    const [backupStep, migrateStep, seedStep] = MIGRATION_STEPS;
    // Every `pulumi up` re-runs the steps (idempotent by contract: docs/migrations.md), so a failed
    // step is run again by the next `up` instead of wedging the stack.
    const job = { networks, oneShot: { run: jobRunId() }, healthcheck: ["NONE"] } as const;
    // Each step names the image it migrates to (its content id), for the logs and the backups.
    const release = { MIGRATION_IMAGE: application };

    const backup = hardenedContainer(
        `${name}-${backupStep}`,
        {
            ...job,
            service: backupStep,
            image: postgres,
            user: thirdPartyImages.postgres.user,
            size: args.sizes.helpers,
            entrypoint: [BACKUP_SCRIPT_PATH],
            command: ["once"],
            env: {
                ...libpqEnvironment(args.database.superuser),
                BACKUP_RETENTION_DAYS: String(args.retentionDays),
                BACKUP_WAIT_SECONDS: String(DATABASE_START_SECONDS),
                ...release,
            },
            secretFiles: [pgpassFile(args.database.superuser)],
            configFiles: [{ path: BACKUP_SCRIPT_PATH, content: renderBackupScript(), executable: true }],
            volumes: [{ volume, containerPath: BACKUP_DIR }],
            dependsOn: args.dependsOn,
        },
        parent,
    );
    const migrate = hardenedContainer(
        `${name}-${migrateStep}`,
        {
            ...job,
            service: migrateStep,
            image: application,
            user: args.user,
            size: args.sizes.migrate,
            command: [...args.command],
            env: { ...args.env, ...secretFileVariables(args.secretFiles) },
            secretFiles: args.secretFiles,
            dependsOn: [succeeded(backup, backupStep)],
        },
        parent,
    );
    const seed = hardenedContainer(
        `${name}-${seedStep}`,
        {
            ...job,
            service: seedStep,
            image: postgres,
            user: thirdPartyImages.postgres.user,
            size: args.sizes.helpers,
            command: seedCommand(args.environment),
            env: { ...libpqEnvironment(args.database.migrator), ...release },
            secretFiles: [pgpassFile(args.database.migrator)],
            configFiles: seedFiles(args.environment).map((f) => ({ path: `${SEED_MOUNT}/${f.name}`, content: f.content })),
            dependsOn: [succeeded(migrate, migrateStep)],
        },
        parent,
    );
    return { completed: succeeded(seed, seedStep) };
}

const implementations: Implementations<MigrationJobArgs, MigrationJobResult> = {
    docker: dockerMigrationJob,
    aws: () => {
        throw new Error(`${TYPE}: on aws, migrations run as the backend's one-off ECS task (Service aws.migration), not this job`);
    },
};

/** Backup, migrations and seeding before the services start (dev). */
export class MigrationJob extends pulumi.ComponentResource {
    public readonly completed: pulumi.Output<pulumi.Resource>;

    constructor(name: string, args: MigrationJobArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super(TYPE, name, {}, opts);
        this.completed = implementations[args.target](name, args, this).completed;
        this.registerOutputs({});
    }
}
