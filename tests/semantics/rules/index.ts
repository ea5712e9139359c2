// Every provider-semantics rule; one file each, kebab-case, named as the rule.
import type { SemanticsRule } from "../rule";
import { awsCliPinsRegion } from "./aws-cli-pins-region";
import { deploySnapshotsPruned } from "./deploy-snapshots-pruned";
import { executionRoleSecrets } from "./execution-role-secrets";
import { metricMathFillsSparseCounts } from "./metric-math-fills-sparse-counts";
import { readOnlyRootWritablePaths } from "./read-only-root-writable-paths";
import { secretReadConsumed } from "./secret-read-consumed";
import { serviceWaitsForListener } from "./service-waits-for-listener";

export const semanticsRules: readonly SemanticsRule[] = [
    serviceWaitsForListener,
    readOnlyRootWritablePaths,
    awsCliPinsRegion,
    deploySnapshotsPruned,
    secretReadConsumed,
    metricMathFillsSparseCounts,
    executionRoleSecrets,
];
