// The OSINT research platform: reads the stack's typed config and composes the components.
// `osint-platform:target` selects the platform (docker for dev, aws for staging and prod).
import { Backups } from "./components/backups";
import { Cache } from "./components/cache";
import { Database, DATABASE_NAME, SUPERUSER } from "./components/database";
import { Monitoring } from "./components/monitoring";
import { Network } from "./components/network";
import { ReverseProxy } from "./components/proxy";
import { Service } from "./components/service";
import { applicationServices, runtimeEnvironment, serviceDefinitions } from "./components/service/catalog";
import { applicationImage } from "./components/service/image";
import { sizes } from "./components/shared/sizing";
import { loadConfig } from "./config";

export = async () => {
    const config = loadConfig();
    const { target, environment } = config;
    const size = sizes[environment];

    const network = new Network("network", { target });
    const database = new Database("database", { target, environment, network: network.attachment, size: size.database, initScriptsDir: `${__dirname}/database/init` });
    const cache = new Cache("cache", { target, network: network.attachment, size: size.redis });

    const services = Object.fromEntries(
        applicationServices.map((service) => {
            const definition = serviceDefinitions[service];
            const dataAccess = definition.dataAccess
                ? {
                      env: { DB_HOST: database.host, DB_PORT: String(database.port), DB_NAME: DATABASE_NAME, DB_USER: "osint_app", REDIS_HOST: cache.host, REDIS_PORT: String(cache.port) },
                      secretFiles: [{ name: "db_password", content: database.rolePasswords.osint_app }, { ...cache.passwordFile() }],
                  }
                : { env: {} as Record<string, string>, secretFiles: [] };
            return [
                service,
                new Service(service, {
                    target,
                    service,
                    definition,
                    image: applicationImage(service, config, __dirname),
                    size: size[service],
                    network: network.attachment,
                    env: { ...runtimeEnvironment(environment), ...dataAccess.env },
                    secretFiles: dataAccess.secretFiles,
                    dependsOn: definition.dataAccess ? [database, cache] : [],
                }),
            ];
        }),
    ) as Record<(typeof applicationServices)[number], Service>;

    const monitoring = new Monitoring("monitoring", {
        target,
        environment,
        network: network.attachment,
        sizes: size,
        retentionDays: config.logRetentionDays,
        grafana: config.grafana,
        applicationTargets: applicationServices
            .filter((s) => s !== "frontend")
            .map((s) => ({ job: s, address: `${s}:${serviceDefinitions[s].port}` })),
        database: { host: database.host, port: database.port, name: DATABASE_NAME, user: SUPERUSER, passwordFile: database.passwordFile(SUPERUSER) },
        cache: { host: cache.host, port: cache.port, password: cache.password },
    });

    const proxy = new ReverseProxy("proxy", {
        target,
        network: network.attachment,
        size: size.nginx,
        domainName: config.domainName,
        httpPort: config.httpPort,
        httpsPort: config.httpsPort,
        rateLimitPerSecond: config.rateLimitPerSecond,
        rateLimitBurst: config.rateLimitBurst,
        frontend: { host: "frontend", port: serviceDefinitions.frontend.port },
        backend: { host: "backend", port: serviceDefinitions.backend.port },
        grafana: monitoring.grafanaUpstream,
        dependsOn: [services.frontend, services.backend],
    });

    const backups = new Backups("backups", {
        target,
        network: network.attachment,
        size: size.backups,
        retentionDays: config.backupRetentionDays,
        database: { host: database.host, port: database.port, name: DATABASE_NAME, user: SUPERUSER, password: database.superuserPassword },
        dependsOn: [database],
    });

    return {
        url: proxy.url,
        environment,
        services: [...applicationServices],
        backups: backups.location,
        grafanaAdminPassword: monitoring.grafanaAdminPassword,
    };
};
