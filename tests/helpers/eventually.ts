// For what another process does in its own time (a log line written after the response, a worktree
// mid-creation): poll instead of asserting at once, which fails only on a busy machine.
import { strict as assert } from "node:assert";

/** Resolves once `holds()` is true, polling every 50 ms; fails with `what()` after `timeoutMs`. */
export async function eventually(holds: () => boolean, what: () => string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!holds()) {
        assert.ok(Date.now() < deadline, `not within ${timeoutMs} ms: ${what()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}
