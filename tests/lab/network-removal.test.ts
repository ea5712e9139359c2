// The lab removes a network as terraform-provider-docker does (retrying while the engine answers "has
// active endpoints"), and when that wait runs out it names what the engine still lists on the network,
// so a teardown that fails says whether a container was left behind or an endpoint outlived its container.
import * as assert from "node:assert/strict";
import type Docker from "dockerode";
import { ApplyError, NETWORK_REMOVE, removeNetwork } from "../../lab/apply/apply";

const ACTIVE = new Error("(HTTP code 403) unexpected - error while removing network: network osint-platform-dev-internal id 5d2b has active endpoints ");
const QUICK = { delayMs: 1, everyMs: 5, timeoutMs: 30 } as const;

/** An engine whose network refuses removal `refusals` times, listing `listed`; of those, `present` still exist. */
function engine(refusals: number, listed: Record<string, { Name: string }>, present: readonly string[]) {
    let tries = 0;
    const network = {
        remove: async () => {
            tries++;
            if (tries <= refusals) throw ACTIVE;
        },
        inspect: async () => ({ Containers: listed }),
    } as unknown as Docker.Network;
    const docker = {
        getContainer: (id: string) => ({ inspect: async () => (present.includes(id) ? {} : Promise.reject(new Error("404 no such container"))) }),
    } as unknown as Docker;
    return { network, docker, tries: () => tries };
}

describe("the lab's network removal", () => {
    it("waits as the provider does: 2 s, then every 5 s for up to 30 s", () => {
        assert.deepEqual(NETWORK_REMOVE, { delayMs: 2_000, everyMs: 5_000, timeoutMs: 30_000 });
    });

    it("retries while the engine still holds endpoints, and succeeds once it lets go", async () => {
        const { network, docker, tries } = engine(2, {}, []);
        await removeNetwork(network, docker, QUICK);
        assert.equal(tries(), 3);
    });

    it("names, when the wait runs out, each container the network lists and whether the engine still has it", async () => {
        const listed = { aaaaaaaaaaaaaaaa: { Name: "osint-platform-dev-backend" }, bbbbbbbbbbbbbbbb: { Name: "osint-platform-dev-seed" } };
        const { network, docker } = engine(Infinity, listed, ["aaaaaaaaaaaaaaaa"]);
        await assert.rejects(
            removeNetwork(network, docker, QUICK),
            (err: Error) =>
                err instanceof ApplyError &&
                err.message.endsWith(
                    "has active endpoints; after 0.03 s: it lists osint-platform-dev-backend (aaaaaaaaaaaa, a container still there), osint-platform-dev-seed (bbbbbbbbbbbb, its container gone)",
                ),
        );
        const none = engine(Infinity, {}, []);
        await assert.rejects(removeNetwork(none.network, none.docker, QUICK), /; after 0\.03 s: it lists no container$/);
    });

    it("passes on any other error at once", async () => {
        const network = { remove: async () => Promise.reject(new Error("no such network")) } as unknown as Docker.Network;
        await assert.rejects(removeNetwork(network, {} as Docker, QUICK), /^Error: no such network$/);
    });
});
