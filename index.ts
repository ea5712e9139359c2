// The OSINT research platform: reads the stack's typed config and composes the components.
// `osint-platform:target` selects the platform (docker for dev, aws for staging and prod).
import type * as pulumi from "@pulumi/pulumi";
import { Backups } from "./components/backups";
import { Cache } from "./components/cache";
import { Database } from "./components/database";
import { DATABASE_NAME, SUPERUSER } from "./components/database/roles";
import { MigrationJob } from "./components/database/migration-job";
import { seedCommand, seedFiles } from "./components/database/seeds";
import { Monitoring } from "./components/monitoring";
import { Network } from "./components/network";
import { ReverseProxy } from "./components/proxy";
import { ReviewStackLifetime } from "./components/review";
import { Service } from "./components/service";
import {
    applicationServices,
    MIGRATION_SERVICE,
    runtimeEnvironment,
    serviceDefinitions,
    serviceUser,
    type ApplicationService,
} from "./components/service/catalog";
import { ApplicationImages } from "./components/service/application-images";
import { applicationImage, type ImageSource } from "./components/service/image";
import { MIGRATION_COMMAND } from "./components/aws/migration";
import { SECRET_RECOVERY_WINDOW_DAYS } from "./components/aws/platform";
import { PSQL_SCRATCH_DIR } from "./components/aws/psql";
import { sizes } from "./components/shared/sizing";
import { loadConfig } from "./config";

