// redis.conf for a cache that also carries the job queue.
import { CONFIG_ROOT } from "../docker/container";

/** redis.conf in the dev container: under /etc/osint (a volume), so the root file system stays read-only. */
export const REDIS_CONFIG_PATH = `${CONFIG_ROOT}/redis/redis.conf`;

export interface RedisConfOptions {
    /** The container's memory limit; maxmemory stays below it. */
    readonly containerMemoryMb: number;
    readonly port: number;
    readonly dataDir: string;
    /** A file holding `requirepass <password>`, kept out of this (non-secret) file. */
    readonly authInclude: string;
}

// A quarter of the container is left for what maxmemory does not count: replication and client
// buffers, and the copy-on-write pages of the fork that rewrites the append-only file.
export const MAXMEMORY_FRACTION = 0.75;

// Queue entries carry no TTL and must never be evicted; cache entries carry a TTL, so only keys
// with an expiry are candidates (least recently used first). When only queue data is left,
// writes fail loudly instead of silently dropping jobs.
export const EVICTION_POLICY = "volatile-lru";

export function maxmemoryMb(containerMemoryMb: number): number {
    return Math.floor(containerMemoryMb * MAXMEMORY_FRACTION);
}

export function renderRedisConf(options: RedisConfOptions): string {
    return [
        "# Rendered by osint-platform (components/cache/redis-conf.ts). Do not edit.",
        "bind 0.0.0.0 -::*",
        "protected-mode yes",
        `port ${options.port}`,
        `dir ${options.dataDir}`,
        "",
        "# Memory: a cache plus the job queue",
        `maxmemory ${maxmemoryMb(options.containerMemoryMb)}mb`,
        `maxmemory-policy ${EVICTION_POLICY}`,
        "",
        "# Persistence: the queue survives restarts (AOF every second, plus snapshots)",
        "appendonly yes",
        "appendfsync everysec",
        "save 900 1 300 10 60 10000",
        "",
        "# Access",
        `include ${options.authInclude}`,
        'rename-command FLUSHALL ""',
        'rename-command FLUSHDB ""',
        'rename-command DEBUG ""',
        "",
    ].join("\n");
}
