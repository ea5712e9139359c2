// Every provider-semantics rule; one file each, kebab-case, named as the rule.
import type { SemanticsRule } from "../rule";

export const semanticsRules: readonly SemanticsRule[] = [];
