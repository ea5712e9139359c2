// PostgreSQL 15 on RDS with the design's settings: encrypted with its own KMS key, reachable only
// from the isolated subnets' security group, TLS enforced, its master password managed (and
// rotated) by RDS in Secrets Manager, backups kept for the configured retention and, where the
// stack names a second region, replicated there under that region's own key.
import * as aws from "../aws/sdk";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { metricAlarm } from "../aws/alarms";
import { onDemandPsqlTaskDefinition, PSQL_SCRATCH_DIR, psqlTask, scriptFiles } from "../aws/psql";
import { awsArgs, finalSnapshotName, managedServiceRole, awsAttachment, awsPrefix, storedSecret } from "../aws/platform";
import type { DatabaseArgs, DatabaseEndpoint } from "./index";
import { DATABASE_NAME, MASTER_USERNAME, roles, SUPERUSER, type Role } from "./roles";
import { awsName, sharedNames } from "../aws/names";
import { encryptedLogGroup } from "../telemetry";
import { initScripts } from "./database-init";
import { rdsCaBundle, verifyFullEnvironment } from "./rds-ca";
import { databaseAccess } from "./postgres-roles";
import { rdsParameters, settingsFor, type RdsParameter } from "./settings";
import { DATABASE_PORT } from "../service/catalog";

export const ENGINE_VERSION = "15";
export const PARAMETER_FAMILY = "postgres15";
/** Clients must use TLS (design: "Database connection encryption"). Dynamic in PostgreSQL 15. */
export const FORCE_SSL: RdsParameter = { name: "rds.force_ssl", value: "1", applyMethod: "immediate" };
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
export const ENHANCED_MONITORING_SECONDS = 60;
export const LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/** The one-off psql task that applies the access model when `databaseAccess` is `task`. */
export const ACCESS_TASK = "database-access";
/** The operators' on-demand psql task (family `<prefix>-database-query`), and the role it connects as. */
export const QUERY_TASK = "database-query";
export const QUERY_ROLE: Role = "osint_readonly";

// Writes each role's password where the password script reads it (`<ROLE>_PASSWORD_FILE`, mode
// 0600 under the task's scratch volume), then runs the init scripts in name order, as the dev entrypoint does.
function accessTaskScript(): string {
    return `set -eu
umask 077
${roles.map((role) => `printf '%s' "$${role.toUpperCase()}_PASSWORD" > ${PSQL_SCRATCH_DIR}/${role}\nexport ${role.toUpperCase()}_PASSWORD_FILE=${PSQL_SCRATCH_DIR}/${role}`).join("\n")}
${scriptFiles(initScripts(), (file, name) => (name.endsWith(".sql") ? `psql -v ON_ERROR_STOP=1 --no-psqlrc -f ${file}` : `sh ${file}`))}
`;
}
// Storage autoscaling ceiling as a multiple of the initial size.
export const STORAGE_AUTOSCALING_FACTOR = 4;
// Alarm thresholds: sustained CPU, 80 % of max_connections, and free storage below a tenth of the
// autoscaling ceiling: RDS grows the volume itself until the ceiling, so a fraction of the initial
// size would fire only once growth is already exhausted.
const CPU_ALARM_PERCENT = 80;
export const FREE_STORAGE_ALARM_FRACTION = 0.1;
export const CONNECTIONS_ALARM_FRACTION = 0.8;

function dataKey(name: string, description: string, opts: pulumi.CustomResourceOptions): aws.kms.Key {
    // The default key policy (the account administers the key, IAM grants its use) is what RDS needs.
    return new aws.kms.Key(name, { description, enableKeyRotation: true, deletionWindowInDays: 30 }, opts);
}

