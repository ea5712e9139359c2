// "Did you mean": for config keys (config.ts) and the tools' flags (tools/cli.ts). Its own module, so
// a tool's --help or usage error loads neither zod nor the Pulumi SDK that config.ts needs.
/** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment), for "did you mean". */
function distance(a: string, b: string): number {
    // rows[i][j]: the distance between a's first i letters and b's first j.
    const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
        }
    }
    return rows[a.length][b.length];
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
