// The check's JUnit as Jenkins xunit-plugin's junit-10.xsd takes it (issue 22, item 7), encoded in
// ./junit-constraints.ts: the dev stack's result and hostile URNs and messages, and the constraints
// shown refusing what today's readers refuse (skipped on <testsuites>, file on <testcase>).
import { strict as assert } from "node:assert";
import { XMLParser } from "fast-xml-parser";
import type { CheckedResource, Violation } from "../../policies/offline";
import { at } from "../../policies/lib/report";
import { buildReport } from "../../policies/report/findings";
import { renderJunit } from "../../policies/report/junit";
import { T } from "./helpers";
import { junitProblems } from "./junit-constraints";

const HOSTILE = "db\u001b[2J\u0000]]><x>&\"'";
const urn = `urn:pulumi:prod::osint-platform::${T.rds}::${HOSTILE}`;

function junitOf(violations: readonly Violation[], resources: readonly CheckedResource[] = []): string {
    return renderJunit(buildReport(violations, resources, { stack: "prod", format: "export" }));
}

describe("check output: JUnit against junit-10.xsd", () => {
    const resource: CheckedResource = {
        urn,
        type: T.rds,
        name: HOSTILE,
        parent: null,
        protect: false,
        inputs: {},
        outputs: {},
        source: { file: "components/database/aws.ts", line: 120 },
    };
    const violations: Violation[] = [
        { policy: "rds-storage-encrypted", enforcement: "mandatory", urn, message: at("storageEncrypted", `found ${HOSTILE}`), waived: null },
        {
            policy: "rds-iam-auth",
            enforcement: "mandatory",
            urn,
            message: at("iamDatabaseAuthenticationEnabled", "x"),
            waived: { resource: "*", reason: `accepted ${HOSTILE}`, expires: "2027-01-31" },
        },
        { policy: "rds-multi-az", enforcement: "advisory", urn, message: at("multiAz", "x"), waived: null },
    ];

    it("is valid with failures, waived (skipped) and advisory cases on a URN holding control characters and markup", () => {
        const xml = junitOf(violations, [resource]);
        assert.deepEqual(junitProblems(xml), []);
        const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["testsuite", "testcase"].includes(name) }).parse(xml) as {
            testsuites: { testsuite: { "@_name": string; "@_skipped": string; testcase: { "@_name": string; "system-out"?: string }[] }[] };
        };
        const suite = parsed.testsuites.testsuite.find((s) => s["@_name"] === "rds-storage-encrypted") ?? assert.fail();
        const found = suite.testcase.find((c) => c["system-out"] !== undefined) ?? assert.fail();
        // Characters XML 1.0 cannot carry become U+FFFD; markup survives as text.
        assert.equal(found["@_name"], urn.replace("\u001b", "\ufffd").replace("\u0000", "\ufffd"));
        assert.match(found["system-out"] ?? "", /registered at: components\/database\/aws\.ts:120/);
        assert.equal(parsed.testsuites.testsuite.find((s) => s["@_name"] === "rds-iam-auth")?.["@_skipped"], "1");
    });

    it("refuses what junit-10.xsd refuses: skipped on <testsuites>, file on <testcase>, a case without a name, text in a suite", () => {
        const xml = junitOf(violations, [resource]);
        const breaks: [string, string][] = [
            ["skipped on testsuites", xml.replace("<testsuites ", '<testsuites skipped="0" ')],
            ["file on testcase", xml.replace("<testcase ", '<testcase file="x.ts" ')],
            ["a testcase without a name", xml.replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"')],
            ["text in a testsuite", xml.replace(/(<testsuite [^>]*>)/, "$1stray")],
            ["a time that is not SUREFIRE_TIME", xml.replace("<testsuites ", '<testsuites time="1.5s" ')],
            ["an unknown element", xml.replace("<testcase ", "<case/><testcase ")],
            ["an ESC character", xml.replace("<testsuites ", "<testsuites \u001b ")],
        ];
        for (const [what, broken] of breaks) {
            assert.notEqual(broken, xml, what);
            assert.notDeepEqual(junitProblems(broken), [], what);
        }
    });
});
