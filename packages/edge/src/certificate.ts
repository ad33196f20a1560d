import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Validator, isKnown } from "@platform/core";
import { Fn, TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { certificateNameProblem, domainNameProblem, isWithinZone, validationDomain } from "./domain";
import type { HostedZoneRef } from "./public-zone";

/** Key algorithms ACM issues public certificates with. */
export type CertificateKeyAlgorithm = "RSA_2048" | "EC_prime256v1" | "EC_secp384r1";

/** ACM's default quota of names per certificate (domain name plus alternative names). */
export const ACM_DEFAULT_NAMES_PER_CERTIFICATE = 10;

export interface CertificateProps {
  /** The hosted zone that answers for every name of the certificate; validation records go there. */
  readonly zone: HostedZoneRef;
  /**
   * The certificate's primary name.
   * @default the zone's domain name (the apex)
   */
  readonly domainName?: string;
  /**
   * Further names, each inside the zone. A wildcard covers one level only:
   * `*.example.com` covers `www.example.com` but not `example.com` or `a.b.example.com`.
   * @default [`*.<domainName>`]: the apex plus every direct subdomain such as `www`
   */
  readonly subjectAlternativeNames?: readonly string[];
  /**
   * `RSA_2048` works with every client; ECDSA keys are smaller and faster but old clients
   * (and some ALB security policies) do not accept them.
   * @default "RSA_2048"
   */
  readonly keyAlgorithm?: CertificateKeyAlgorithm;
}

/**
 * A public ACM certificate and its DNS validation records in a Route53 zone. It does NOT wait
 * for issuance: on a first deploy ACM can issue only after the registrar delegates the domain
 * to the zone's name servers, and those are printed only when the apply that creates the zone
 * ends. The wait is a {@link CertificateValidation}, in a later stack (`<env>-certificate`).
 */
export class Certificate extends Construct {
  readonly certificate: AcmCertificate;
  /** One CNAME per distinct validation domain, `for_each` keyed by that domain. */
  readonly validationRecords: Route53Record;
  /**
   * ARN of the REQUESTED certificate, possibly not issued yet. Listeners take the ARN of a
   * {@link CertificateValidation} instead, so they are created only once it is issued.
   */
  readonly requestedCertificateArn: string;
  /** FQDNs of the validation records, for the validation wait. */
  readonly validationRecordFqdns: string[];
  /** `PENDING_VALIDATION` on the apply that creates it, `ISSUED` on every later refresh. */
  readonly certificateStatus: string;
  /** Primary name followed by the alternative names, as given. */
  readonly domainNames: readonly string[];

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const domainName = props.domainName ?? props.zone.zoneName;
    const alternativeNames = [...(props.subjectAlternativeNames ?? [`*.${domainName}`])];
    validate(this.node.path, props, domainName, alternativeNames);
    this.domainNames = [domainName, ...alternativeNames];

    this.certificate = new AcmCertificate(this, "certificate", {
      domainName,
      subjectAlternativeNames: alternativeNames,
      validationMethod: "DNS",
      keyAlgorithm: props.keyAlgorithm ?? "RSA_2048",
      tags: { Name: domainName },
      // Listeners hold the certificate: a replacement must exist before the old one goes.
      lifecycle: { createBeforeDestroy: true },
    });

    // `example.com` and `*.example.com` get the same validation CNAME from ACM. Keying
    // records by the distinct validation domains, known at synth time, makes exactly one
    // record per CNAME with plannable `for_each` keys; each value picks that domain's entry
    // out of the certificate's `domain_validation_options` set.
    const options = TerraformIterator.fromList(Token.asAny(this.certificate.domainValidationOptions));
    const distinct = [...new Set(this.domainNames.map(validationDomain))];
    const byDomain = Object.fromEntries(
      distinct.map((domain) => [
        domain,
        Fn.element(options.forExpressionForList(`val if trimprefix(val.domain_name, "*.") == "${domain}"`), 0),
      ]),
    );
    const record = TerraformIterator.fromMap(byDomain);
    this.validationRecords = new Route53Record(this, "validation", {
      forEach: record,
      zoneId: props.zone.zoneId,
      name: record.getString("resource_record_name"),
      type: record.getString("resource_record_type"),
      records: [record.getString("resource_record_value")],
      ttl: 300,
      // A previous certificate for the same names in this account left the same CNAME.
      allowOverwrite: true,
    });

    this.requestedCertificateArn = this.certificate.arn;
    this.validationRecordFqdns = Token.asList(TerraformIterator.fromResources(this.validationRecords).pluckProperty("fqdn"));
    this.certificateStatus = this.certificate.status;
  }
}

function validate(path: string, props: CertificateProps, domainName: string, alternativeNames: string[]): void {
  const v = new Validator(path);
  const zoneName = props.zone.zoneName;
  const zoneKnown = isKnown(zoneName) && domainNameProblem(zoneName) === undefined;
  v.check(zoneKnown, "zone.zoneName", zoneName, "must be a literal lower-case domain name (e.g. \"example.com\").");

  const names: [string, string][] = [
    ["domainName", domainName],
    ...alternativeNames.map((n, i): [string, string] => [`subjectAlternativeNames[${i}]`, n]),
  ];
  for (const [field, name] of names) {
    // Validation records are keyed by name at synth time, so names must be literals.
    if (!isKnown(name)) {
      v.fail(field, name, "must be a literal domain name, not a value known only at apply time.");
      continue;
    }
    const problem = certificateNameProblem(name);
    if (!v.check(problem === undefined, field, name, `${problem}; use a lower-case DNS name like "example.com" or "*.example.com".`)) continue;
    if (zoneKnown) {
      v.check(
        isWithinZone(validationDomain(name), zoneName),
        field,
        name,
        `is outside the zone "${zoneName}", so its validation record cannot be created there; use a name ending in ".${zoneName}" or the zone name itself.`,
      );
    }
  }
  const seen = new Set<string>();
  names.forEach(([field, name]) => {
    v.check(!seen.has(name), field, name, "is listed twice; each name may appear once (the primary name is included automatically).");
    seen.add(name);
  });
  v.check(
    names.length <= ACM_DEFAULT_NAMES_PER_CERTIFICATE,
    "subjectAlternativeNames",
    alternativeNames,
    `gives ${names.length} names; ACM allows ${ACM_DEFAULT_NAMES_PER_CERTIFICATE} per certificate unless the quota is raised. Split the names across certificates or use a wildcard.`,
  );
  v.throwIfAny();
}
