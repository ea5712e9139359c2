// Every rule of the pack. The pack (policies/index.ts), the offline check (tools/check.ts) and the
// tests all read this list, so a rule runs the same way with and without the Pulumi CLI.
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { ControlId } from "../lib/standards";
import { type TypeToken, typeTokens } from "../lib/resource-types";
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
import { acmKeyAlgorithm } from "./acm-key-algorithm";
import { acmManagedRenewal } from "./acm-managed-renewal";
import { acmNoWildcard } from "./acm-no-wildcard";
import { acmTransparencyLogging } from "./acm-transparency-logging";
import { alarmActionsEnabled } from "./alarm-actions-enabled";
import { backupVaultKms } from "./backup-vault-kms";
import { dockerPortsBound } from "./docker-ports-bound";
import { ecrTemplateImmutableTags } from "./ecr-template-immutable-tags";
import { ecrTemplateLifecycle } from "./ecr-template-lifecycle";
import { ecsContainerInsights } from "./ecs-container-insights";
import { ecsEfsTransitEncryption } from "./ecs-efs-transit-encryption";
import { ecsExecLogging } from "./ecs-exec-logging";
import { ecsFargatePlatformVersion } from "./ecs-fargate-platform-version";
import { ecsServiceNoPublicIp } from "./ecs-service-no-public-ip";
import { ecsTaskRoleSeparation } from "./ecs-task-role-separation";
import { eipAttached } from "./eip-attached";
import { elasticacheBackups } from "./elasticache-backups";
import { elasticacheKms } from "./elasticache-kms";
import { elasticacheMinorUpgrades } from "./elasticache-minor-upgrades";
import { elasticacheSubnetGroup } from "./elasticache-subnet-group";
import { iamCredentialsExposure } from "./iam-credentials-exposure";
import { iamDataExfiltration } from "./iam-data-exfiltration";
import { iamGithubOidcScoped } from "./iam-github-oidc-scoped";
import { iamInlineKmsDecrypt } from "./iam-inline-kms-decrypt";
import { iamNoWildcardActions } from "./iam-no-wildcard-actions";
import { iamPermissionsManagement } from "./iam-permissions-management";
import { iamPrivilegeEscalation } from "./iam-privilege-escalation";
import { iamRoleTrustScoped } from "./iam-role-trust-scoped";
import { iamStarResource } from "./iam-star-resource";
import { iamWriteConstrained } from "./iam-write-constrained";
import { kmsDeletionWindow } from "./kms-deletion-window";
import { kmsKeyEnabled } from "./kms-key-enabled";
import { kmsKeyPolicyDefined } from "./kms-key-policy-defined";
import { kmsNoPublicPrincipal } from "./kms-no-public-principal";
import { lbCrossZone } from "./lb-cross-zone";
import { lbDeletionProtection } from "./lb-deletion-protection";
import { lbDesyncMitigation } from "./lb-desync-mitigation";
import { lbMultipleZones } from "./lb-multiple-zones";
import { lbStrongCiphers } from "./lb-strong-ciphers";
import { lbTargetGroupEncrypted } from "./lb-target-group-encrypted";
import { logRetentionYear } from "./log-retention-year";
import { rdsCaCertificate } from "./rds-ca-certificate";
import { rdsCopyTagsToSnapshots } from "./rds-copy-tags-to-snapshots";
import { rdsDefaultPort } from "./rds-default-port";
import { rdsEnhancedMonitoring } from "./rds-enhanced-monitoring";
import { rdsInVpc } from "./rds-in-vpc";
import { rdsMinorUpgrades } from "./rds-minor-upgrades";
import { rdsPerformanceInsights } from "./rds-performance-insights";
import { rdsQueryLogging } from "./rds-query-logging";
import { rdsReplicatedBackupsKms } from "./rds-replicated-backups-kms";
import { routeTableDefaultRoute } from "./route-table-default-route";
import { s3AbortIncompleteUploads } from "./s3-abort-incomplete-uploads";
import { s3AccessLogging } from "./s3-access-logging";
import { s3AclsDisabled } from "./s3-acls-disabled";
import { s3CrossAccountRestricted } from "./s3-cross-account-restricted";
import { s3EventNotifications } from "./s3-event-notifications";
import { s3Lifecycle } from "./s3-lifecycle";
import { s3ObjectLock } from "./s3-object-lock";
import { s3PolicyNoLockout } from "./s3-policy-no-lockout";
import { s3Replication } from "./s3-replication";
import { secretsRotation } from "./secrets-rotation";
import { securityGroupAttached } from "./security-group-attached";
import { securityGroupAuthorizedPorts } from "./security-group-authorized-ports";
import { securityGroupDescriptions } from "./security-group-descriptions";
import { securityGroupEgressRestricted } from "./security-group-egress-restricted";
import { securityGroupNoWorldHttp } from "./security-group-no-world-http";
import { snsDeliveryStatusLogging } from "./sns-delivery-status-logging";
import { snsEncrypted } from "./sns-encrypted";
import { snsNoCrossAccount } from "./sns-no-cross-account";
import { snsNotPublic } from "./sns-not-public";
import { subnetNoPublicIp } from "./subnet-no-public-ip";
import { wafv2ManagedRules } from "./wafv2-managed-rules";
import { wafv2RuleActions } from "./wafv2-rule-actions";

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
     * customer-managed policies, not inline ones): those types. A finding on another type
     * does not cite it; a control not named here covers every type the rule judges.
     */
    readonly controlScopes?: Readonly<Partial<Record<ControlId, readonly TypeToken[]>>>;
    readonly severity: Severity;
    /** The types a stack rule reads (resource rules name theirs in each validation). */
    readonly stackTypes?: readonly TypeToken[];
};

