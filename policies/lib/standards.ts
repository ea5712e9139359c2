// The one registry of the standards the pack's control ids come from, each with the version the ids
// are read from. A rule's control is "<standard> <id>" (e.g. "AWS FSBP S3.5", "CIS Docker 5.5"); its
// prefix must be a key of STANDARDS (the type says so, tests/policies/standards.test.ts checks every
// rule), and docs/policies.md prints this table (policies/lib/reference.ts: standardsTable).
//
// Security Hub CSPM runs one catalog of controls (S3.5, KMS.4, ...) and enables each in one or more
// standards; a control listed by the FSBP standard is "AWS FSBP", one that only the CIS, NIST or PCI
// standards list is named after the first of those that lists it, one that no standard lists is "Security
// Hub" (the user guide's control pages give each control's "Related requirements", the FSBP standard page
// the controls it applies).
//
// The ids a rule claims outside FSBP, with every Security Hub standard that lists each, as read from the
// user guide's source (awsdocs/aws-security-hub-user-guide doc_source/, commit bda5bf7, 2023-03-10,
// the last before the repository was archived; the pages are docs.aws.amazon.com/securityhub/latest/
// userguide/<service>-controls.html#<id>). The FSBP page of that source (fsbp-standard.md) lists none
// of them. A standard at another version than this registry's is named but not claimed:
// - KMS.4 (kms-controls.html#kms-4): CIS AWS v1.2.0/2.8, v1.4.0/3.8 (v3.0.0/3.6 in today's guide),
//   NIST 800-53 Rev. 5 SC-12, SC-28(3), PCI DSS v3.2.1/3.6.4 → "CIS AWS KMS.4", "NIST 800-53 KMS.4".
// - EC2.13 (ec2-controls.html#ec2-13): CIS AWS v1.2.0/4.1, PCI DSS v3.2.1/1.2.1, 1.3.1, 2.2.2,
//   NIST 800-53 Rev. 5 AC-4, CM-7, SC-7 → "NIST 800-53 EC2.13" (not PCI DSS v4.0.1, as it was claimed).
// - EC2.14 (ec2-controls.html#ec2-14): CIS AWS v1.2.0/4.2 only → "CIS AWS v1.2.0 EC2.14" (not PCI DSS).
//   Today's pci-standard lists EC2.13 and EC2.14 under PCI DSS v4.0.1 (their sections not re-read).
// - S3.14 (s3-controls.html#s3-14), WAF.11 (waf-controls.html#waf-11), CloudWatch.16
//   (cloudwatch-controls.html#cloudwatch-16): NIST 800-53 Rev. 5 only. CloudWatch.16 is not claimed
//   (its Config rule passes never-expire; policies/rules/log-retention.ts).
// - ECS.17, ECS.20, ELB.16, S3.17, EC2.53, EC2.54 were added after that source; they are read from
//   today's guide ("Security Hub CSPM", which retired ECS.1 in March 2026) as mirrored in
//   crowecawcaw/aws-docs-history docs/securityhub/latest/userguide/*.md (ECS.20 from another current copy
//   of ecs-controls.md), whose fsbp-standard lists none of them:
// - ECS.17 (ecs-controls.html#ecs-17): NIST.800-53.r5 AC-2(1), AC-3, AC-3(7), AC-3(15), AC-5, AC-6 only;
//   ELB.16 (elb-controls.html#elb-16): NIST.800-53.r5 AC-4(21) only → "NIST 800-53 ECS.17", "NIST 800-53 ELB.16".
// - ECS.20 (ecs-controls.html#ecs-20): no Related requirements and in no standard's list (fsbp-standard,
//   pci-standard, cis-aws-foundations-benchmark) → "Security Hub ECS.20", the catalog id in no standard.
// - EC2.53, EC2.54 (ec2-controls.html#ec2-53, #ec2-54): CIS AWS Foundations Benchmark v5.0.0/5.3 and 5.4,
//   v3.0.0/5.2 and 5.3, PCI DSS v4.0.1/1.3.1 → "CIS AWS EC2.53", "CIS AWS EC2.54".
// - S3.17 (s3-controls.html#s3-17): NIST.800-53.r5 SC-12(2), SC-28, ..., PCI DSS v4.0.1/3.5.1; not claimed
//   (it fails SSE-S3, which s3-bucket-encryption accepts).

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
    "CIS AWS v1.2.0": {
        title: "CIS AWS Foundations Benchmark v1.2.0 (Security Hub CSPM standard)",
        version: "v1.2.0",
        ids: SECURITY_HUB_IDS,
        source: `awsdocs/aws-security-hub-user-guide doc_source/*-controls.md (commit bda5bf7, 2023-03-10), Related requirements (e.g. EC2.14: CIS AWS Foundations Benchmark v1.2.0/4.2)`,
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
    "Security Hub": {
        title: "AWS Security Hub CSPM control catalog (a control that no Security Hub CSPM standard enables)",
        version: "control reference, read 2026-12-07",
        ids: "the Security Hub CSPM control id, for a control with no Related requirements that no standard lists (e.g. ECS.20)",
        source: `${SECURITY_HUB_GUIDE}; the standards' pages (fsbp-standard, pci-standard, cis-aws-foundations-benchmark) list the controls each applies`,
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
    if (!parsed) return control;
    const { version } = STANDARDS[parsed.standard];
    // A standard registered at one version ("CIS AWS v1.2.0") already names it.
    return parsed.standard.endsWith(version) ? `${parsed.standard} ${parsed.id}` : `${parsed.standard} ${version} ${parsed.id}`;
}
