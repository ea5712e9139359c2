// The dev stack's rendered redis.conf, loaded by real redis-server on loopback.
//
// Path substitution (exact counts): the container's bind address becomes 127.0.0.1, the port a free
// one, the data directory a temporary one, and the secret include (rendered separately, never on
// disk here) a file this test writes with its own password. Everything else is the dev bytes.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { maxmemoryMb } from "../../components/cache/redis-conf";
import { sizes } from "../../components/shared/sizing";
import { REDIS_CONFIG_PATH } from "../../components/cache/redis-conf";
import { freePort, renderedText, requiredBinary, startServer, substitute, tempDir, type Server } from "./helpers";

// The dev Redis container's memory (the sizing table; design: "Development Resources") and the
// maxmemory the rendering derives from it.
const MAXMEMORY_BYTES = maxmemoryMb(sizes.development.redis.memoryMb) * 1024 * 1024;
const VALUE = Buffer.alloc(1024 * 1024, "x");

type Reply = string | number | null | Reply[] | { error: string };

/** A minimal RESP2 client: one command at a time, which is all these checks need. */
class RedisConnection {
    private buffer = Buffer.alloc(0);
    private pending: ((reply: Reply) => void)[] = [];

    private constructor(private readonly socket: net.Socket) {
        socket.on("data", (chunk: Buffer) => {
            this.buffer = Buffer.concat([this.buffer, chunk]);
            for (let parsed = parse(this.buffer, 0); parsed; parsed = parse(this.buffer, 0)) {
                this.buffer = this.buffer.subarray(parsed.end);
                this.pending.shift()?.(parsed.value);
            }
        });
    }

    static open(port: number): Promise<RedisConnection> {
        return new Promise((resolve, reject) => {
            const socket = net.connect(port, "127.0.0.1", () => resolve(new RedisConnection(socket)));
            socket.once("error", reject);
        });
    }

    command(...args: (string | number | Buffer)[]): Promise<Reply> {
        const parts = args.map((a) => (Buffer.isBuffer(a) ? a : Buffer.from(String(a))));
        const frame = Buffer.concat([Buffer.from(`*${parts.length}\r\n`), ...parts.flatMap((p) => [Buffer.from(`$${p.length}\r\n`), p, Buffer.from("\r\n")])]);
        return new Promise((resolve) => {
            this.pending.push(resolve);
            this.socket.write(frame);
        });
    }

    close(): void {
        this.socket.destroy();
    }
}

function parse(buffer: Buffer, start: number): { value: Reply; end: number } | undefined {
    const lineEnd = buffer.indexOf("\r\n", start);
    if (lineEnd < 0) return undefined;
    const line = buffer.toString("utf8", start + 1, lineEnd);
    const next = lineEnd + 2;
    switch (String.fromCharCode(buffer[start])) {
        case "+":
            return { value: line, end: next };
        case "-":
            return { value: { error: line }, end: next };
        case ":":
            return { value: Number(line), end: next };
        case "$": {
            const length = Number(line);
            if (length < 0) return { value: null, end: next };
            if (buffer.length < next + length + 2) return undefined;
            return { value: buffer.toString("utf8", next, next + length), end: next + length + 2 };
        }
        case "*": {
            const items: Reply[] = [];
            let end = next;
            for (let i = 0; i < Number(line); i++) {
                const item = parse(buffer, end);
                if (!item) return undefined;
                items.push(item.value);
                end = item.end;
            }
            return { value: items, end };
        }
        default:
            throw new Error(`unexpected RESP reply: ${line}`);
    }
}

function errorOf(reply: Reply): string {
    return typeof reply === "object" && reply !== null && "error" in reply ? reply.error : "";
}

function infoField(info: Reply, field: string): number {
    const match = new RegExp(`^${field}:(\\d+)`, "m").exec(String(info));
    if (!match) throw new Error(`INFO has no ${field}`);
    return Number(match[1]);
}

