// Every control a rule claims names a standard of the one registry (policies/lib/standards.ts), in the
// form that standard numbers its ids; scoped controls name types the rule judges; the ids issue 23
// found tagged with the wrong standard are no longer claimed as AWS FSBP.
import { strict as assert } from "node:assert";
import { policyReference } from "../../policies/lib/reference";
import { parseControl, STANDARDS, versioned } from "../../policies/lib/standards";
import { controlsFor, rules } from "../../policies/rules";
import { T } from "./helpers";

// How each standard numbers its ids (Security Hub's catalog ids for the Security Hub standards and the catalog itself).
const SECURITY_HUB_ID = /^[A-Za-z0-9]+\.\d+$/;
const ID_FORM: Record<keyof typeof STANDARDS, RegExp> = {
    "CIS Docker": /^\d+\.\d+$/,
    "AWS FSBP": SECURITY_HUB_ID,
    "CIS AWS": SECURITY_HUB_ID,
    "CIS AWS v1.2.0": SECURITY_HUB_ID,
    "NIST 800-53": SECURITY_HUB_ID,
    "PCI DSS": SECURITY_HUB_ID,
    "Security Hub": SECURITY_HUB_ID,
    Checkov: /^CKV2?_[A-Z0-9]+_\d+$/,
    "AWS Control Tower": /^CT\.[A-Z]+\.PR\.\d+$/,
    "AWS Well-Architected": /^[A-Z]{3}\d{2}-BP\d{2}$/,
};

describe("control ids and the registry of standards", () => {
    it("gives every control of every rule a registered standard, with a version, and an id in that standard's form", () => {
        for (const rule of rules) {
            assert.ok(rule.controls.length > 0, rule.name);
            for (const control of rule.controls) {
                const parsed = parseControl(control);
                assert.ok(parsed, `${rule.name}: ${control} names no standard of policies/lib/standards.ts`);
                assert.match(parsed.id, ID_FORM[parsed.standard], `${rule.name}: ${control}`);
                assert.ok(STANDARDS[parsed.standard].version.length > 0);
            }
        }
        for (const standard of Object.values(STANDARDS)) for (const field of Object.values(standard)) assert.ok(field.trim().length > 0);
    });

    it("refuses a prefix the registry does not hold, and versions a control from the registry", () => {
        for (const control of ["FSBP S3.5", "CIS S3.5", "AWS FSBP", "AWS FSBP ", "Checkov", "cis docker 5.5"])
            assert.equal(parseControl(control), undefined, control);
        assert.deepEqual(parseControl("CIS Docker 5.5"), { standard: "CIS Docker", id: "5.5" });
        assert.equal(versioned("AWS FSBP S3.5"), `AWS FSBP ${STANDARDS["AWS FSBP"].version} S3.5`);
        // A standard registered at one version is not read as "CIS AWS" with an id "v1.2.0 EC2.14", nor versioned twice.
        assert.deepEqual(parseControl("CIS AWS v1.2.0 EC2.14"), { standard: "CIS AWS v1.2.0", id: "EC2.14" });
        assert.equal(versioned("CIS AWS v1.2.0 EC2.14"), "CIS AWS v1.2.0 EC2.14");
    });

    it("scopes a control only to types the rule judges, and a finding on another type does not cite it", () => {
        for (const rule of rules) {
            const judged = new Set(policyReference([rule])[0].resourceTypes);
            for (const [control, scope] of Object.entries(rule.controlScopes ?? {})) {
                assert.ok((rule.controls as readonly string[]).includes(control), `${rule.name}: scoped ${control} is one of its controls`);
                for (const token of scope ?? []) assert.ok(judged.has(token), `${rule.name}: ${control} scoped to ${token}`);
            }
        }
        const admin = rules.find((r) => r.name === "iam-no-admin-policy") ?? assert.fail();
        // FSBP IAM.1 judges customer-managed policies; Checkov CKV_AWS_62 the IAM policy resources; neither a bucket policy.
        assert.deepEqual(controlsFor(admin, T.iamPolicy), ["AWS FSBP IAM.1", "Checkov CKV_AWS_62"]);
        assert.deepEqual(controlsFor(admin, T.rolePolicy), ["Checkov CKV_AWS_62"]);
        assert.deepEqual(controlsFor(admin, T.bucketPolicy), []);
    });

    it("claims none of the Security Hub ids that are not FSBP controls as AWS FSBP (issue 23)", () => {
        // Enabled in the CIS AWS, NIST 800-53 or PCI DSS standards of Security Hub, not in FSBP v1.0.0.
        const notFsbp = ["ECS.17", "ECS.20", "ELB.16", "WAF.11", "S3.14", "S3.17", "KMS.4", "EC2.13", "EC2.14", "EC2.53", "EC2.54", "CloudWatch.16"];
        const claimed = rules.flatMap((r) => r.controls.map((c) => parseControl(c))).filter((c) => c?.standard === "AWS FSBP");
        assert.deepEqual(
            claimed.filter((c) => notFsbp.includes(c?.id ?? "")),
            [],
        );
    });

    it("claims a control that no Security Hub standard enables only as the catalog's (ECS.20, issue 23)", () => {
        // ecs-controls.html#ecs-20 gives no Related requirements, and no standard's page lists it.
        const inNoStandard = ["ECS.20"];
        const claims = rules.flatMap((r) => r.controls.map((c) => parseControl(c))).filter((c) => inNoStandard.includes(c?.id ?? ""));
        assert.ok(claims.length > 0);
        assert.deepEqual(new Set(claims.map((c) => c?.standard)), new Set(["Security Hub"]));
    });
});
