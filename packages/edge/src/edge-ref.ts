import type { Certificate } from "./certificate";
import type { PublicZone } from "./public-zone";

/**
 * What the DNS stack hands to later stacks: the certificate stack waits on
 * `requestedCertificateArn`, the edge stack takes the zone for alias records. Every field is
 * also worth an output for people (`name servers`, `certificate status`).
 */
export interface EdgeRef {
  readonly zoneId: string;
  /** Domain name of the zone, e.g. `example.com`. */
  readonly zoneName: string;
  /** Name servers to enter at the registrar. */
  readonly nameServers: string[];
  /** ARN of the requested certificate, issued only once DNS validation has completed. */
  readonly requestedCertificateArn: string;
  /** ACM status, `ISSUED` once validation has completed. */
  readonly certificateStatus: string;
}

/** The ref of a zone and the certificate validated in it. */
export function edgeRefOf(zone: PublicZone, certificate: Certificate): EdgeRef {
  return {
    zoneId: zone.zoneId,
    zoneName: zone.zoneName,
    nameServers: zone.nameServers,
    requestedCertificateArn: certificate.requestedCertificateArn,
    certificateStatus: certificate.certificateStatus,
  };
}