export function awsDatabase(name: string, args: DatabaseArgs, parent: pulumi.ComponentResource): DatabaseEndpoint {
    const platform = awsAttachment(args.network, "osint:data:Database");
    const prefix = awsPrefix();
    const identifier = sharedNames().database;
    const stateful = { parent, protect: platform.protectData };
    const settings = settingsFor(args.environment);
    const server = awsArgs(args.aws, "osint:data:Database");
    const maxStorageGb = server.allocatedStorageGb * STORAGE_AUTOSCALING_FACTOR;

    const key = dataKey(`${name}-key`, `${prefix} PostgreSQL storage, snapshots and Performance Insights`, stateful);
    const subnetGroup = new aws.rds.SubnetGroup(
        `${name}-subnets`,
        { name: awsName("aws:rds/subnetGroup:SubnetGroup", "name", prefix), subnetIds: platform.subnetIds.isolated },
        { parent },
    );
    const parameterGroup = new aws.rds.ParameterGroup(
        `${name}-parameters`,
        {
            name: awsName("aws:rds/parameterGroup:ParameterGroup", "name", `${prefix}-postgres15`),
            family: PARAMETER_FAMILY,
            description: "The design's production settings, TLS enforced, access logging",
            parameters: [...rdsParameters(settings), FORCE_SSL],
        },
        { parent },
    );
    const monitoringRole = managedServiceRole(
        `${name}-monitoring`,
        "monitoring.rds.amazonaws.com",
        "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
        parent,
        // RDS user guide, "Setting up and enabling Enhanced Monitoring: protecting against the confused
        // deputy problem": RDS monitoring acting for this account's instance only.
        { account: platform.accountId, arn: pulumi.interpolate`arn:aws:rds:${platform.region}:${platform.accountId}:db:${identifier}` },
    );

    // Created before RDS exports into them, so they carry the stack's key and retention.
    const exportedLogs = LOG_EXPORTS.map((log) =>
        encryptedLogGroup(`${name}-${log}-logs`, `/aws/rds/instance/${identifier}/${log}`, platform.telemetry, parent),
    );
    const instance = new aws.rds.Instance(
        `${name}-postgres`,
        {
            identifier,
            engine: "postgres",
            engineVersion: ENGINE_VERSION,
            autoMinorVersionUpgrade: true,
            instanceClass: server.instanceClass,
            allocatedStorage: server.allocatedStorageGb,
            maxAllocatedStorage: maxStorageGb,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: key.arn,
            dbName: DATABASE_NAME,
            username: MASTER_USERNAME,
            port: DATABASE_PORT,
            manageMasterUserPassword: true,
            multiAz: server.multiAz,
            publiclyAccessible: false,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [platform.securityGroupIds.database],
            parameterGroupName: parameterGroup.name,
            caCertIdentifier: "rds-ca-rsa2048-g1",
            iamDatabaseAuthenticationEnabled: true,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: key.arn,
            performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
            monitoringInterval: ENHANCED_MONITORING_SECONDS,
            monitoringRoleArn: monitoringRole.arn,
            enabledCloudwatchLogsExports: [...LOG_EXPORTS],
            backupRetentionPeriod: server.backupRetentionDays,
            backupWindow: "03:00-03:30",
            maintenanceWindow: "sun:04:00-sun:05:00",
            copyTagsToSnapshot: true,
            deleteAutomatedBackups: false,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: finalSnapshotName(
                `${name}-final-snapshot`,
                "aws:rds/instance:Instance",
                "finalSnapshotIdentifier",
                `${prefix}-final`,
                { identifier, engine: "postgres", kmsKeyId: key.arn, storageEncrypted: "true", dbName: DATABASE_NAME, username: MASTER_USERNAME },
                parent,
            ),
        },
        { ...stateful, dependsOn: exportedLogs },
    );

    if (platform.dr) {
        const drOptions = { ...stateful, provider: platform.dr.provider };
        const drKey = dataKey(`${name}-dr-key`, `${prefix} PostgreSQL backup copies in ${platform.dr.region}`, drOptions);
        new aws.rds.InstanceAutomatedBackupsReplication(
            `${name}-backup-replication`,
            { sourceDbInstanceArn: instance.arn, kmsKeyId: drKey.arn, retentionPeriod: server.backupRetentionDays },
            drOptions,
        );
    }

    const caBundle = rdsCaBundle(`${name}-ca-bundle`, platform.region, parent);

    // Application roles' passwords: generated, kept in Secrets Manager, injected into tasks by ARN.
    const rolePasswords = {} as Record<Role, pulumi.Output<string>>;
    const valueFrom: Partial<Record<Role | typeof SUPERUSER, pulumi.Output<string>>> = {};
    const passwordVersions: pulumi.Output<string>[] = [];
    for (const role of roles) {
        rolePasswords[role] = pulumi.secret(new random.RandomPassword(`${name}-${role}-password`, { length: 32, special: false }, { parent }).result);
        const stored = storedSecret(
            `${name}-${role}-password`,
            `${prefix}/postgres/${role}`,
            `PostgreSQL password of ${role}`,
            rolePasswords[role],
            platform,
            parent,
        );
        valueFrom[role] = stored.arn;
        passwordVersions.push(stored.versionId);
    }
    const masterSecretArn = instance.masterUserSecrets.apply((secrets) => secrets[0].secretArn);
    valueFrom[SUPERUSER] = pulumi.interpolate`${masterSecretArn}:password::`;

    // The component API offers every platform's superuser password; on aws RDS holds it, so it is read
    // from the managed secret (a secret here too, never stored in a resource), once, when first asked for:
    // only `databaseAccess: provider` does. Tasks get it from ECS by valueFrom; a read here would run
    // on every preview and need secretsmanager:GetSecretValue in a read-only preview role.
    let superuserPasswordRead: pulumi.Output<string> | undefined;
    const superuserPassword = () =>
        (superuserPasswordRead ??= pulumi.secret(
            aws.secretsmanager
                .getSecretVersionOutput({ secretId: masterSecretArn }, { parent })
                .secretString.apply((s) => (JSON.parse(s) as { password: string }).password),
        ));

    // The database layer's access model (roles, schema, grants, extensions, then the passwords). The
    // database is reachable only from inside the VPC: by default a one-off task there applies it, as
    // rendered for the dev container's init; where pulumi itself runs in the VPC (a self-hosted
    // Deployments agent), @pulumi/postgresql resources declare the same model.
    if (server.accessVia === "provider") {
        const provider = new postgresql.Provider(
            `${name}-postgresql`,
            {
                host: instance.address,
                port: DATABASE_PORT,
                database: DATABASE_NAME,
                username: MASTER_USERNAME,
                password: superuserPassword(),
                // TLS without verifying the server here: the provider takes the CA only as a file on the
                // host running pulumi (sslrootcert), which the program does not own (docs/aws-security.md).
                sslmode: "require",
                superuser: false,
                connectTimeout: 15,
            },
            { parent, dependsOn: [instance] },
        );
        databaseAccess(name, { provider, passwords: rolePasswords }, parent);
    } else {
        psqlTask(
            `${name}-access`,
            {
                platform,
                prefix,
                purpose: ACCESS_TASK,
                host: instance.address,
                port: DATABASE_PORT,
                database: DATABASE_NAME,
                user: MASTER_USERNAME,
                secrets: {
                    PGPASSWORD: valueFrom[SUPERUSER],
                    ...Object.fromEntries(roles.map((role) => [`${role.toUpperCase()}_PASSWORD`, valueFrom[role]!])),
                },
                files: initScripts(),
                caBundle,
                script: accessTaskScript(),
                environment: { POSTGRES_USER: MASTER_USERNAME, POSTGRES_DB: DATABASE_NAME },
                triggers: passwordVersions,
            },
            { parent, dependsOn: [instance] },
        );
    }

    // The operators' way into the private instance, with no standing bastion: a one-off psql task they
    // run on demand (docs/runbooks/rds-point-in-time-recovery.md) in the private subnets with the psql
    // tasks' security group, as osint_readonly (SELECT only), its query and host passed as overrides
    // and its output in the task's log group. The same endpoints and rules as the deployment's psql
    // tasks; the deployment never runs it, so its definition declares that placement in its tags (which
    // the reachability analysis checks). Declared when databaseQueryTask is set.
    if (server.queryTask)
        onDemandPsqlTaskDefinition(
            `${name}-query`,
            {
                platform,
                prefix,
                purpose: QUERY_TASK,
                host: instance.address,
                port: DATABASE_PORT,
                database: DATABASE_NAME,
                user: QUERY_ROLE,
                secrets: { PGPASSWORD: valueFrom[QUERY_ROLE]! },
                files: [],
                caBundle,
                script: 'psql -v ON_ERROR_STOP=1 --no-psqlrc -c "$QUERY"',
                environment: { QUERY: "SELECT now()" },
            },
            parent,
        );

    const dimensions = { DBInstanceIdentifier: instance.identifier };
    const topic = platform.telemetry.alarmTopicArn;
    metricAlarm(
        `${name}-cpu`,
        {
            description: `PostgreSQL CPU above ${CPU_ALARM_PERCENT}%`,
            namespace: "AWS/RDS",
            metricName: "CPUUtilization",
            dimensions,
            statistic: "Average",
            threshold: CPU_ALARM_PERCENT,
            comparison: "GreaterThanThreshold",
        },
        topic,
        parent,
    );
    metricAlarm(
        `${name}-free-storage`,
        {
            description: `PostgreSQL free storage below ${FREE_STORAGE_ALARM_FRACTION * 100}% of the ${maxStorageGb} GiB storage autoscaling may reach`,
            namespace: "AWS/RDS",
            metricName: "FreeStorageSpace",
            dimensions,
            statistic: "Minimum",
            threshold: maxStorageGb * FREE_STORAGE_ALARM_FRACTION * 1024 ** 3,
            comparison: "LessThanThreshold",
        },
        topic,
        parent,
    );
    metricAlarm(
        `${name}-connections`,
        {
            description: `PostgreSQL connections above ${CONNECTIONS_ALARM_FRACTION * 100}% of max_connections (${settings.max_connections})`,
            namespace: "AWS/RDS",
            metricName: "DatabaseConnections",
            dimensions,
            statistic: "Maximum",
            threshold: settings.max_connections * CONNECTIONS_ALARM_FRACTION,
            comparison: "GreaterThanThreshold",
        },
        topic,
        parent,
    );

    return {
        host: instance.address,
        port: DATABASE_PORT,
        superuserPassword,
        rolePasswords,
        aws: { instanceIdentifier: instance.identifier, instanceArn: instance.arn, resourceId: instance.resourceId, valueFrom, caBundle },
        clientEnvironment: verifyFullEnvironment(caBundle),
    };
}
