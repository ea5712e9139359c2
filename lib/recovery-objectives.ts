/** The design's recovery objectives (environment-architecture.md, "Recovery Time Objectives"): what `npm run dr-drill` measures against, and the docs state. */
export const OBJECTIVES = { rtoSeconds: 15 * 60, rpoSeconds: 60 * 60 } as const;
