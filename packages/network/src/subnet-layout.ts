import { cidrSubnet, parseCidr } from "@platform/core";

/** AWS accepts VPC and subnet IPv4 blocks between /16 and /28. */
export const MIN_PREFIX = 16;
export const MAX_PREFIX = 28;

/**
 * Derived subnets reserve one slot per AZ letter a–h in each half of the VPC, so the
 * default subnet size never depends on how many AZs are in use today.
 */
export const RESERVED_AZ_LETTERS = 8;

/**
 * Default size of derived subnets: /24 where the VPC holds 2 × 8 of them (VPC /16–/20),
 * otherwise the VPC split into 16 equal blocks (a /24 VPC gives /28 subnets).
 */
export function defaultSubnetPrefixLength(vpcPrefix: number): number {
  return Math.max(24, vpcPrefix + 1 + Math.log2(RESERVED_AZ_LETTERS));
}

/** Position of an AZ's letter in the alphabet (`ap-northeast-1c` → 2): its subnet slot. */
export function azSlot(az: string): number {
  return az.charCodeAt(az.length - 1) - "a".charCodeAt(0);
}

/** How many AZ slots each half of the VPC has for a given subnet size. */
export function slotsPerHalf(vpcPrefix: number, subnetPrefix: number): number {
  return 2 ** (subnetPrefix - vpcPrefix - 1);
}

/**
 * The derivation scheme. The VPC is cut into `/subnetPrefix` blocks; the lower half holds
 * public subnets and the upper half private ones, each at the slot of its AZ letter:
 *
 *   public(az)  = cidrsubnet(vpc, newBits, slot(az))
 *   private(az) = cidrsubnet(vpc, newBits, slot(az) + half)
 *
 * With 10.0.0.0/16: public 1a = 10.0.0.0/24, 1c = 10.0.2.0/24; private 1a = 10.0.128.0/24,
 * 1c = 10.0.130.0/24. Keying by letter rather than list position means adding or removing
 * any AZ never moves another AZ's subnet (which would replace it and everything in it).
 * Callers check `azSlot(az) < slotsPerHalf(…)` first.
 */
export function derivedSubnetCidr(vpcCidr: string, subnetPrefix: number, az: string, tier: "public" | "private"): string {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`derivedSubnetCidr: "${vpcCidr}" is not a valid CIDR`);
  const newBits = subnetPrefix - vpc.prefix;
  const half = slotsPerHalf(vpc.prefix, subnetPrefix);
  return cidrSubnet(vpcCidr, newBits, azSlot(az) + (tier === "private" ? half : 0));
}

/** An Amazon-provided VPC IPv6 block is a /56 and AWS subnets take exactly a /64: 8 new bits. */
export const IPV6_SUBNET_NEW_BITS = 8;

/**
 * Index of a subnet's IPv6 /64 inside the VPC's /56, by the IPv4 scheme: public subnets in the
 * lower half at the slot of their AZ letter, private ones in the upper half (1a public → 0,
 * 1c public → 2, 1a private → 128). The block itself is only known after apply, so the network
 * passes this index to Terraform's `cidrsubnet`.
 */
export function ipv6SubnetIndex(az: string, tier: "public" | "private"): number {
  return azSlot(az) + (tier === "private" ? 2 ** (IPV6_SUBNET_NEW_BITS - 1) : 0);
}
