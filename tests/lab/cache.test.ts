// Where the lab keeps its Debian packages and images: a folder that outlives the checkout (so a fresh
// clone reuses it), which OSINT_LAB_CACHE moves.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheFolder } from "../../lab/images/cache";

describe("the lab's cache folder", () => {
    const saved = { OSINT_LAB_CACHE: process.env.OSINT_LAB_CACHE, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, HOME: process.env.HOME };
    let scratch: string;
    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "osint-lab-cache-"));
        delete process.env.OSINT_LAB_CACHE;
        delete process.env.XDG_CACHE_HOME;
    });
    afterEach(() => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("is OSINT_LAB_CACHE when set, created if missing", () => {
        process.env.OSINT_LAB_CACHE = path.join(scratch, "mine");
        process.env.XDG_CACHE_HOME = path.join(scratch, "xdg");
        assert.equal(cacheFolder(), path.join(scratch, "mine"));
        assert.ok(fs.statSync(path.join(scratch, "mine")).isDirectory());
    });

    it("else osint-platform/lab in XDG_CACHE_HOME, else in ~/.cache: outside the checkout, so npm ci and a fresh clone keep it", () => {
        process.env.XDG_CACHE_HOME = path.join(scratch, "xdg");
        assert.equal(cacheFolder(), path.join(scratch, "xdg", "osint-platform", "lab"));
        delete process.env.XDG_CACHE_HOME;
        process.env.HOME = scratch;
        assert.equal(cacheFolder(), path.join(scratch, ".cache", "osint-platform", "lab"));
        assert.ok(!cacheFolder().startsWith(path.resolve(__dirname, "..", "..")));
    });
});
