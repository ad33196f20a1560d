import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Validator, isKnown } from "@platform/core";
import { Construct } from "constructs";
import { domainNameProblem } from "./domain";

/** A hosted zone as other constructs need it: its ID and its domain name. */
export interface HostedZoneRef {
  /** Route53 hosted zone ID, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly zoneId: string;
  /** Domain name of the zone without a trailing dot, e.g. `example.com`. */
  readonly zoneName: string;
}

export interface PublicZoneProps {
  /**
   * The domain the zone serves, e.g. `example.com`: lower case, no trailing dot, no scheme.
   * Register (or delegate) it to the zone's name servers after the first deploy.
   */
  readonly domainName: string;
  /**
   * Shown in the Route53 console.
   * @default "Managed by cdktf"
   */
  readonly comment?: string;
  /**
   * Refuse any plan that destroys (or replaces) the zone. A new zone gets new name servers,
   * so replacing it silently breaks the delegation at the registrar until someone notices.
   * Set to false only for throw-away environments.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * A public Route53 hosted zone for one domain. Records are never force-deleted with it:
 * destroying a zone that still holds records fails instead of erasing them.
 */
export class PublicZone extends Construct implements HostedZoneRef {
  readonly zone: Route53Zone;
  readonly zoneId: string;
  /** The domain name as given (a literal, not a token), without a trailing dot. */
  readonly zoneName: string;
  /** The four name servers to enter at the registrar. */
  readonly nameServers: string[];

  constructor(scope: Construct, id: string, props: PublicZoneProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    if (isKnown(props.domainName)) {
      const problem = domainNameProblem(props.domainName);
      v.check(
        problem === undefined,
        "domainName",
        props.domainName,
        `${problem}; use a lower-case DNS name like "example.com" (labels of 1-63 letters, digits or hyphens, at least two labels, at most 253 characters, no scheme and no trailing dot).`,
      );
    } else {
      v.fail("domainName", props.domainName, "must be a literal domain name (e.g. \"example.com\"), not a value known only at apply time.");
    }
    v.throwIfAny();

    this.zone = new Route53Zone(this, "zone", {
      name: props.domainName,
      comment: props.comment ?? "Managed by cdktf",
      forceDestroy: false,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.zoneId = this.zone.zoneId;
    this.zoneName = props.domainName;
    this.nameServers = this.zone.nameServers;
  }
}
