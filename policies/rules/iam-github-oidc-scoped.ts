import { aws } from "../lib/resource-types";
import { at } from "../lib/report";
import { allowStatements } from "../lib/statements";
import { isRecord, strings, validateTypes } from "../lib/values";
import type { Rule } from ".";

const GITHUB = "token.actions.githubusercontent.com";
const SUBJECT = `${GITHUB}:sub`;

/** The `sub` values a condition block pins (any operator). */
function subjects(condition: unknown): string[] {
    if (!isRecord(condition)) return [];
    return Object.values(condition).flatMap((operator) => (isRecord(operator) ? strings(operator[SUBJECT]) : []));
}

export const iamGithubOidcScoped: Rule = {
    name: "iam-github-oidc-scoped",
    description: "Checks that a role trusting GitHub Actions' OIDC provider pins the repositories (the token's `sub`) that may assume it.",
    controls: ["Checkov CKV_AWS_393"],
    severity: "critical",
    remediationSteps: `Add a condition on \`${SUBJECT}\` naming the repository and ref (e.g. "repo:org/repo:ref:refs/heads/main") to the aws.iam.Role's trust statement.`,
    validateResource: validateTypes([aws.iam.Role], (role, _args, reportViolation) => {
        allowStatements(role.assumeRolePolicy).forEach((statement) => {
            const federated = isRecord(statement.Principal) ? strings(statement.Principal.Federated) : [];
            if (!federated.some((p) => p.endsWith(GITHUB))) return;
            const pinned = subjects(statement.Condition);
            // A subject of only wildcards ("*", "repo:*") admits any repository.
            if (pinned.length === 0 || pinned.some((s) => /^(repo:)?\*/.test(s) || s === "*"))
                reportViolation(at("assumeRolePolicy", `Roles trusting GitHub Actions must pin the repositories: ${SUBJECT} is ${JSON.stringify(pinned)}.`));
        });
    }),
};