describe("rendered redis.conf (dev) in real redis-server", function () {
    const redisServer = requiredBinary("redis-server");
    const password = randomBytes(16).toString("hex");
    let server: Server;
    let port: number;
    const connections: RedisConnection[] = [];

    async function connect(): Promise<RedisConnection> {
        const connection = await RedisConnection.open(port);
        connections.push(connection);
        return connection;
    }

    async function authenticated(): Promise<RedisConnection> {
        const connection = await connect();
        assert.equal(await connection.command("AUTH", password), "OK");
        return connection;
    }

    before(async () => {
        const dir = tempDir("redis");
        port = await freePort();
        fs.writeFileSync(path.join(dir, "redis_auth.conf"), `requirepass ${password}\n`);
        const config = substitute(await renderedText("redis", REDIS_CONFIG_PATH), [
            { from: "bind 0.0.0.0 -::*", to: "bind 127.0.0.1", count: 1 },
            { from: "port 6379", to: `port ${port}`, count: 1 },
            { from: "dir /data", to: `dir ${dir}`, count: 1 },
            { from: "include /run/secrets/redis_auth.conf", to: `include ${path.join(dir, "redis_auth.conf")}`, count: 1 },
        ]);
        fs.writeFileSync(path.join(dir, "redis.conf"), config);
        server = await startServer(redisServer, [path.join(dir, "redis.conf")], port);
    });

    after(async () => {
        connections.forEach((c) => c.close());
        await server?.stop();
    });

    it("refuses commands before AUTH and wrong passwords", async () => {
        const connection = await connect();
        assert.match(errorOf(await connection.command("SET", "k", "v")), /^NOAUTH/);
        assert.match(errorOf(await connection.command("AUTH", "not-the-password")), /^WRONGPASS/);
        assert.equal(await connection.command("AUTH", password), "OK");
        assert.equal(await connection.command("PING"), "PONG");
    });

    it(`caps memory at ${MAXMEMORY_BYTES} bytes with volatile-lru, and disables FLUSHALL`, async () => {
        const connection = await authenticated();
        assert.deepEqual(await connection.command("CONFIG", "GET", "maxmemory"), ["maxmemory", String(MAXMEMORY_BYTES)]);
        assert.deepEqual(await connection.command("CONFIG", "GET", "maxmemory-policy"), ["maxmemory-policy", "volatile-lru"]);
        assert.match(errorOf(await connection.command("FLUSHALL")), /unknown command/);
    });

    it("evicts only keys with a TTL, then refuses writes with OOM rather than drop queue data", async () => {
        const connection = await authenticated();
        const queued: string[] = [];
        for (let i = 0; i < 30; i++) {
            assert.equal(await connection.command("SET", `queue:${i}`, VALUE), "OK");
            queued.push(`queue:${i}`);
        }
        // 100 MiB of cache entries with a TTL: more than maxmemory, so older ones are evicted.
        for (let i = 0; i < 100; i++) assert.equal(await connection.command("SET", `cache:${i}`, VALUE, "EX", 3600), "OK");
        const info = await connection.command("INFO", "all");
        assert.ok(infoField(info, "evicted_keys") > 0);
        // What eviction counts: used memory less the AOF buffer, which grows while the disk is slow.
        assert.ok(infoField(info, "used_memory") - infoField(info, "mem_not_counted_for_evict") <= MAXMEMORY_BYTES + VALUE.length);
        assert.equal(await connection.command("EXISTS", ...queued), queued.length);

        let refusal = "";
        for (let i = 0; i < 120 && !refusal; i++) {
            const reply = await connection.command("SET", `queue:extra:${i}`, VALUE);
            if (reply === "OK") queued.push(`queue:extra:${i}`);
            else refusal = errorOf(reply);
        }
        assert.match(refusal, /^OOM command not allowed when used memory > 'maxmemory'/);
        // Every key without a TTL survived; the cache entries were all evicted first.
        assert.equal(await connection.command("EXISTS", ...queued), queued.length);
        assert.equal(await connection.command("EXISTS", ...Array.from({ length: 100 }, (_, i) => `cache:${i}`)), 0);
    });
});
