import { Address4, Address6 } from "ip-address";

/**
 * CIDR blocks, IPv4 and IPv6, parsed by `ip-address` (no hand-written address parsing here).
 * Only network addresses count as valid: `10.0.0.0/16` yes, `10.0.0.1/16` no (host bits set),
 * which is also what AWS accepts for VPC and subnet CIDRs and security group rules.
 * Pure functions, no tokens.
 */

/** An IPv4 block: the network address as an unsigned 32-bit integer and the prefix length. */
export interface Cidr {
  readonly network: number;
  readonly prefix: number;
}

/** Either version, with the network address as a bigint. */
interface Block {
  readonly version: 4 | 6;
  readonly start: bigint;
  readonly prefix: number;
}

const PREFIX_TEXT = /^\/\d{1,3}$/;

function parseBlock(text: string): Block | undefined {
  if (typeof text !== "string") return undefined;
  const slash = text.indexOf("/");
  if (slash < 0 || !PREFIX_TEXT.test(text.slice(slash))) return undefined;
  const v4 = !text.includes(":");
  // Dotted IPv4 inside IPv6 (`::ffff:1.2.3.4/128`) is valid IPv6 but never an AWS CIDR.
  if (!v4 && text.includes(".")) return undefined;
  if (v4 ? !Address4.isValid(text) : !Address6.isValid(text)) return undefined;
  const address = v4 ? new Address4(text) : new Address6(text);
  const start = address.startAddress().bigInt();
  if (start !== address.bigInt()) return undefined; // host bits set
  return { version: v4 ? 4 : 6, start, prefix: address.subnetMask };
}

function bits(b: Block): number {
  return b.version === 4 ? 32 : 128;
}

function end(b: Block): bigint {
  return b.start + (1n << BigInt(bits(b) - b.prefix));
}

/** Parses an IPv4 `a.b.c.d/n`; undefined when malformed, IPv6, or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const b = parseBlock(text);
  return b?.version === 4 ? { network: Number(b.start), prefix: b.prefix } : undefined;
}

/** An IPv4 network in CIDR form (`10.1.0.0/16`). */
export function isValidCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

/** An IPv6 network in CIDR form (`2001:db8::/32`). */
export function isValidIpv6Cidr(text: string): boolean {
  return parseBlock(text)?.version === 6;
}

/** Prefix length of a valid IPv4 or IPv6 network, or undefined. */
export function cidrPrefix(text: string): number | undefined {
  return parseBlock(text)?.prefix;
}

export function formatCidr(cidr: Cidr): string {
  return `${Address4.fromBigInt(BigInt(cidr.network)).correctForm()}/${cidr.prefix}`;
}

/** True when two blocks of the same version share at least one address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseBlock(a);
  const y = parseBlock(b);
  if (!x || !y || x.version !== y.version) return false;
  return x.start < end(y) && y.start < end(x);
}

/** True when `inner` lies entirely within `outer` (same version). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseBlock(outer);
  const i = parseBlock(inner);
  if (!o || !i || o.version !== i.version) return false;
  return i.prefix >= o.prefix && i.start >= o.start && end(i) <= end(o);
}

/**
 * The `index`-th block of `/(prefix + newBits)` inside `base`, like Terraform's `cidrsubnet`.
 * Throws when the index does not fit.
 */
export function cidrSubnet(base: string, newBits: number, index: number): string {
  const b = parseBlock(base);
  if (!b) throw new Error(`cidrSubnet: "${base}" is not a valid CIDR`);
  const prefix = b.prefix + newBits;
  if (prefix > bits(b) || index < 0 || index >= 2 ** newBits) {
    throw new Error(`cidrSubnet: index ${index} with ${newBits} new bits does not fit in ${base}`);
  }
  const start = b.start + BigInt(index) * (1n << BigInt(bits(b) - prefix));
  const address = b.version === 4 ? Address4.fromBigInt(start) : Address6.fromBigInt(start);
  return `${address.correctForm()}/${prefix}`;
}