export = async () => {
    const config = loadConfig();
    const { target, environment } = config;
    const size = sizes[environment];
    // Before any resource: a build context that does not exist is a config error (exit 2).
    const imageSources = Object.fromEntries(applicationServices.map((s) => [s, applicationImage(s, config, __dirname)])) as Record<
        ApplicationService,
        ImageSource
    >;

    const network = new Network("network", {
        target,
        aws: {
            vpcCidr: config.vpcCidr,
            availabilityZoneCount: config.availabilityZoneCount,
            multiAz: config.multiAz,
            vpcEndpoints: config.vpcEndpoints,
            logRetentionDays: config.logRetentionDays,
            alarmEmail: config.alarmEmail,
            drRegion: config.drRegion,
            protectData: environment === "production",
            secretRecoveryWindowDays: SECRET_RECOVERY_WINDOW_DAYS[environment],
        },
    });
    const database = new Database("database", {
        target,
        environment,
        network: network.attachment,
        size: size.database,
        initScriptsDir: `${__dirname}/database/init`,
        aws: {
            instanceClass: config.dbInstanceClass,
            allocatedStorageGb: config.dbAllocatedStorageGb,
            multiAz: config.multiAz,
            backupRetentionDays: config.backupRetentionDays,
            accessVia: config.databaseAccess,
            queryTask: config.databaseQueryTask,
        },
    });
    const cache = new Cache("cache", {
        target,
        network: network.attachment,
        size: size.redis,
        aws: { nodeType: config.cacheNodeType, multiAz: config.multiAz, snapshotRetentionDays: config.backupRetentionDays },
    });

    const monitoring = new Monitoring("monitoring", {
        target,
        environment,
        network: network.attachment,
        sizes: size,
        retentionDays: config.logRetentionDays,
        grafana: config.grafana,
        applicationTargets: applicationServices.filter((s) => s !== "frontend").map((s) => ({ job: s, address: `${s}:${serviceDefinitions[s].port}` })),
        database: { host: database.host, port: database.port, name: DATABASE_NAME, user: SUPERUSER, passwordFile: database.passwordFile(SUPERUSER) },
        cache: { host: cache.host, port: cache.port, password: cache.password },
    });

    // Before the services: on aws they register with its target groups (nginx resolves lazily).
    const proxy = new ReverseProxy("proxy", {
        target,
        network: network.attachment,
        size: size.nginx,
        domainName: config.domainName,
        httpPort: config.httpPort,
        httpsPort: config.httpsPort,
        publishAddress: config.publishAddress,
        rateLimitPerSecond: config.rateLimitPerSecond,
        rateLimitBurst: config.rateLimitBurst,
        frontend: { host: "frontend", port: serviceDefinitions.frontend.port },
        backend: { host: "backend", port: serviceDefinitions.backend.port },
        grafana: monitoring.grafanaUpstream,
        aws: { deploymentStrategy: config.deploymentStrategy, logRetentionDays: config.logRetentionDays },
    });

    const dataEnv = (user: string) => ({
        DB_HOST: database.host,
        DB_PORT: String(database.port),
        DB_NAME: DATABASE_NAME,
        DB_USER: user,
        REDIS_HOST: cache.host,
        REDIS_PORT: String(cache.port),
        ...database.clientEnvironment,
        // ElastiCache encrypts in transit and refuses plaintext clients (aws only).
        ...(cache.tls ? { REDIS_TLS: "true" } : {}),
    });
    // dev: a verified backup, the migrations and the seed data, once, before the data services
    // start; a failed step stops the rollout (aws: the backend's one-off ECS task below).
    // The password is read when a consumer asks for it (a getter): on aws the superuser's is a
    // Secrets Manager read that only the docker containers and `databaseAccess: provider` need.
    const login = (user: string, password: () => pulumi.Output<string>) => ({
        host: database.host,
        port: database.port,
        name: DATABASE_NAME,
        user,
        get password() {
            return password();
        },
    });
    // docker: each distinct image obtained once (the backend's serves its service and the migrations).
    const images = target === "docker" ? new ApplicationImages("images", { target, sources: imageSources }) : undefined;
    const migrations = images
        ? new MigrationJob("migrations", {
              target,
              environment,
              network: network.attachment,
              image: images.id("backend"),
              command: MIGRATION_COMMAND,
              user: serviceUser("backend"),
              env: { ...runtimeEnvironment(environment, MIGRATION_SERVICE), ...dataEnv("osint_migrator") },
              // The application's settings: with REDIS_HOST goes its password (docs/image-contract.md).
              secretFiles: [database.passwordFile("osint_migrator", "db_password"), cache.passwordFile()],
              sizes: { migrate: size.backend, helpers: size.backups },
              database: {
                  superuser: login(SUPERUSER, () => database.superuserPassword),
                  migrator: login("osint_migrator", () => database.rolePasswords.osint_migrator),
              },
              retentionDays: config.backupRetentionDays,
              dependsOn: [database],
          })
        : undefined;
    for (const service of applicationServices) {
        const definition = serviceDefinitions[service];
        const dataAccess = definition.dataAccess
            ? {
                  env: dataEnv("osint_app"),
                  secretFiles: [database.passwordFile("osint_app", "db_password"), cache.passwordFile()],
              }
            : { env: {} as Record<string, string>, secretFiles: [] };
        const web = service === "backend" || service === "frontend";
        new Service(service, {
            target,
            service,
            definition,
            image: imageSources[service],
            imageId: images?.id(service),
            size: size[service],
            network: network.attachment,
            env: { ...runtimeEnvironment(environment, service), ...dataAccess.env },
            secretFiles: dataAccess.secretFiles,
            dependsOn: definition.dataAccess ? [database, cache, ...(migrations ? [migrations.completed] : [])] : [],
            aws: {
                // The web tier runs backendMinTasks (one per zone in prod); workers one task.
                desiredCount: web ? config.backendMinTasks : 1,
                maxCount: service === "backend" ? config.backendMaxTasks : undefined,
                deploymentStrategy: config.deploymentStrategy,
                loadBalancer: web ? proxy.targets?.[service] : undefined,
                migration:
                    service === "backend"
                        ? {
                              command: MIGRATION_COMMAND,
                              env: { ...runtimeEnvironment(environment, MIGRATION_SERVICE), ...dataEnv("osint_migrator") },
                              secretFiles: [database.passwordFile("osint_migrator", "db_password"), cache.passwordFile()],
                              databaseInstance: database.aws?.instanceIdentifier,
                              seed: {
                                  files: seedFiles(environment),
                                  command: seedCommand(environment, PSQL_SCRATCH_DIR),
                                  host: database.host,
                                  port: database.port,
                                  database: DATABASE_NAME,
                                  user: "osint_migrator",
                                  password: database.passwordFile("osint_migrator", "db_password"),
                                  caBundle: database.aws?.caBundle,
                              },
                          }
                        : undefined,
            },
        });
    }

    const backups = new Backups("backups", {
        target,
        network: network.attachment,
        size: size.backups,
        metricsSize: size["backup-metrics"],
        retentionDays: config.backupRetentionDays,
        // Object.assign, not a spread, which would read the password getter.
        database: Object.assign(
            login(SUPERUSER, () => database.superuserPassword),
            { instanceArn: database.aws?.instanceArn },
        ),
        dependsOn: [database],
    });

    // Review stacks (Pulumi.pr.yaml) destroy themselves after their time to live.
    const lifetime = config.reviewStackTtlHours > 0 ? new ReviewStackLifetime("review-lifetime", { hours: config.reviewStackTtlHours }) : undefined;

    return {
        url: proxy.url,
        environment,
        services: [...applicationServices],
        backups: backups.location,
        // Each platform's own outputs: Grafana's password (docker), the DNS records to publish (aws).
        ...(monitoring.grafanaAdminPassword ? { grafanaAdminPassword: monitoring.grafanaAdminPassword } : {}),
        ...(proxy.dnsRecords ? { dnsRecords: proxy.dnsRecords } : {}),
        ...(lifetime ? { expiresAt: lifetime.expiresAt } : {}),
    };
};
