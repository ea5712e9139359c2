// Sets of (IPv4 address, TCP port) pairs as lists of boxes, for the rule evaluations: a security
// group's rules are a union (proved by covering), a network ACL's are first-match in rule-number
// order (proved by walking the rules and cutting each one's box out of what is still undecided).
import { parseCidr } from "../cidr";

/** Inclusive bounds. */
export interface Range {
    readonly lo: number;
    readonly hi: number;
}

export interface Box {
    readonly addresses: Range;
    readonly ports: Range;
}

export const ALL_ADDRESSES: Range = { lo: 0, hi: 2 ** 32 - 1 };
export const ALL_PORTS: Range = { lo: 0, hi: 65535 };

export function cidrRange(cidr: string): Range | undefined {
    const parsed = parseCidr(cidr);
    return parsed && { lo: parsed.base, hi: parsed.base + 2 ** (32 - parsed.prefix) - 1 };
}

function must(cidr: string): Range {
    const range = cidrRange(cidr);
    if (!range) throw new Error(`not a CIDR block: ${cidr}`);
    return range;
}

const intersect = (a: Range, b: Range): Range | undefined =>
    a.lo <= b.hi && b.lo <= a.hi ? { lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) } : undefined;

function subtract(a: Range, b: Range): Range[] {
    if (!intersect(a, b)) return [a];
    return [...(a.lo < b.lo ? [{ lo: a.lo, hi: b.lo - 1 }] : []), ...(b.hi < a.hi ? [{ lo: b.hi + 1, hi: a.hi }] : [])];
}

function subtractAll(ranges: readonly Range[], cuts: readonly Range[]): Range[] {
    return cuts.reduce<Range[]>((left, cut) => left.flatMap((r) => subtract(r, cut)), [...ranges]);
}

/**
 * The public internet: every IPv4 address but the private (RFC 1918), shared (RFC 6598), loopback,
 * link-local, multicast and reserved blocks (RFC 6890), which no internet host holds.
 */
export const INTERNET: readonly Range[] = subtractAll(
    [ALL_ADDRESSES],
    ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"].map(must),
);

export const contains = (outer: Range, inner: Range) => outer.lo <= inner.lo && inner.hi <= outer.hi;

export function boxes(addresses: readonly Range[], ports: Range): Box[] {
    return addresses.map((a) => ({ addresses: a, ports }));
}

export function intersectBox(a: Box, b: Box): Box | undefined {
    const addresses = intersect(a.addresses, b.addresses);
    const ports = intersect(a.ports, b.ports);
    return addresses && ports ? { addresses, ports } : undefined;
}

/** `a` without `b`: at most four boxes. */
export function subtractBox(a: Box, b: Box): Box[] {
    const inside = intersectBox(a, b);
    if (!inside) return [a];
    return [
        ...subtract(a.addresses, inside.addresses).map((addresses) => ({ addresses, ports: a.ports })),
        ...subtract(a.ports, inside.ports).map((ports) => ({ addresses: inside.addresses, ports })),
    ];
}

/** What of `space` no box of `cover` holds. */
export function uncovered(space: readonly Box[], cover: readonly Box[]): Box[] {
    return cover.reduce<Box[]>((left, cut) => left.flatMap((b) => subtractBox(b, cut)), [...space]);
}

export function overlaps(space: readonly Box[], other: readonly Box[]): boolean {
    return space.some((a) => other.some((b) => intersectBox(a, b) !== undefined));
}

export function addressText(range: Range): string {
    const ip = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
    for (let prefix = 0; prefix <= 32; prefix++) {
        const size = 2 ** (32 - prefix);
        if (range.lo % size === 0 && range.hi - range.lo + 1 === size) return `${ip(range.lo)}/${prefix}`;
    }
    return `${ip(range.lo)}-${ip(range.hi)}`;
}

export const portText = (ports: Range) =>
    ports.lo === ports.hi ? String(ports.lo) : ports.lo === 0 && ports.hi === 65535 ? "any port" : `${ports.lo}-${ports.hi}`;
