// Third-party images, each pinned to a release line the project has reviewed; never `latest`.
// The non-root user is the one each image ships for unprivileged operation.

/**
 * A directory an image creates, with its owner (`uid:gid`) and mode. Docker fills an empty named
 * volume from the image only where the mount path exists in it, and then gives the volume that
 * directory's owner and mode; elsewhere the volume stays root:root 0755, which a non-root container
 * cannot write (moby container/container_unix.go, CopyImagePathContent and copyExistingContents;
 * volume/local/local.go, Root.Create; moby#3124). `directories` lists what the stack mounts a
 * volume over, each from the image's own Dockerfile.
 */
export interface ImageDirectory {
    readonly owner: string;
    readonly mode: number;
}

export const thirdPartyImages = {
    // A Fargate bind mount starts empty, owned by root with mode 0755, unless the image declares a
    // VOLUME at its path: then it takes the image directory's owner and mode (AWS ECS developer
    // guide, "Bind mounts"; aws/containers-roadmap#938). postgres declares VOLUME $PGDATA, which it
    // creates as postgres:postgres 1777 (docker-library/postgres, 15/alpine*/Dockerfile).
    postgres: {
        reference: "postgres:15-alpine",
        user: "70:70",
        // The daily backup container runs this image under a uid of its own (RLIMIT_NPROC, as the
        // exporters below): 70 is the database's. It has no passwd entry, which pg_dump does not
        // need (libpq takes PGUSER and PGPASSFILE; components/backups/docker.ts), and it writes its
        // volumes through the world bits of the directories below (components/backups/backup-script.ts).
        backupUser: "10103:10103",
        writableVolume: "/var/lib/postgresql/data",
        // docker-library/postgres 15/alpine3.22/Dockerfile: `install --directory --owner postgres
        // --group postgres` of the home (1777), the socket directory (3777) and $PGDATA (1777); it
        // creates no other directory of its user's (Alpine's /var/run links to /run, which Docker
        // follows inside the image when it resolves a mount path).
        directories: {
            "/var/lib/postgresql": { owner: "70:70", mode: 0o1777 },
            "/var/run/postgresql": { owner: "70:70", mode: 0o3777 },
            "/var/lib/postgresql/data": { owner: "70:70", mode: 0o1777 },
        } satisfies Record<string, ImageDirectory>,
    },
    // docker-library/redis 7.4/alpine/Dockerfile: `mkdir /data && chown redis:redis /data` (uid 999, gid 1000).
    redis: {
        reference: "redis:7.4-alpine",
        user: "999:1000",
        directories: { "/data": { owner: "999:1000", mode: 0o755 } } satisfies Record<string, ImageDirectory>,
    },
    nginx: { reference: "nginxinc/nginx-unprivileged:1.27-alpine", user: "101:101" },
    // prometheus/prometheus Dockerfile: `WORKDIR /prometheus`, `chown -R nobody:nobody ... /prometheus && chmod g+w /prometheus`.
    prometheus: {
        reference: "prom/prometheus:v2.55.1",
        user: "65534:65534",
        directories: { "/prometheus": { owner: "65534:65534", mode: 0o775 } } satisfies Record<string, ImageDirectory>,
    },
    // grafana/grafana Dockerfile: GF_PATHS_DATA=/var/lib/grafana, `chown -R "grafana:$GF_GID_NAME"` (472, gid 0), `chmod -R 777`.
    grafana: {
        reference: "grafana/grafana:11.3.1",
        user: "472:472",
        directories: { "/var/lib/grafana": { owner: "472:0", mode: 0o777 } } satisfies Record<string, ImageDirectory>,
    },
    // The exporters' images run as nobody (65534; prometheus-community/postgres_exporter and
    // prometheus/node_exporter Dockerfiles: `USER nobody`), Prometheus's user too. RLIMIT_NPROC counts
    // a uid's processes host-wide, so each runs under a uid of its own instead: they write nothing,
    // and their binaries are world-executable, so any unprivileged uid runs them. These uids (101xx,
    // the postgres backup's too) are the third-party containers'; the application services' are
    // 100xx (components/service/catalog.ts).
    postgresExporter: { reference: "quay.io/prometheuscommunity/postgres-exporter:v0.16.0", user: "10101:10101" },
    // prometheus/node_exporter Dockerfile: the busybox base plus /bin/node_exporter; no directory the stack mounts over.
    nodeExporter: { reference: "prom/node-exporter:v1.8.2", user: "10102:10102", directories: {} satisfies Record<string, ImageDirectory> },
    redisExporter: { reference: "oliver006/redis_exporter:v1.66.0-alpine", user: "59000:59000" },
} as const;

/** The directory the application images declare as VOLUME, mode 1777 (docs/image-contract.md): their only writable path on a read-only root. */
export const APPLICATION_SCRATCH_VOLUME = "/tmp";
