import { cidrContains, cidrsOverlap, parseCidr } from "@platform/core";

/** RFC 1918 private ranges: the only ranges VPCs of this platform use. */
const RFC1918_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;

/** Ranges that never arrive at an internet-facing ALB from the internet. */
const NON_INTERNET_RANGES = [
  ...RFC1918_RANGES,
  "100.64.0.0/10", // carrier-grade NAT (RFC 6598)
  "127.0.0.0/8",
  "169.254.0.0/16", // link-local
  "0.0.0.0/8",
  "224.0.0.0/4", // multicast
  "240.0.0.0/4",
] as const;

/**
 * The widest public block one allowlist entry may be: /16 for IPv4 (65,536 addresses, a large
 * organisation), /48 for IPv6 (one site). Wider blocks let in whole providers; use "public" behind
 * the WAF instead.
 */
export const ALLOWLIST_MIN_PREFIX = { ipv4: 16, ipv6: 48 } as const;

export function isRfc1918(cidr: string): boolean {
  return RFC1918_RANGES.some((range) => cidrContains(range, cidr));
}

export function overlapsNonInternetRange(cidr: string): string | undefined {
  return NON_INTERNET_RANGES.find((range) => cidrsOverlap(range, cidr));
}

/** Addresses covered by the union of IPv4 blocks (overlaps counted once). */
export function coveredAddresses(cidrs: readonly string[]): number {
  const blocks = cidrs
    .map(parseCidr)
    .filter((c) => c !== undefined)
    .map((c) => [c.network, c.network + 2 ** (32 - c.prefix)] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [start, stop] of blocks) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total;
}
