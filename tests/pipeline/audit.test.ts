// The audit gate's verdicts on npm's own report format (npm audit --json, auditReportVersion 2).
import * as assert from "node:assert/strict";
import { auditVerdict } from "../../tools/audit";

function report(vulnerabilities: Record<string, string>): string {
    const counts: Record<string, number> = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: Object.keys(vulnerabilities).length };
    for (const severity of Object.values(vulnerabilities)) counts[severity]++;
    return JSON.stringify({
        auditReportVersion: 2,
        vulnerabilities: Object.fromEntries(Object.entries(vulnerabilities).map(([name, severity]) => [name, { name, severity, isDirect: false }])),
        metadata: { vulnerabilities: counts, dependencies: { prod: 250, dev: 40, optional: 2, peer: 0, peerOptional: 0, total: 290 } },
    });
}

const endpointError = JSON.stringify({
    message: "405 Method Not Allowed - POST /-/npm/v1/security/advisories/bulk",
    statusCode: 405,
    error: { summary: "", detail: "" },
});

describe("npm audit gate (high severity)", () => {
    it("passes a clean report and one with only low and moderate advisories", () => {
        assert.deepEqual(auditVerdict(report({}), true), { exitCode: 0, message: "npm audit passed: 0 high, 0 critical in 290 dependencies" });
        assert.equal(auditVerdict(report({ semver: "moderate", debug: "low" }), true).exitCode, 0);
    });

    it("fails on a high or a critical advisory and names the package", () => {
        const high = auditVerdict(report({ protobufjs: "high", debug: "low" }), false);
        assert.equal(high.exitCode, 1);
        assert.equal(high.message, "npm audit FAILED: 1 high, 0 critical: protobufjs (high)");
        assert.equal(auditVerdict(report({ "node-forge": "critical" }), false).exitCode, 1);
    });

    it("says NOT RUN when the endpoint gives no report, and fails then only when AUDIT_REQUIRED", () => {
        const lenient = auditVerdict(endpointError, false);
        assert.equal(lenient.exitCode, 0);
        assert.match(lenient.message, /^npm audit NOT RUN: .*405 Method Not Allowed/);
        const strict = auditVerdict(endpointError, true);
        assert.equal(strict.exitCode, 1);
        assert.match(strict.message, /^npm audit FAILED: .*AUDIT_REQUIRED=true$/);
        assert.equal(auditVerdict("npm ERR! network", true).exitCode, 1);
    });
});
