// The README and the pages under docs/: short enough to read, every relative link resolving inside
// the repository, generated reference current, and the config keys they name declared.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { fields, PROJECT } from "../../config";
import { configReferenceBlock, renderConfigReference } from "../../tools/config-reference";
import { pagePath, withBlock } from "../../tools/generated-page";
import { projectDir } from "../helpers/plan";

/** The pages the README's journeys and contents lead to; some are written on other branches. */
const LINKED_FROM_README = [
    "docs/dev-stack.md",
    "docs/image-contract.md",
    "docs/aws-stacks.md",
    "docs/aws-security.md",
    "docs/security-review.md",
    "docs/policies.md",
    "docs/platform-team.md",
    "docs/tools.md",
    "docs/architecture.md",
    "docs/configuration.md",
    "docs/operations.md",
    "docs/pipeline.md",
    "docs/migrations.md",
    "docs/howto/add-a-service.md",
    "docs/howto/change-a-limit.md",
    "docs/howto/add-a-policy.md",
    "docs/howto/run-one-test.md",
];
const README_MAX_LINES = 250;

function markdownFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? markdownFiles(full) : entry.name.endsWith(".md") ? [full] : [];
    });
}

const pages = [path.join(projectDir, "README.md"), ...markdownFiles(path.join(projectDir, "docs"))];
const read = (file: string) => fs.readFileSync(file, "utf8");
const withoutCode = (text: string) => text.replace(/^```[\s\S]*?^```/gm, "");

/** Relative link targets of a page (not inside code blocks): [text](target). */
function links(text: string): string[] {
    return [...withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchors(text: string): Set<string> {
    const headings = withoutCode(text)
        .split("\n")
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) =>
            l
                .replace(/^#+ /, "")
                .toLowerCase()
                .replace(/[^\p{L}\p{N} _-]/gu, "")
                .replace(/ /g, "-"),
        );
    return new Set(headings);
}

describe("README and docs", () => {
    it(`the README stays under ${README_MAX_LINES} lines`, () => {
        const lines = read(path.join(projectDir, "README.md")).split("\n").length;
        assert.ok(lines < README_MAX_LINES, `README.md has ${lines} lines`);
    });

    it("the README links every journey and reference page", () => {
        const linked = new Set(links(read(path.join(projectDir, "README.md"))).map((t) => t.split("#")[0]));
        for (const page of LINKED_FROM_README) assert.ok(linked.has(page), `README links ${page}`);
    });

    for (const page of pages) {
        const name = path.relative(projectDir, page);
        it(`${name}: every relative link resolves inside the repository`, () => {
            const text = read(page);
            const broken = links(text).flatMap((target) => {
                const [file, anchor] = target.split("#");
                const resolved = file ? path.resolve(path.dirname(page), file) : page;
                if (path.relative(projectDir, resolved).startsWith("..")) return [`${target} (outside the repository)`];
                if (!fs.existsSync(resolved)) return [`${target} (no such file)`];
                if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor)) return [`${target} (no such heading)`];
                return [];
            });
            assert.deepEqual(broken, [], `${name} links ${[...new Set(broken)].join(", ")}`);
            // The design document lives in the shared design folder, not here: name it, never its path.
            assert.ok(!text.includes("environment-architecture.md"), `${name} names a file outside the repository`);
        });
    }

    it("docs name a README section only by a link to it (whose anchor the link check resolves), never in words", () => {
        for (const page of pages.filter((p) => !p.endsWith("README.md"))) {
            const words = withoutCode(read(page))
                .replace(/`[^`\n]*`/g, "")
                .replace(/\[[^\]]*\]\([^)]*\)/g, "");
            const bare = words.split("\n").filter((line) => /\bREADME\b/.test(line));
            assert.deepEqual(bare, [], `${path.relative(projectDir, page)} refers to the README without a link`);
        }
    });

    it("the Quick start installs once, then plans, then tests", () => {
        const quickStart = read(path.join(projectDir, "README.md"))
            .split(/^## Quick start$/m)[1]
            .split(/^```\w*$/m)[1];
        assert.deepEqual(quickStart.trim().split("\n"), ["npm ci", "npm run -s plan -- --stack dev", "npm test"]);
    });

    it("names only declared project config keys", () => {
        for (const page of pages) {
            for (const [, key] of withoutCode(read(page)).matchAll(new RegExp(`${PROJECT}:([a-zA-Z]+)`, "g"))) {
                assert.ok(key in fields, `${path.relative(projectDir, page)} names ${PROJECT}:${key}`);
            }
        }
    });

    it("docs/configuration.md carries the reference generated from Pulumi.yaml and config.ts (npm run -s config-reference -- --write)", async () => {
        const text = read(pagePath(configReferenceBlock));
        assert.equal(withBlock(configReferenceBlock, text, await renderConfigReference()), text, "docs/configuration.md is stale");
        for (const key of Object.keys(fields)) assert.ok(text.includes(`| \`${key}\` |`), `lists ${key}`);
    });
});
