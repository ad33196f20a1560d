import { EnvironmentStack, type Environment } from "@platform/core";
import { CertificateValidation, type EdgeRef } from "@platform/edge";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";

/**
 * `<env>-certificate`: only the wait for ACM to issue the dns stack's certificate. On a first
 * deploy it waits (up to 75 minutes) for the registrar to delegate the domain; because the zone
 * came out in an earlier wave, its name servers are already printed by then. Compute's HTTPS
 * listener takes the ARN from here, so it is created only once the certificate is issued.
 */
export class CertificateStack extends EnvironmentStack {
  readonly validation: CertificateValidation;
  readonly ref: { readonly certificateArn: string };

  constructor(scope: Construct, environment: Environment, deps: { readonly dns: EdgeRef }) {
    super(scope, { environment, layer: "certificate" });
    this.validation = new CertificateValidation(this, "certificate", { certificateArn: deps.dns.requestedCertificateArn });
    this.ref = { certificateArn: this.validation.certificateArn };
    new TerraformOutput(this, "acm_certificate_arn", {
      value: this.validation.certificateArn,
      description: "The issued apex + wildcard certificate",
    });
  }
}
