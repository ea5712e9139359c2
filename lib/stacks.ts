// The project's stacks, one Pulumi.<stack>.yaml each (a test keeps the two equal): what every
// tool's --help lists. `pr` is the review-stack template: Pulumi Deployments copies its config into
// a stack per pull request (docs/platform-team.md); it is never deployed itself.
export const STACKS = ["dev", "staging", "prod", "pr"] as const;
export type Stack = (typeof STACKS)[number];

/** The stacks a change runs on for good: a diff compares these by default. */
export const LONG_LIVED_STACKS = ["dev", "staging", "prod"] as const satisfies readonly Stack[];

/** The value of a tool's --stack in help and usage lines. */
export const STACK_VALUE = `<${STACKS.join("|")}>`;
