// Runs TypeScript on require, for the tools, `pulumi up` (Pulumi.yaml nodeargs) and the policy pack:
// sucrase strips the types and turns imports into CommonJS while keeping every line where it was, so
// stack traces and the SDK's source positions point at the .ts line without a source map. Output is
// cached by content under node_modules/.cache, so only changed files are compiled again. Under
// coverage (c8 sets NODE_V8_COVERAGE for the test processes), each file also carries an inline
// source map, so coverage lands on the .ts lines and columns.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

// Node 20 runs `?.`, `??` and class fields itself, so sucrase leaves them (its helper functions for
// them cost a plan tens of milliseconds); native class fields are also what tsconfig's ES2022 target
// type-checks against.
const OPTIONS = { transforms: ["typescript", "imports"], disableESTransforms: true };
// OSINT_TS_CACHE moves the cache (the tests use a temporary one).
const CACHE_DIR = process.env.OSINT_TS_CACHE || path.join(__dirname, "..", "node_modules", ".cache", "osint-ts");
const SOURCE_MAPS = Boolean(process.env.NODE_V8_COVERAGE);
const VERSION = `${require("sucrase/package.json").version} ${JSON.stringify(OPTIONS)}${SOURCE_MAPS ? " source maps" : ""}`;

function transform(source, filename) {
    // sucrase itself is loaded only when something needs compiling.
    const { transform } = require("sucrase");
    if (!SOURCE_MAPS) return transform(source, { ...OPTIONS, filePath: filename }).code;
    const { code, sourceMap } = transform(source, { ...OPTIONS, filePath: filename, sourceMapOptions: { compiledFilename: filename } });
    return `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(sourceMap)).toString("base64")}`;
}

function compile(source, filename) {
    const key = crypto.createHash("sha256").update(VERSION).update("\0").update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(CACHE_DIR, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        const code = transform(source, filename);
        try {
            // Written aside and renamed, so a concurrent run never reads half a file.
            fs.mkdirSync(CACHE_DIR, { recursive: true });
            const partial = `${cached}.${process.pid}`;
            fs.writeFileSync(partial, code);
            fs.renameSync(partial, cached);
        } catch {
            // A read-only checkout only loses the cache.
        }
        return code;
    }
}

Module._extensions[".ts"] = function (module, filename) {
    module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
};
