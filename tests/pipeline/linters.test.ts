// Linters for every language in the repository, run by `npm run static`: shellcheck on every shell
// script, and the GitHub Actions validator (tools/lint-workflows.ts) on .github/. Each is shown to pass
// on the repository and to fail on a broken copy.
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "./modules";
import { TS_HOOK } from "../helpers/hook";

const scripts = (JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const SKIPPED = new Set(["node_modules", ".git", "coverage", ".nyc_output", "rendered", "out"]);

/** Every shell script in the repository: a .sh file, or a file whose first line runs sh or bash. */
function shellScripts(dir = repositoryRoot): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : shellScripts(file);
        if (!entry.isFile()) return [];
        const shebang = /^#!\S*\/(env )?(ba)?sh\b/.test(fs.readFileSync(file, "utf8").slice(0, 100));
        return entry.name.endsWith(".sh") || shebang ? [path.relative(repositoryRoot, file)] : [];
    });
}

function run(command: string, args: string[], cwd = repositoryRoot) {
    return spawnSync(command, args, { cwd, encoding: "utf8" });
}

function lintWorkflows(dir: string) {
    return run(process.execPath, ["--require", TS_HOOK, "tools/lint-workflows.ts", "--dir", dir]);
}

describe("linters for every language (npm run static)", function () {
    it("static runs shellcheck and the workflow validator besides type-check, ESLint, Prettier and audit", () => {
        for (const check of ["lint:shell", "lint:workflows"]) assert.match(scripts.static, new RegExp(`npm run ${check} `));
        assert.match(scripts["lint:shell"], /^shellcheck /);
        assert.match(scripts["lint:workflows"], /^node --require \S+ tools\/lint-workflows\.ts$/);
    });

    it("shellcheck covers every shell script, and they pass it", () => {
        const found = shellScripts().sort();
        for (const known of ["components/backups/osint-backup.sh", ".ci/run", "tools/provision.sh"]) assert.ok(found.includes(known), known);
        assert.ok(found.some((f) => f.startsWith("database/init/")));
        // The files lint:shell names, its globs expanded by the shell npm runs it in.
        const named = run("sh", ["-c", `printf '%s\\n' ${scripts["lint:shell"].replace(/^shellcheck /, "")}`])
            .stdout.trim()
            .split("\n")
            .sort();
        assert.deepEqual(named, found);
        const lint = run("shellcheck", named);
        assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    });

    it("shellcheck fails a script with the note osint-backup.sh had (SC2015: A && B || C is not if-then-else)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "osint-shellcheck-"));
        const script = path.join(dir, "broken.sh");
        fs.writeFileSync(script, '#!/bin/sh\nfail() { echo "$1"; exit 3; }\n[ -d "$1" ] && [ -w "$1" ] || fail "not a writable directory"\n');
        const lint = run("shellcheck", [script]);
        fs.rmSync(dir, { recursive: true, force: true });
        assert.equal(lint.status, 1);
        assert.match(lint.stdout, /SC2015/);
    });

    it("the workflow validator accepts .github/, whose workflow reads the vars context", () => {
        assert.match(fs.readFileSync(path.join(repositoryRoot, ".github", "workflows", "ci-cd.yml"), "utf8"), /\$\{\{ vars\.\w+/);
        const lint = lintWorkflows(".github");
        assert.equal(lint.status, 0, lint.stdout + lint.stderr);
        assert.match(lint.stdout, /^\d+ GitHub Actions files under \.github valid\n$/);
    });

    it("the workflow validator fails a broken copy, naming file, line and problem: an unknown context, a misspelt key, an action without runs", () => {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "osint-github-"));
        try {
            fs.cpSync(path.join(repositoryRoot, ".github"), copy, { recursive: true });
            const workflowFile = path.join(copy, "workflows", "ci-cd.yml");
            const workflow = fs.readFileSync(workflowFile, "utf8");
            const line = workflow.split("\n").findIndex((l) => l.includes("${{ vars.")) + 1;
            fs.writeFileSync(workflowFile, workflow.replace("${{ vars.", "${{ varz.").replace("timeout-minutes:", "timeout-minute:"));
            const actionFile = path.join(copy, "actions", "pulumi-stack", "action.yml");
            fs.writeFileSync(actionFile, fs.readFileSync(actionFile, "utf8").replace(/^runs:/m, "run:"));
            const lint = lintWorkflows(copy);
            assert.equal(lint.status, 1, lint.stdout + lint.stderr);
            assert.match(lint.stdout, new RegExp(`^${workflowFile}:${line}:\\d+: undefined variable "varz"\\..* \\[expression\\]$`, "m"));
            assert.match(lint.stdout, new RegExp(`^${workflowFile}:\\d+:\\d+: unexpected key "timeout-minute" for "job" section`, "m"));
            assert.match(lint.stdout, new RegExp(`^${actionFile}:.*\\[action-schema\\]$`, "m"));
        } finally {
            fs.rmSync(copy, { recursive: true, force: true });
        }
    });
});
