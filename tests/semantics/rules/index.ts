// Every provider-semantics rule; one file each, kebab-case, named as the rule.
import type { SemanticsRule } from "../rule";
import { executionRoleSecrets } from "./execution-role-secrets";

export const semanticsRules: readonly SemanticsRule[] = [executionRoleSecrets];
