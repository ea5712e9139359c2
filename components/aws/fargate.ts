// Fargate runs tasks only at fixed CPU/memory pairs. A service keeps the design's container limit
// (the container's hard `memory` and `cpu` units) inside the smallest valid task size that holds it.
import type { Size } from "../shared/sizing";

// vCPU → the task memory sizes (MiB) Fargate accepts with it.
const range = (from: number, to: number, step: number) => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
export const fargateSizes: ReadonlyArray<{ readonly cpus: number; readonly memoryMb: readonly number[] }> = [
    { cpus: 0.25, memoryMb: [512, 1024, 2048] },
    { cpus: 0.5, memoryMb: range(1024, 4096, 1024) },
    { cpus: 1, memoryMb: range(2048, 8192, 1024) },
    { cpus: 2, memoryMb: range(4096, 16384, 1024) },
    { cpus: 4, memoryMb: range(8192, 30720, 1024) },
];

export interface FargateTaskSize {
    /** Task-level CPU units (1024 = 1 vCPU). */
    readonly cpuUnits: number;
    readonly memoryMb: number;
}

export function fargateTaskSize(size: Size): FargateTaskSize {
    for (const option of fargateSizes) {
        if (option.cpus < size.cpus) continue;
        const memoryMb = option.memoryMb.find((m) => m >= size.memoryMb);
        if (memoryMb !== undefined) return { cpuUnits: option.cpus * 1024, memoryMb };
    }
    throw new Error(`no Fargate task size holds ${size.cpus} vCPU and ${size.memoryMb} MiB`);
}
