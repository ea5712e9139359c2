// The rules name resource types by token (policies/lib/resource-types.ts), so a check of a file loads
// no SDK. Each token must be the one the SDK's class carries (what the engine writes as a resource's
// type, and what the analyzer compares), and each must be one the pack uses.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as sdkAws from "@pulumi/aws";
import * as sdkDocker from "@pulumi/docker";
import { aws, docker, typeTokens } from "../../policies/lib/resource-types";
import { validateTypes } from "../../policies/lib/values";
import { projectDir } from "../helpers/plan";

/** Every entry of the table, by the name a rule writes for it: `aws.s3.Bucket`, `docker.Container`. */
const entries = (): [string, string][] => [
    ...Object.entries(aws).flatMap(([module, types]) => Object.entries(types).map(([name, token]): [string, string] => [`aws.${module}.${name}`, token])),
    ...Object.entries(docker).map(([name, token]): [string, string] => [`docker.${name}`, token]),
];

/** The class an entry stands for, looked up in the installed SDK (undefined when it has none of that name). */
function sdkClass(entry: string): unknown {
    const [pkg, ...rest] = entry.split(".");
    return rest.reduce<unknown>((scope, key) => (scope as Record<string, unknown> | undefined)?.[key], pkg === "aws" ? sdkAws : sdkDocker);
}

/** The pack's TypeScript (rules and their libraries, not the table), comments removed. */
function packCode(): string {
    const policies = path.join(projectDir, "policies");
    return (fs.readdirSync(policies, { recursive: true }) as string[])
        .filter((file) => file.endsWith(".ts") && file !== path.join("lib", "resource-types.ts"))
        .map((file) => fs.readFileSync(path.join(policies, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ""))
        .join("\n");
}

describe("the resource types the rules name", () => {
    it("are each the token the installed SDK's class carries", () => {
        const table = entries();
        assert.ok(table.length > 0);
        for (const [entry, token] of table) assert.equal((sdkClass(entry) as { __pulumiType?: string } | undefined)?.__pulumiType, token, entry);
    });

    it("refuse, when the pack loads, an SDK class or a string that is no token in a token's place (it would judge nothing)", () => {
        assert.deepEqual(typeTokens([aws.sqs.QueuePolicy, docker.Container]), [aws.sqs.QueuePolicy, docker.Container]);
        // What a newcomer writes with `import * as aws from "@pulumi/aws"`: the type check refuses it, the require hook does not.
        const fromSdk = [sdkAws.sqs.Queue] as unknown as string[];
        assert.throws(
            () => validateTypes(fromSdk, () => undefined),
            /^TypeError: expected a type token such as aws\.s3\.Bucket from policies\/lib\/resource-types\.ts, found the SDK class Queue: rules name types by token \(docs\/policies\.md\)$/,
        );
        assert.throws(() => typeTokens(["aws.sqs.Queue"]), /found "aws\.sqs\.Queue"/);
    });

    it("are each named by the pack's code", () => {
        const code = packCode();
        const unused = entries().filter(([entry]) => !new RegExp(`\\b${entry.replaceAll(".", "\\.")}\\b`).test(code));
        assert.deepEqual(unused, []);
    });
});
