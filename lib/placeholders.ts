// The strings that stand for a value the plan or a stack export cannot show. Apart from
// property-values.ts, which loads the Pulumi SDK, so the tools that only read plans (render, diff)
// start without it.

/** What stands for a secret's value wherever the plaintext is not at hand (the plan, a stack export). */
export const SECRET_PLACEHOLDER = "[secret]";
/** What stands for a value known only after deployment. */
export const UNKNOWN_PLACEHOLDER = "[unknown]";
