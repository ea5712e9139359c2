// Every test process (each worker of `parallel`) gets a temporary folder of its own as TMPDIR, which
// the tests and the tools they start inherit (os.tmpdir() reads it). A test file that leaves
// anything in it once its suites' own after hooks ran fails the root "after all" hook, naming what
// it left; the folder itself is removed when the process exits. A worker runs one file at a time,
// so what is left is that file's.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "osint-tests-"));
process.env.TMPDIR = root;
process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));

/** What a test file left in the temporary folder, removed so the next file starts empty. */
export function leftovers(dir = root): string[] {
    const left = fs.readdirSync(dir);
    for (const entry of left) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    return left;
}

export const mochaHooks = {
    afterAll(): void {
        const left = leftovers();
        assert.deepEqual(left, [], `the test file left ${left.join(", ")} in the temporary folder: remove what a test creates in an after hook`);
    },
};
