// Where an end-to-end run spends its time: each phase (engine, base bootstrap, lab images, the
// program's image builds, apply, the health wait, each test) with its start and length, and the
// time from the first create to every container healthy. The e2e writes them to the file
// OSINT_LAB_TIMINGS names; the benchmark's dev-stack case reads them (tools/benchmark.ts).
import * as fs from "node:fs";

/** The variable naming the file a run writes its timings to (none: nothing is written). */
export const TIMINGS_ENV = "OSINT_LAB_TIMINGS";

/** Phase names the benchmark reads: whether a run bootstrapped the base, built or loaded the lab images. */
export const PHASE = {
    engine: "engine",
    bootstrap: "base bootstrap",
    importBase: "base import",
    loadImages: "lab images load",
    buildImages: "lab images build",
    saveImages: "lab images save",
    plan: "plan (with the program's image builds)",
    apply: "apply",
    waitHealthy: "wait healthy",
    teardown: "teardown",
} as const;

export interface Phase {
    readonly name: string;
    /** Seconds from the start of the run. */
    readonly start: number;
    readonly seconds: number;
}

export interface RunTimings {
    readonly phases: readonly Phase[];
    /** From the first create to every container healthy (README: "apply to all healthy"). */
    readonly applyToHealthySeconds: number | null;
}

/** Runs `work` as the phase `name`; phases may overlap (concurrent builds) or nest. */
export type Timer = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** A timer that records nothing, for callers that do not measure. */
export const untimed: Timer = (_name, work) => work();

export class PhaseClock {
    private readonly origin = performance.now();
    private readonly phases: Phase[] = [];
    private applyToHealthy: number | null = null;

    readonly time: Timer = async (name, work) => {
        const start = performance.now();
        try {
            return await work();
        } finally {
            this.add(name, start, performance.now());
        }
    };

    /** Records a phase measured elsewhere (a test's duration), ending now. */
    addEndingNow(name: string, milliseconds: number): void {
        const end = performance.now();
        this.add(name, end - milliseconds, end);
    }

    setApplyToHealthy(milliseconds: number): void {
        this.applyToHealthy = milliseconds / 1000;
    }

    private add(name: string, start: number, end: number): void {
        this.phases.push({ name, start: round((start - this.origin) / 1000), seconds: round((end - start) / 1000) });
    }

    timings(): RunTimings {
        return {
            phases: [...this.phases].sort((a, b) => a.start - b.start),
            applyToHealthySeconds: this.applyToHealthy === null ? null : round(this.applyToHealthy),
        };
    }

    /** Writes the timings to the file TIMINGS_ENV names, if any. */
    write(file = process.env[TIMINGS_ENV]): void {
        if (file) fs.writeFileSync(file, `${JSON.stringify(this.timings(), null, 2)}\n`);
    }
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** A timings file's content, checked; throws naming what is wrong. */
export function parseTimings(text: string): RunTimings {
    const value = JSON.parse(text) as Partial<RunTimings>;
    const isPhase = (p: unknown): p is Phase =>
        typeof p === "object" &&
        p !== null &&
        typeof (p as Phase).name === "string" &&
        Number.isFinite((p as Phase).start) &&
        Number.isFinite((p as Phase).seconds);
    if (!Array.isArray(value.phases) || !value.phases.every(isPhase)) throw new Error("timings: expected phases [{name, start, seconds}]");
    if (value.applyToHealthySeconds !== null && !Number.isFinite(value.applyToHealthySeconds))
        throw new Error("timings: expected applyToHealthySeconds, a number of seconds or null");
    return { phases: value.phases, applyToHealthySeconds: value.applyToHealthySeconds ?? null };
}
