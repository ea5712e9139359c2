// How a rule names the property it found wrong: its message starts with the property's path
// (`containerDefinitions[0].user: ...`), so `pulumi preview` shows it and the offline check's
// outputs (JSON, SARIF, JUnit) can report it as a field of its own.
const PROPERTY_PREFIX = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\])*): /;

/** A violation message about `property` (a dotted path with [index] steps). */
export function at(property: string, message: string): string {
    return `${property}: ${message}`;
}

/** The property a violation message names, when it was written with at(); else null. */
export function propertyOf(message: string): string | null {
    return PROPERTY_PREFIX.exec(message)?.[1] ?? null;
}
