// Jenkins xunit-plugin's junit-10.xsd, encoded: the schema is read from jenkinsci/xunit-plugin
// src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd (last changed in commit
// ae25da5089d4, 2018-12-15) and not copied into the repository. For each element: the attributes
// allowed (and required), the child elements allowed, and whether text may appear (mixed content or
// xs:string). junitProblems() returns every place a document breaks them, so the suite checks the
// check's JUnit against the schema's facts without a schema file or a native validator.
import { XMLParser, XMLValidator } from "fast-xml-parser";

interface ElementRule {
    readonly attributes: readonly string[];
    readonly required?: readonly string[];
    readonly children: readonly string[];
    readonly text: boolean;
}

// xs:simpleType SUREFIRE_TIME (XSD patterns match the whole value).
const SUREFIRE_TIME = /^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]{0,3})?$/;
const TYPED: Readonly<Record<string, Readonly<Record<string, RegExp>>>> = { testsuites: { time: SUREFIRE_TIME }, testsuite: { time: SUREFIRE_TIME } };

const messageElement: ElementRule = { attributes: ["type", "message"], children: [], text: true };
const rerun: ElementRule = { attributes: ["message", "type"], required: ["type"], children: ["stackTrace", "system-out", "system-err"], text: true };
const textOnly: ElementRule = { attributes: [], children: [], text: true };

export const JUNIT_10: Readonly<Record<string, ElementRule>> = {
    testsuites: { attributes: ["name", "time", "tests", "failures", "errors"], children: ["testsuite"], text: false },
    testsuite: {
        attributes: [
            "name",
            "tests",
            "failures",
            "errors",
            "group",
            "time",
            "skipped",
            "timestamp",
            "hostname",
            "id",
            "package",
            "file",
            "log",
            "url",
            "version",
        ],
        required: ["name", "tests", "failures", "errors"],
        children: ["testsuite", "properties", "testcase", "system-out", "system-err"],
        text: false,
    },
    testcase: {
        attributes: ["name", "time", "classname", "group"],
        required: ["name"],
        children: ["skipped", "error", "failure", "rerunFailure", "rerunError", "flakyFailure", "flakyError", "system-out", "system-err"],
        text: false,
    },
    failure: messageElement,
    error: messageElement,
    skipped: messageElement,
    properties: { attributes: [], children: ["property"], text: false },
    property: { attributes: ["name", "value"], required: ["name", "value"], children: [], text: false },
    "system-out": textOnly,
    "system-err": textOnly,
    stackTrace: textOnly,
    rerunFailure: rerun,
    rerunError: rerun,
    flakyFailure: rerun,
    flakyError: rerun,
};

type Node = Record<string, unknown>;
const ATTRIBUTES = ":@";
const TEXT = "#text";

function check(name: string, node: Node, where: string, problems: string[]): void {
    const rule = JUNIT_10[name];
    const attributes = (node[ATTRIBUTES] ?? {}) as Record<string, string>;
    for (const [attribute, value] of Object.entries(attributes)) {
        const bare = attribute.slice(2);
        if (!rule.attributes.includes(bare)) problems.push(`${where}: attribute ${bare} is not allowed on <${name}>`);
        const type = TYPED[name]?.[bare];
        if (type && !type.test(value)) problems.push(`${where}: ${bare}=${JSON.stringify(value)} is not a SUREFIRE_TIME`);
    }
    for (const attribute of rule.required ?? []) if (!(`@_${attribute}` in attributes)) problems.push(`${where}: <${name}> requires ${attribute}`);
    const children = (node[name] ?? []) as Node[];
    children.forEach((child, i) => {
        const [childName] = Object.keys(child).filter((k) => k !== ATTRIBUTES);
        const at = `${where}/${childName}[${i}]`;
        if (childName === TEXT) {
            if (!rule.text && String(child[TEXT]).trim() !== "") problems.push(`${at}: <${name}> holds no text`);
        } else if (!rule.children.includes(childName)) problems.push(`${at}: <${childName}> is not allowed in <${name}>`);
        else check(childName, child, at, problems);
    });
}

/** Every way `xml` breaks junit-10.xsd (its root must be <testsuites>); empty when it is valid. */
export function junitProblems(xml: string): string[] {
    const wellFormed = XMLValidator.validate(xml);
    if (wellFormed !== true) return [`not well-formed XML: line ${wellFormed.err.line}: ${wellFormed.err.msg}`];
    // XML 1.0's Char production: no C0 controls but tab, newline and carriage return; no U+FFFE/U+FFFF.
    // eslint-disable-next-line no-control-regex
    const illegal = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(xml);
    if (illegal) return [`character U+${illegal[0].charCodeAt(0).toString(16).padStart(4, "0")} is not allowed in XML 1.0`];
    const parsed = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false, trimValues: false, processEntities: true }).parse(
        xml,
    ) as Node[];
    const roots = parsed.filter((n) => !("?xml" in n));
    const problems: string[] = [];
    const elements = roots.filter((n) => !(TEXT in n));
    if (elements.length !== 1 || !("testsuites" in elements[0]))
        return [`expected one root element <testsuites>, found ${JSON.stringify(elements.map((n) => Object.keys(n)[0]))}`];
    check("testsuites", elements[0], "/testsuites", problems);
    return problems;
}
