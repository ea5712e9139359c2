// The one registry of the standards the pack's control ids come from, each with the version the ids
// are read from. A rule's control is "<standard> <id>" (e.g. "AWS FSBP S3.5", "CIS Docker 5.5"); its
// prefix must be a key of STANDARDS (the type says so, tests/policies/standards.test.ts checks every
// rule), and docs/policies.md prints this table (policies/lib/reference.ts: standardsTable).
//
// Security Hub CSPM runs one catalog of controls (S3.5, KMS.4, ...) and enables each in one or more
// standards; a control listed by the FSBP standard is "AWS FSBP", one that only the CIS, NIST or PCI
// standards list is named after the first of those that lists it (the user guide's control pages give
// each control's "Related requirements", the FSBP standard page the controls it applies).

export interface Standard {
    /** The standard's full name. */
    readonly title: string;
    /** The version (or, for a tool, the commit) the ids were read from. */
    readonly version: string;
    /** What the id after the prefix is. */
    readonly ids: string;
    /** Where the ids and what each checks were read. */
    readonly source: string;
}

const SECURITY_HUB_IDS = "the Security Hub CSPM control id (the catalog's, e.g. KMS.4), for a control the standard enables";
const SECURITY_HUB_GUIDE = "AWS Security Hub CSPM user guide: control reference and per-service control pages (Related requirements), read 2026-12-07";

export const STANDARDS = {
    "CIS Docker": {
        title: "CIS Docker Benchmark",
        version: "v1.6.0",
        ids: "section number; v1.5.0 added 5.1 (swarm mode), so section 5 of v1.4.0 and earlier is one lower",
        source: "docker/docker-bench-security tests/4_container_images.sh and tests/5_container_runtime.sh (commit ff26d67, 2024-10-21), which number the v1.6.0 checks",
    },
    "AWS FSBP": {
        title: "AWS Foundational Security Best Practices (Security Hub CSPM standard)",
        version: "v1.0.0",
        ids: SECURITY_HUB_IDS,
        source: `${SECURITY_HUB_GUIDE}; "AWS Foundational Security Best Practices standard" (fsbp-standard) lists the controls it applies`,
    },
    "CIS AWS": {
        title: "CIS AWS Foundations Benchmark (Security Hub CSPM standard)",
        version: "v3.0.0",
        ids: SECURITY_HUB_IDS,
        source: `${SECURITY_HUB_GUIDE} (e.g. KMS.4: CIS AWS Foundations Benchmark v3.0.0/3.6)`,
    },
    "NIST 800-53": {
        title: "NIST SP 800-53 (Security Hub CSPM standard)",
        version: "Rev. 5",
        ids: SECURITY_HUB_IDS,
        source: `${SECURITY_HUB_GUIDE} (NIST.800-53.r5 requirements)`,
    },
    "PCI DSS": {
        title: "PCI DSS (Security Hub CSPM standard)",
        version: "v4.0.1",
        ids: SECURITY_HUB_IDS,
        source: `${SECURITY_HUB_GUIDE} (PCI DSS v4.0.1 requirements)`,
    },
    Checkov: {
        title: "Checkov (Bridgecrew/Prisma Cloud) policies",
        version: "commit 03d5fdad8d61, 2026-08-20",
        ids: "the check's id in its source (CKV_*, CKV2_*)",
        source: "bridgecrewio/checkov checkov/terraform/checks, checkov/dockerfile/checks, checkov/kubernetes/checks",
    },
    "AWS Control Tower": {
        title: "AWS Control Tower proactive controls",
        version: "control reference, read 2026-12-07",
        ids: "the control's id (CT.<SERVICE>.PR.<n>)",
        source: "AWS Control Tower user guide, controls reference",
    },
    "AWS Well-Architected": {
        title: "AWS Well-Architected Framework",
        version: "2024-06-27",
        ids: "the best practice's id (SEC09-BP02)",
        source: "AWS Well-Architected Framework, Security and Reliability pillars",
    },
} as const satisfies Record<string, Standard>;

export type StandardName = keyof typeof STANDARDS;

/** A control a rule implements, as reviewers cite it: "<standard> <id>". */
export type ControlId = `${StandardName} ${string}`;

// Longest first, so "CIS Docker" is not read as a "CIS" prefix of something else.
const NAMES = (Object.keys(STANDARDS) as StandardName[]).sort((a, b) => b.length - a.length);

/** The standard a control names and the id within it, or undefined when its prefix is no registered standard. */
export function parseControl(control: string): { readonly standard: StandardName; readonly id: string } | undefined {
    const standard = NAMES.find((name) => control.startsWith(`${name} `));
    const id = standard === undefined ? "" : control.slice(standard.length + 1).trim();
    return standard === undefined || id === "" ? undefined : { standard, id };
}

/** "AWS FSBP S3.5" → "AWS FSBP v1.0.0 S3.5": the control with the version its standard is read at. */
export function versioned(control: string): string {
    const parsed = parseControl(control);
    return parsed ? `${parsed.standard} ${STANDARDS[parsed.standard].version} ${parsed.id}` : control;
}
