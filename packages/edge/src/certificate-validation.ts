import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { Validator } from "@platform/core";
import { Construct } from "constructs";

export interface CertificateValidationProps {
  /** ARN of the requested certificate ({@link Certificate.requestedCertificateArn}). */
  readonly certificateArn: string;
  /** FQDNs of its validation records ({@link Certificate.validationRecordFqdns}). @default not checked */
  readonly validationRecordFqdns?: string[];
  /**
   * How long an apply waits for ACM to issue the certificate. On the very first deploy
   * validation succeeds only once the registrar delegates the domain to the zone's name
   * servers: enter them at the registrar (`terraform output route53_zone_name_servers` of
   * `<env>-dns`) before or while this waits.
   * @default 75 (the provider's default)
   */
  readonly timeoutMinutes?: number;
}

/**
 * Waits until ACM has issued a certificate. Creating it calls no AWS API that changes
 * anything and destroying it only forgets it, so it lives in its own small stack: the apply
 * that creates the zone ends (and prints the name servers) before anything waits on DNS.
 */
export class CertificateValidation extends Construct {
  readonly validation: AcmCertificateValidation;
  /** ARN of the issued certificate: whatever uses it is created only after issuance. */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: CertificateValidationProps) {
    super(scope, id);
    const timeout = props.timeoutMinutes ?? 75;
    const v = new Validator(this.node.path);
    v.check(Number.isInteger(timeout) && timeout >= 5 && timeout <= 24 * 60, "timeoutMinutes", timeout, "must be a whole number of minutes between 5 and 1440.");
    v.throwIfAny();
    this.validation = new AcmCertificateValidation(this, "validation-wait", {
      certificateArn: props.certificateArn,
      validationRecordFqdns: props.validationRecordFqdns,
      timeouts: { create: `${timeout}m` },
    });
    this.certificateArn = this.validation.certificateArn;
  }
}
