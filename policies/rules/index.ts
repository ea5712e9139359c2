// Every rule of the pack. The pack (policies/index.ts), the offline check (tools/check.ts) and the
// tests all read this list, so a rule runs the same way with and without the Pulumi CLI.
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { albHttpsListener } from "./alb-https-listener";
import { backupRetention } from "./backup-retention";
import { containerNonRoot } from "./container-non-root";
import { containerResourceLimits } from "./container-resource-limits";
import { datastoreNotPublic } from "./datastore-not-public";
import { deletionProtection } from "./deletion-protection";
import { elasticacheEncryption } from "./elasticache-encryption";
import { healthChecks } from "./health-checks";
import { imagePinned } from "./image-pinned";
import { logGroupEncrypted } from "./log-group-encrypted";
import { logRetention } from "./log-retention";
import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { rdsForceSsl } from "./rds-force-ssl";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { s3BucketEncryption } from "./s3-bucket-encryption";
import { s3TlsOnly } from "./s3-tls-only";

export const PACK_NAME = "osint-platform-security";

/** A rule's level when the stack's config file names neither the rule nor "all". */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

/** A rule of the pack: a CrossGuard policy plus the controls it implements (e.g. "CIS Docker 5.4", "AWS FSBP RDS.3"). */
// TODO(controls): required once every rule lists its controls.
export type Rule = (ResourceValidationPolicy | StackValidationPolicy) & { readonly controls?: readonly string[] };

export const rules: readonly Rule[] = [
    containerNonRoot,
    containerResourceLimits,
    rdsStorageEncrypted,
    rdsForceSsl,
    elasticacheEncryption,
    s3BucketEncryption,
    s3TlsOnly,
    logGroupEncrypted,
    albHttpsListener,
    datastoreNotPublic,
    backupRetention,
    deletionProtection,
    noPlaintextSecrets,
    imagePinned,
    logRetention,
    healthChecks,
];
