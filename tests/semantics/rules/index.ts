// Every provider-semantics rule; one file each, kebab-case, named as the rule.
import type { SemanticsRule } from "../rule";
import { buildContextInRepository } from "./build-context-in-repository";
import { containerRunsContentId } from "./container-runs-content-id";
import { imageBuiltOnce } from "./image-built-once";
import { oneShotJobReruns } from "./one-shot-job-reruns";

export const semanticsRules: readonly SemanticsRule[] = [buildContextInRepository, containerRunsContentId, oneShotJobReruns, imageBuiltOnce];
