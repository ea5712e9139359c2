/** True unless `days` is a number of at least `minimumDays` (an unset retention counts as too short). */
export function retentionTooShort(days: unknown, minimumDays: number): boolean {
    return !(typeof days === "number" && days >= minimumDays);
}
