import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { CONSTRUCT_KEY_PATTERN, type Validator, isKnown, isValidCidr } from "@platform/core";
import type { Construct } from "constructs";
import { isValidIpv6Cidr } from "@platform/core";

/**
 * One declared outbound destination of service tasks beyond HTTPS and the database, e.g. MongoDB
 * Atlas: `{ cidrs: ["192.0.2.0/24"], port: 27017 }`. One rule resource per CIDR or prefix list.
 */
export interface EgressDestination {
  /**
   * IPv4 or IPv6 networks in CIDR form.
   * @default none (then prefixListIds must be set)
   */
  readonly cidrs?: readonly string[];
  /**
   * Managed prefix lists (`pl-…`), e.g. a vendor's or an AWS service's.
   * @default none (then cidrs must be set)
   */
  readonly prefixListIds?: readonly string[];
  /** @default "tcp" */
  readonly protocol?: "tcp" | "udp";
  /** Destination port, 1–65535. */
  readonly port: number;
  /**
   * Last port of a range starting at `port`.
   * @default port (a single port)
   */
  readonly toPort?: number;
}

const PREFIX_LIST = /^pl-[0-9a-f]{8,17}$/;

/** Checks destinations keyed by name; fields are `<field>.<name>.…`. */
export function validateEgress(v: Validator, field: string, egress: Readonly<Record<string, EgressDestination>> | undefined): void {
  for (const [name, d] of Object.entries(egress ?? {})) {
    const f = `${field}.${name}`;
    v.check(CONSTRUCT_KEY_PATTERN.test(name), f, name, 'destination names become resource names: 1-31 lower-case letters, digits and hyphens, starting with a letter (e.g. "atlas").');
    const cidrs = d.cidrs ?? [];
    const lists = d.prefixListIds ?? [];
    v.check(cidrs.length + lists.length > 0, f, d, "names no destination; list cidrs (e.g. the Atlas project's IP ranges) or prefixListIds.");
    cidrs.forEach((cidr, i) => {
      if (!isKnown(cidr)) return;
      v.check(isValidCidr(cidr) || isValidIpv6Cidr(cidr), `${f}.cidrs[${i}]`, cidr, 'is not a network in CIDR form without host bits, e.g. "192.0.2.0/24" or "2001:db8::/32".');
    });
    v.check(new Set(cidrs).size === cidrs.length, `${f}.cidrs`, cidrs, "lists a CIDR twice; list each once.");
    lists.forEach((id, i) => {
      if (isKnown(id)) v.check(PREFIX_LIST.test(id), `${f}.prefixListIds[${i}]`, id, 'is not a prefix list ID; write e.g. "pl-0123456789abcdef0".');
    });
    const protocol = d.protocol ?? "tcp";
    v.check(protocol === "tcp" || protocol === "udp", `${f}.protocol`, protocol, 'must be "tcp" or "udp".');
    const portOk = v.check(Number.isInteger(d.port) && d.port >= 1 && d.port <= 65535, `${f}.port`, d.port, "must be a port number between 1 and 65535.");
    if (d.toPort !== undefined && portOk) {
      v.check(Number.isInteger(d.toPort) && d.toPort >= d.port && d.toPort <= 65535, `${f}.toPort`, d.toPort, `must be a port number between port (${d.port}) and 65535.`);
    }
  }
}

/** Egress rules of `securityGroupId` for every destination; ids are `<idPrefix>-<name>-<destination>`. */
export function addEgressRules(
  scope: Construct,
  idPrefix: string,
  securityGroupId: string,
  egress: Readonly<Record<string, EgressDestination>> | undefined,
): VpcSecurityGroupEgressRule[] {
  const rules: VpcSecurityGroupEgressRule[] = [];
  for (const [name, d] of Object.entries(egress ?? {})) {
    const ports = { ipProtocol: d.protocol ?? "tcp", fromPort: d.port, toPort: d.toPort ?? d.port };
    const range = ports.toPort === ports.fromPort ? `${ports.fromPort}` : `${ports.fromPort}-${ports.toPort}`;
    const description = `Declared egress "${name}": ${ports.ipProtocol} ${range}`;
    // Keyed by the destination itself, so adding or reordering destinations never re-creates another's rule.
    for (const cidr of d.cidrs ?? []) {
      const v6 = cidr.includes(":");
      rules.push(
        new VpcSecurityGroupEgressRule(scope, `${idPrefix}-${name}-${cidr.replace(/[^0-9A-Fa-f]+/g, "-")}`, {
          securityGroupId,
          description,
          ...ports,
          ...(v6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
        }),
      );
    }
    for (const id of d.prefixListIds ?? []) {
      rules.push(new VpcSecurityGroupEgressRule(scope, `${idPrefix}-${name}-${id}`, { securityGroupId, description, ...ports, prefixListId: id }));
    }
  }
  return rules;
}
