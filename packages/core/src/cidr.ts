/** IPv4 CIDR arithmetic for subnet planning. Pure functions, no tokens. */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = prefix === 0 ? 0 : address - (address % 2 ** (32 - prefix));
  if (network !== address) return undefined;
  return { network, prefix };
}

export function isValidCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

export function formatCidr(cidr: Cidr): string {
  const o = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${o.join(".")}/${cidr.prefix}`;
}

function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** True when two blocks share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.network < y.network + size(y) && y.network < x.network + size(x);
}

/** True when `inner` lies entirely within `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i) return false;
  return i.prefix >= o.prefix && i.network >= o.network && i.network + size(i) <= o.network + size(o);
}

/**
 * The `index`-th block of `/(prefix + newBits)` inside `base`, like Terraform's `cidrsubnet`.
 * Throws when the index does not fit.
 */
export function cidrSubnet(base: string, newBits: number, index: number): string {
  const b = parseCidr(base);
  if (!b) throw new Error(`cidrSubnet: "${base}" is not a valid CIDR`);
  const prefix = b.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new Error(`cidrSubnet: index ${index} with ${newBits} new bits does not fit in ${base}`);
  }
  return formatCidr({ network: b.network + index * 2 ** (32 - prefix), prefix });
}
