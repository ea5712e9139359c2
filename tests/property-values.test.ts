// Property values read as plain JSON: the plan copies them (plainValue); the check reads a file's
// values in place and frozen (plainFrozen). Both must give the same JSON for every signature form.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../lib/placeholders";
import { plainFrozen, plainValue } from "../lib/property-values";
import { ARCHIVE_SIG, ASSET_SIG, OUTPUT_VALUE_SIG, RESOURCE_SIG, SECRET_SIG, SIG_KEY, UNKNOWN_VALUE } from "../lib/signatures";

const rt = pulumi.runtime;
const signed = (sig: string, rest: Record<string, unknown>) => ({ [rt.specialSigKey]: sig, ...rest });
const special = fc.constantFrom<unknown>(
    rt.unknownValue,
    signed(rt.specialSecretSig, { ciphertext: "v1:bm9uY2U=:Y2lwaGVy" }),
    signed(rt.specialSecretSig, { value: "hunter2" }),
    signed(rt.specialResourceSig, { urn: "urn:pulumi:prod::osint-platform::aws:s3/bucket:Bucket::logs", id: "logs" }),
    signed(rt.specialOutputValueSig, { value: "plain", dependencies: [] }),
    signed(rt.specialOutputValueSig, { value: "hidden", secret: true }),
    signed(rt.specialOutputValueSig, {}),
    signed(rt.specialAssetSig, { path: "index.html" }),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.jsonValue({ maxDepth: 1 }),
        special,
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 5 }), tie("value"), { maxKeys: 4 }),
    ),
}));

const frozenThroughout = (v: unknown): boolean => v === null || typeof v !== "object" || (Object.isFrozen(v) && Object.values(v).every(frozenThroughout));

describe("property values as plain JSON", () => {
    it("read in place and frozen, give what the plan's copy gives, for every signature form", () => {
        fc.assert(
            fc.property(value, (v) => {
                const read = plainFrozen(structuredClone(v));
                assert.deepEqual(read, plainValue(v));
                assert.ok(frozenThroughout(read));
            }),
        );
    });

    it("hide secrets in every form and mark unknowns", () => {
        const read = plainFrozen({ a: special, list: [rt.unknownValue, signed(rt.specialSecretSig, { ciphertext: "x" })] });
        assert.deepEqual((read as { list: unknown[] }).list, [UNKNOWN_PLACEHOLDER, SECRET_PLACEHOLDER]);
        assert.doesNotMatch(JSON.stringify(plainFrozen(signed(rt.specialOutputValueSig, { value: "hidden", secret: true }))), /hidden/);
    });
});

describe("the signatures property values are read by (lib/signatures.ts, copied so the check's reader loads no SDK)", () => {
    it("are the SDK's own", () => {
        assert.deepEqual(
            [SIG_KEY, SECRET_SIG, RESOURCE_SIG, OUTPUT_VALUE_SIG, ASSET_SIG, ARCHIVE_SIG, UNKNOWN_VALUE],
            [rt.specialSigKey, rt.specialSecretSig, rt.specialResourceSig, rt.specialOutputValueSig, rt.specialAssetSig, rt.specialArchiveSig, rt.unknownValue],
        );
    });
});

describe("plainValue's reveal (the lab's real values, lab/apply)", () => {
    const nested = {
        uploads: [{ content: signed(rt.specialSecretSig, { value: "hunter2" }) }],
        env: signed(rt.specialOutputValueSig, { value: "pw", secret: true }),
    };

    it("keeps a secret's plaintext, a signature's and an output value's, only when asked", () => {
        assert.deepEqual(plainValue(nested, true), { uploads: [{ content: "hunter2" }], env: "pw" });
    });

    it("hides both as [secret] by default, as the plan must", () => {
        assert.deepEqual(plainValue(nested), { uploads: [{ content: SECRET_PLACEHOLDER }], env: SECRET_PLACEHOLDER });
    });
});
