import { EnvironmentStack, type Environment } from "@platform/core";
import { Certificate, PublicZone, edgeRefOf, type EdgeRef } from "@platform/edge";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { EdgeConfig } from "./environment-config";

/**
 * `<env>-dns`: the public zone, the apex + wildcard certificate request and its validation
 * records. Nothing here waits for DNS: the apply ends, and prints the name servers to enter at
 * the registrar, before `<env>-certificate` waits for issuance.
 */
export class DnsStack extends EnvironmentStack {
  readonly zone: PublicZone;
  readonly certificate: Certificate;
  readonly ref: EdgeRef;

  constructor(scope: Construct, environment: Environment, config: EdgeConfig) {
    super(scope, { environment, layer: "dns" });
    this.zone = new PublicZone(this, "zone", { domainName: config.domain });
    this.certificate = new Certificate(this, "certificate", { zone: this.zone });
    this.ref = edgeRefOf(this.zone, this.certificate);

    new TerraformOutput(this, "domain_name", { value: config.domain, description: "The site's domain" });
    new TerraformOutput(this, "route53_zone_name_servers", {
      value: this.zone.nameServers,
      description: "Enter these at the domain registrar",
    });
    new TerraformOutput(this, "acm_certificate_arn", {
      value: this.certificate.requestedCertificateArn,
      description: "Apex + wildcard certificate (requested; <env>-certificate waits until it is issued)",
    });
    new TerraformOutput(this, "acm_certificate_status", {
      value: this.certificate.certificateStatus,
      description: "ISSUED once DNS validation has completed",
    });
  }
}
