// Every provider-semantics rule; one file each, kebab-case, named as the rule.
import type { SemanticsRule } from "../rule";
import { awsCliPinsRegion } from "./aws-cli-pins-region";
import { awsNamesFit } from "./aws-names-fit";
import { buildContextInRepository } from "./build-context-in-repository";
import { containerRunsContentId } from "./container-runs-content-id";
import { deploySnapshotsPruned } from "./deploy-snapshots-pruned";
import { executionRoleSecrets } from "./execution-role-secrets";
import { imageBuiltOnce } from "./image-built-once";
import { metricMathFillsSparseCounts } from "./metric-math-fills-sparse-counts";
import { oneShotJobReruns } from "./one-shot-job-reruns";
import { readOnlyRootWritablePaths } from "./read-only-root-writable-paths";
import { secretReadConsumed } from "./secret-read-consumed";
import { serviceWaitsForListener } from "./service-waits-for-listener";

export const semanticsRules: readonly SemanticsRule[] = [
    // docker
    buildContextInRepository,
    containerRunsContentId,
    oneShotJobReruns,
    imageBuiltOnce,
    // aws
    serviceWaitsForListener,
    readOnlyRootWritablePaths,
    awsCliPinsRegion,
    deploySnapshotsPruned,
    secretReadConsumed,
    metricMathFillsSparseCounts,
    executionRoleSecrets,
    awsNamesFit,
];
