// "Did you mean": for config keys (config.ts) and the tools' flags (tools/cli.ts). Its own module, so
// a tool's --help or usage error loads neither zod nor the Pulumi SDK that config.ts needs.
/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return row[b.length];
}

/** The candidate nearest to `given` when it is a plausible typo of it (at most a third of its letters differ). */
export function nearest(given: string, candidates: Iterable<string>): string | undefined {
    let best: { candidate: string; score: number } | undefined;
    for (const candidate of candidates) {
        const score = distance(given.toLowerCase(), candidate.toLowerCase());
        if (score <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || score < best.score)) best = { candidate, score };
    }
    return best?.candidate;
}
