import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { CONSTRUCT_KEY_PATTERN, Validator, isKnown } from "@platform/core";
import { Construct } from "constructs";
import { DNS_NAME_MAX, domainNameProblem } from "./domain";
import type { HostedZoneRef } from "./public-zone";

/** What an alias record points at: a load balancer's DNS name and canonical hosted zone. */
export interface AliasTarget {
  /** DNS name of the target, e.g. the ALB's `dns_name`. */
  readonly dnsName: string;
  /** Canonical hosted zone ID of the target, e.g. the ALB's `zone_id` (not the Route53 zone). */
  readonly zoneId: string;
}

export interface AliasRecordsProps {
  /** The zone the records go in. */
  readonly zone: HostedZoneRef;
  /** Where every record points. */
  readonly target: AliasTarget;
  /**
   * Host names to create, keyed by a stable ID: the value is the name relative to the zone,
   * `""` for the apex. The key becomes the construct ID, so renaming a host keeps its key.
   * @default { apex: "", www: "www" }
   */
  readonly hosts?: Readonly<Record<string, string>>;
  /**
   * Also create AAAA records. They answer only when the target is dual-stack
   * (an ALB with `ip_address_type = "dualstack"`); for an IPv4-only ALB they return no
   * address, which clients handle by falling back to A.
   * @default true
   */
  readonly ipv6?: boolean;
  /**
   * Let Route53 check the ALB's target health before answering.
   * @default true
   */
  readonly evaluateTargetHealth?: boolean;
}

/** A (and AAAA) alias records for the apex and subdomains of a zone, pointing at one target. */
export class AliasRecords extends Construct {
  /** Records by host key, then by type (`A`, `AAAA`). */
  readonly records: Record<string, Record<string, Route53Record>>;
  /** Fully qualified names by host key, e.g. `{ apex: "example.com", www: "www.example.com" }`. */
  readonly fqdns: Record<string, string>;
  /** `https://` URLs by host key, for outputs such as `website_url`. */
  readonly urls: Record<string, string>;

  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
    const hosts = props.hosts ?? { apex: "", www: "www" };
    const zoneName = props.zone.zoneName;
    validate(this.node.path, zoneName, hosts);

    const types = props.ipv6 ?? true ? ["A", "AAAA"] : ["A"];
    this.records = {};
    this.fqdns = {};
    this.urls = {};
    for (const [key, host] of Object.entries(hosts)) {
      const name = host === "" ? zoneName : `${host}.${zoneName}`;
      this.fqdns[key] = name;
      this.urls[key] = `https://${name}`;
      this.records[key] = Object.fromEntries(
        types.map((type) => [
          type,
          new Route53Record(this, `${key}-${type.toLowerCase()}`, {
            zoneId: props.zone.zoneId,
            name,
            type,
            alias: {
              name: props.target.dnsName,
              zoneId: props.target.zoneId,
              evaluateTargetHealth: props.evaluateTargetHealth ?? true,
            },
          }),
        ]),
      );
    }
  }
}

function validate(path: string, zoneName: string, hosts: Readonly<Record<string, string>>): void {
  const v = new Validator(path);
  v.check(
    isKnown(zoneName) && domainNameProblem(zoneName) === undefined,
    "zone.zoneName",
    zoneName,
    "must be a literal lower-case domain name (e.g. \"example.com\").",
  );
  v.check(Object.keys(hosts).length > 0, "hosts", hosts, "is empty; name at least one host, e.g. { apex: \"\" }.");
  const seen = new Map<string, string>();
  for (const [key, host] of Object.entries(hosts)) {
    v.check(
      CONSTRUCT_KEY_PATTERN.test(key),
      `hosts.${key}`,
      key,
      "is not a valid key; use 1-31 lower-case letters, digits and hyphens starting with a letter (e.g. \"www\").",
    );
    if (host !== "") {
      // A relative name is valid when it forms a valid name together with any suffix.
      const problem = domainNameProblem(`${host}.example`);
      const absolute = host === zoneName || host.endsWith(`.${zoneName}`);
      if (!v.check(problem === undefined, `hosts.${key}`, host, `${problem}; give the name relative to the zone (e.g. "www"), or "" for the apex.`)) continue;
      const relative = host === zoneName ? "" : host.slice(0, -(zoneName.length + 1));
      v.check(!absolute, `hosts.${key}`, host, `already includes the zone name; write it relative to the zone: ${JSON.stringify(relative)}.`);
      v.check(
        host.length + 1 + zoneName.length <= DNS_NAME_MAX,
        `hosts.${key}`,
        host,
        `makes a name longer than ${DNS_NAME_MAX} characters; shorten it.`,
      );
    }
    const other = seen.get(host);
    v.check(other === undefined, `hosts.${key}`, host, `is the same host as hosts.${other}; list each host once.`);
    seen.set(host, key);
  }
  v.throwIfAny();
}
