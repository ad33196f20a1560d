import { type ArnShape, type Validator, checkArn, isKnown, isValidCidr, isValidIpv6Cidr } from "@platform/core";

/** The two "whole internet" blocks: allowlists must never contain them. */
export const ANYWHERE_CIDRS = ["0.0.0.0/0", "::/0"] as const;

/** Which family a (valid) CIDR is, for splitting rules into IPv4 and IPv6 lists. */
export function isIpv6Cidr(text: string): boolean {
  return text.includes(":");
}

/** True for an integer TCP/UDP port 1-65535. */
export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** Checks a list of ports: non-empty (unless allowed), each 1-65535, no duplicates (AWS rejects duplicate rules). */
export function checkPorts(v: Validator, field: string, ports: readonly number[], allowEmpty = false): void {
  if (!isKnown(ports as number[])) return;
  if (!allowEmpty) v.check(ports.length > 0, field, ports, "must list at least one port.");
  for (const port of ports) {
    if (!isKnown(port)) continue;
    v.check(isValidPort(port), field, port, "is not a port; use an integer between 1 and 65535.");
  }
  v.check(new Set(ports).size === ports.length, field, ports, "lists a port twice; list each port once.");
}

/**
 * Checks a literal CIDR allowlist: non-empty, valid IPv4/IPv6 network addresses, and never
 * the whole internet (that must be an explicit `{ public: true }`, visible in review).
 */
export function checkAllowedCidrs(v: Validator, field: string, cidrs: readonly string[]): void {
  if (!isKnown(cidrs as string[])) return;
  v.check(
    cidrs.length > 0,
    field,
    cidrs,
    "is empty, so nobody could reach the load balancer; list the office/VPN CIDRs, or use { public: true }.",
  );
  for (const cidr of cidrs) {
    if (!isKnown(cidr)) continue;
    if ((ANYWHERE_CIDRS as readonly string[]).includes(cidr)) {
      v.fail(field, cidr, "opens the load balancer to the whole internet; use albIngress: { public: true } instead.");
    } else {
      v.check(
        isValidCidr(cidr) || isValidIpv6Cidr(cidr),
        field,
        cidr,
        "is not a valid CIDR network address; write e.g. 203.0.113.10/32 (no host bits set).",
      );
    }
  }
  v.check(new Set(cidrs).size === cidrs.length, field, cidrs, "lists a CIDR twice; list each CIDR once.");
}

/** Checks that every literal ARN in `arns` is of `shape`, e.g. {@link ARN_SHAPES.ecrRepository}. */
export function checkArns(v: Validator, field: string, arns: readonly string[] | undefined, shape: ArnShape, hint: string): void {
  if (!arns || !isKnown(arns as string[])) return;
  for (const arn of arns) checkArn(v, field, arn, shape, `pass e.g. ${hint}`);
}

/** A KMS key's deletion window: KMS accepts 7 to 30 days. */
export function checkKeyDeletionWindow(v: Validator, days: number): void {
  v.check(Number.isInteger(days) && days >= 7 && days <= 30, "deletionWindowDays", days, "must be a whole number of days from 7 to 30 (KMS's range).");
}
