// Third-party images, each pinned to a release line the project has reviewed; never `latest`.
// The non-root user is the one each image ships for unprivileged operation.
export const thirdPartyImages = {
    // A Fargate bind mount starts empty, owned by root with mode 0755, unless the image declares a
    // VOLUME at its path: then it takes the image directory's owner and mode (AWS ECS developer
    // guide, "Bind mounts"; aws/containers-roadmap#938). postgres declares VOLUME $PGDATA, which it
    // creates as postgres:postgres 1777 (docker-library/postgres, 15/alpine*/Dockerfile).
    postgres: { reference: "postgres:15-alpine", user: "70:70", writableVolume: "/var/lib/postgresql/data" },
    redis: { reference: "redis:7.4-alpine", user: "999:1000" },
    nginx: { reference: "nginxinc/nginx-unprivileged:1.27-alpine", user: "101:101" },
    prometheus: { reference: "prom/prometheus:v2.55.1", user: "65534:65534" },
    grafana: { reference: "grafana/grafana:11.3.1", user: "472:472" },
    postgresExporter: { reference: "quay.io/prometheuscommunity/postgres-exporter:v0.16.0", user: "65534:65534" },
    nodeExporter: { reference: "prom/node-exporter:v1.8.2", user: "65534:65534" },
    redisExporter: { reference: "oliver006/redis_exporter:v1.66.0-alpine", user: "59000:59000" },
} as const;

/** The user the project's own application images must provide (see README, "Application images"). */
export const APPLICATION_USER = "10001:10001";
/** The directory the application images declare as VOLUME, mode 1777 (docs/image-contract.md): their only writable path on a read-only root. */
export const APPLICATION_SCRATCH_VOLUME = "/tmp";
