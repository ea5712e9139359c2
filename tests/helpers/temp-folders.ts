// Every test process gets a temporary folder of its own as TMPDIR, which the tests and the tools they
// start inherit (os.tmpdir() reads it), and it is removed when the process exits. Mocha's workers are
// started by the main process, so their folders lie inside its own, and a run of the suite leaves
// nothing in the machine's temporary folder (it left osint-plan-* folders) even where a worker is
// stopped without its exit handlers. Nothing is removed between test files: a helper may keep a
// folder for the whole process (the database project copy). The folder is readable by all: the
// PostgreSQL tests run the server and psql as the postgres user.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "osint-tests-"));
fs.chmodSync(root, 0o755);
process.env.TMPDIR = root;
process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));
