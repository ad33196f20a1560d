import { Certificate, CertificateValidation, PublicZone } from "@platform/edge";
import type { TerraformStack } from "cdktf";
declare const dnsStack: TerraformStack;
declare const certificateStack: TerraformStack;

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
const zone = new PublicZone(dnsStack, "zone", { domainName: "example.com" });
const certificate = new Certificate(dnsStack, "certificate", { zone });        // request + validation records, no wait
// in a later stack: wait for issuance, then hand the ARN to the HTTPS listener
new CertificateValidation(certificateStack, "certificate", { certificateArn: certificate.requestedCertificateArn });