/** What every rule of the pack states about itself, CrossGuard rule or Dockerfile rule (policies/dockerfile). */
export type RuleInfo = Pick<Rule, "name" | "description" | "remediationSteps" | "enforcementLevel" | "controls" | "controlScopes" | "severity">;

/** The controls a finding of `rule` on a resource of type `type` cites. */
export function controlsFor(rule: RuleInfo, type: string): readonly ControlId[] {
    return rule.controls.filter((control) => {
        const scope = rule.controlScopes?.[control];
        return scope === undefined || scope.includes(type);
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

/** `rule`, its stack types and control scopes checked to be type tokens (validateTypes checks its validations'). */
function typesChecked(rule: Rule): Rule {
    typeTokens(rule.stackTypes ?? []);
    for (const scope of Object.values(rule.controlScopes ?? {})) typeTokens(scope ?? []);
    return rule;
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
    // Added for issue 23: the anchors' checks on every resource type the program declares.
    acmKeyAlgorithm,
    acmManagedRenewal,
    acmNoWildcard,
    acmTransparencyLogging,
    alarmActionsEnabled,
    backupVaultKms,
    dockerPortsBound,
    ecrTemplateImmutableTags,
    ecrTemplateLifecycle,
    ecsContainerInsights,
    ecsEfsTransitEncryption,
    ecsExecLogging,
    ecsFargatePlatformVersion,
    ecsServiceNoPublicIp,
    ecsTaskRoleSeparation,
    eipAttached,
    elasticacheBackups,
    elasticacheKms,
    elasticacheMinorUpgrades,
    elasticacheSubnetGroup,
    iamCredentialsExposure,
    iamDataExfiltration,
    iamGithubOidcScoped,
    iamInlineKmsDecrypt,
    iamNoWildcardActions,
    iamPermissionsManagement,
    iamPrivilegeEscalation,
    iamRoleTrustScoped,
    iamStarResource,
    iamWriteConstrained,
    kmsDeletionWindow,
    kmsKeyEnabled,
    kmsKeyPolicyDefined,
    kmsNoPublicPrincipal,
    lbCrossZone,
    lbDeletionProtection,
    lbDesyncMitigation,
    lbMultipleZones,
    lbStrongCiphers,
    lbTargetGroupEncrypted,
    logRetentionYear,
    rdsCaCertificate,
    rdsCopyTagsToSnapshots,
    rdsDefaultPort,
    rdsEnhancedMonitoring,
    rdsInVpc,
    rdsMinorUpgrades,
    rdsPerformanceInsights,
    rdsQueryLogging,
    rdsReplicatedBackupsKms,
    routeTableDefaultRoute,
    s3AbortIncompleteUploads,
    s3AccessLogging,
    s3AclsDisabled,
    s3CrossAccountRestricted,
    s3EventNotifications,
    s3Lifecycle,
    s3ObjectLock,
    s3PolicyNoLockout,
    s3Replication,
    secretsRotation,
    securityGroupAttached,
    securityGroupAuthorizedPorts,
    securityGroupDescriptions,
    securityGroupEgressRestricted,
    securityGroupNoWorldHttp,
    snsDeliveryStatusLogging,
    snsEncrypted,
    snsNoCrossAccount,
    snsNotPublic,
    subnetNoPublicIp,
    wafv2ManagedRules,
    wafv2RuleActions,
].map((rule) => withControls(typesChecked(rule)));
