// Every rule of the pack. The pack (policies/index.ts), the offline check (tools/check.ts) and the
// tests all read this list, so a rule runs the same way with and without the Pulumi CLI.
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { ControlId } from "../lib/standards";
import { typeToken } from "../lib/values";
import { albHttpsListener } from "./alb-https-listener";
import { backupRetention } from "./backup-retention";
import { containerCapabilities } from "./container-capabilities";
import { containerHostNamespaces } from "./container-host-namespaces";
import { containerNoNewPrivileges } from "./container-no-new-privileges";
import { containerNonRoot } from "./container-non-root";
import { containerNotPrivileged } from "./container-not-privileged";
import { containerPidsLimit } from "./container-pids-limit";
import { containerReadOnlyRoot } from "./container-read-only-root";
import { containerResourceLimits } from "./container-resource-limits";
import { containerSensitiveMounts } from "./container-sensitive-mounts";
import { datastoreNotPublic } from "./datastore-not-public";
import { deletionProtection } from "./deletion-protection";
import { ecsTaskLogging } from "./ecs-task-logging";
import { elasticacheAuth } from "./elasticache-auth";
import { elasticacheAutomaticFailover } from "./elasticache-automatic-failover";
import { elasticacheEncryption } from "./elasticache-encryption";
import { healthChecks } from "./health-checks";
import { iamNoAdminPolicy } from "./iam-no-admin-policy";
import { imagePinned } from "./image-pinned";
import { kmsKeyRotation } from "./kms-key-rotation";
import { lbAccessLogs } from "./lb-access-logs";
import { lbDropInvalidHeaders } from "./lb-drop-invalid-headers";
import { lbWafAssociated } from "./lb-waf-associated";
import { logGroupEncrypted } from "./log-group-encrypted";
import { logRetention } from "./log-retention";
import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { rdsCustomAdminUsername } from "./rds-custom-admin-username";
import { rdsForceSsl } from "./rds-force-ssl";
import { rdsIamAuth } from "./rds-iam-auth";
import { rdsLogExports } from "./rds-log-exports";
import { rdsMultiAz } from "./rds-multi-az";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { s3BucketEncryption } from "./s3-bucket-encryption";
import { s3NoPublicAccess } from "./s3-no-public-access";
import { s3PublicAccessBlock } from "./s3-public-access-block";
import { s3TlsOnly } from "./s3-tls-only";
import { s3Versioning } from "./s3-versioning";
import { secretsManagerKms } from "./secrets-manager-kms";
import { securityGroupAdminPorts } from "./security-group-admin-ports";
import { vpcDefaultSecurityGroup } from "./vpc-default-security-group";
import { vpcFlowLogs } from "./vpc-flow-logs";
import { wafv2Logging } from "./wafv2-logging";
import { wafv2RateRule } from "./wafv2-rate-rule";

export const PACK_NAME = "osint-platform-security";

/** A rule's level when the stack's config file names neither the rule nor "all". */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

/** How bad a finding of the rule is, as code scanning ranks it (SARIF `security-severity`). */
export type Severity = "critical" | "high" | "medium" | "low";

/**
 * A rule of the pack: a CrossGuard policy plus the controls it implements, as reviewers cite them.
 * Each control is "<standard> <id>" with the standard one of policies/lib/standards.ts's registry
 * (which names the version every id is read at), and names a control that checks what the rule checks.
 */
export type Rule = (ResourceValidationPolicy | StackValidationPolicy) & {
    readonly controls: readonly ControlId[];
    /**
     * A control that holds for only some of the types the rule judges (e.g. FSBP IAM.1 judges
     * customer-managed policies, not inline ones): those resource classes. A finding on another type
     * does not cite it; a control not named here covers every type the rule judges.
     */
    readonly controlScopes?: Readonly<Partial<Record<ControlId, readonly unknown[]>>>;
    readonly severity: Severity;
    /** The resource classes a stack rule reads (resource rules name theirs in each validation). */
    readonly stackTypes?: readonly unknown[];
};

/** What every rule of the pack states about itself, CrossGuard rule or Dockerfile rule (policies/dockerfile). */
export type RuleInfo = Pick<Rule, "name" | "description" | "remediationSteps" | "enforcementLevel" | "controls" | "controlScopes" | "severity">;

/** The controls a finding of `rule` on a resource of type `type` cites. */
export function controlsFor(rule: RuleInfo, type: string): readonly ControlId[] {
    return rule.controls.filter((control) => {
        const scope = rule.controlScopes?.[control];
        return scope === undefined || scope.some((cls) => typeToken(cls) === type);
    });
}

const CONTROLS_SUFFIX = " Controls: ";

/** The description `pulumi preview` shows: the rule's own, then its controls. */
export function withControls<R extends RuleInfo>(rule: R): R {
    return { ...rule, description: `${rule.description}${CONTROLS_SUFFIX}${rule.controls.join(", ")}.` };
}

/** A rule's description without the controls withControls appended (for the reference page). */
export function summaryOf(rule: RuleInfo): string {
    const cut = rule.description.indexOf(CONTROLS_SUFFIX);
    return cut < 0 ? rule.description : rule.description.slice(0, cut);
}

export const rules: readonly Rule[] = [
    // Containers, docker and ECS alike.
    containerNonRoot,
    containerNotPrivileged,
    containerHostNamespaces,
    containerSensitiveMounts,
    containerCapabilities,
    containerReadOnlyRoot,
    containerPidsLimit,
    containerNoNewPrivileges,
    containerResourceLimits,
    healthChecks,
    imagePinned,
    noPlaintextSecrets,
    ecsTaskLogging,
    logRetention,
    // Data stores.
    rdsStorageEncrypted,
    rdsForceSsl,
    rdsIamAuth,
    rdsMultiAz,
    rdsLogExports,
    rdsCustomAdminUsername,
    elasticacheEncryption,
    elasticacheAuth,
    elasticacheAutomaticFailover,
    datastoreNotPublic,
    backupRetention,
    deletionProtection,
    // Storage, keys, identities, network and edge.
    s3BucketEncryption,
    s3TlsOnly,
    s3PublicAccessBlock,
    s3NoPublicAccess,
    s3Versioning,
    kmsKeyRotation,
    secretsManagerKms,
    iamNoAdminPolicy,
    securityGroupAdminPorts,
    vpcFlowLogs,
    vpcDefaultSecurityGroup,
    logGroupEncrypted,
    albHttpsListener,
    lbDropInvalidHeaders,
    lbAccessLogs,
    lbWafAssociated,
    wafv2RateRule,
    wafv2Logging,
].map(withControls);
