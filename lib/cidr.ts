// IPv4 CIDR blocks as numbers, for the config's checks, the subnet layout and the reachability model.

/** An IPv4 CIDR block whose octets and prefix parse, e.g. 10.0.0.0/16. */
export function parseCidr(cidr: string): { readonly base: number; readonly prefix: number } | undefined {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    // The address must be the block's first address (10.0.0.0/16, not 10.0.1.0/16).
    if (base % 2 ** (32 - prefix) !== 0) return undefined;
    return { base, prefix };
}
