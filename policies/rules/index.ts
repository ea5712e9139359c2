// Every rule of the pack. The pack (policies/index.ts), the offline check (tools/check.ts) and the
// tests all read this list, so a rule runs the same way with and without the Pulumi CLI.
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
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

/**
 * A rule of the pack: a CrossGuard policy plus the controls it implements, as reviewers cite them:
 * "CIS Docker 5.5" (a section of CIS Docker Benchmark v1.6.0, numbered as docker/docker-bench-security
 * tests/4_container_images.sh and tests/5_container_runtime.sh number it; v1.4.0 and earlier are one lower
 * in section 5), "AWS FSBP RDS.3" (Security Hub Foundational Security Best Practices, as the Security Hub
 * user guide's per-service control pages list them), or, where neither has one, the Checkov, AWS Control
 * Tower or Well-Architected id of the same check. Each id names a control that checks what the rule checks.
 */
export type Rule = (ResourceValidationPolicy | StackValidationPolicy) & {
    readonly controls: readonly string[];
    /** The resource classes a stack rule reads (resource rules name theirs in each validation). */
    readonly stackTypes?: readonly unknown[];
};

const CONTROLS_SUFFIX = " Controls: ";

/** The description `pulumi preview` shows: the rule's own, then its controls. */
function withControls(rule: Rule): Rule {
    return { ...rule, description: `${rule.description}${CONTROLS_SUFFIX}${rule.controls.join(", ")}.` };
}

/** A rule's description without the controls withControls appended (for the reference page). */
export function summaryOf(rule: Rule): string {
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
