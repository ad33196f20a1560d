import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { onlyResource, synth, testStack } from "@platform/core/testing";
import { Certificate, CertificateValidation, PublicZone } from "../src/index";

const zoneRef = { zoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" };

describe("Certificate for the apex and its wildcard", () => {
  const stack = testStack("dns");
  const zone = new PublicZone(stack, "zone", { domainName: "example.com" });
  const certificate = new Certificate(stack, "certificate", { zone });
  new TerraformOutput(stack, "arn", { value: certificate.requestedCertificateArn });
  new TerraformOutput(stack, "status", { value: certificate.certificateStatus });
  const json = synth(stack);
  const cert = onlyResource(json, "aws_acm_certificate");
  const record = onlyResource(json, "aws_route53_record");
  const certAddress = `aws_acm_certificate.${Object.keys(json.resource!.aws_acm_certificate!)[0]}`;
  const recordAddress = `aws_route53_record.${Object.keys(json.resource!.aws_route53_record!)[0]}`;

  it("requests an RSA_2048 certificate for the apex with a wildcard alternative name, validated by DNS", () => {
    expect(cert).toMatchObject({
      domain_name: "example.com",
      subject_alternative_names: ["*.example.com"],
      validation_method: "DNS",
      key_algorithm: "RSA_2048",
    });
    expect(certificate.domainNames).toEqual(["example.com", "*.example.com"]);
  });

  it("is replaced create-before-destroy so the listener always holds a certificate", () => {
    expect(cert.lifecycle).toEqual({ create_before_destroy: true });
  });

  it("writes ONE validation record for apex and wildcard, keyed by the validation domain", () => {
    const forEach = record.for_each as Record<string, string>;
    expect(Object.keys(forEach)).toEqual(["example.com"]);
    expect(forEach["example.com"]).toContain(`${certAddress}.domain_validation_options`);
    expect(forEach["example.com"]).toContain('trimprefix(val.domain_name, "*.") == "example.com"');
    expect(record).toMatchObject({
      name: "${each.value.resource_record_name}",
      type: "${each.value.resource_record_type}",
      records: ["${each.value.resource_record_value}"],
      allow_overwrite: true,
      zone_id: expect.stringMatching(/^\$\{aws_route53_zone\.zone_[0-9A-F]{8}\.zone_id\}$/),
    });
  });

  it("does not wait for issuance (a first deploy would stall before printing the name servers)", () => {
    expect(json.resource!.aws_acm_certificate_validation).toBeUndefined();
    expect(json.output!.arn!.value).toBe(`\${${certAddress}.arn}`);
    expect(json.output!.status!.value).toBe(`\${${certAddress}.status}`);
  });

  it("hands the validation records' FQDNs to a validation wait", () => {
    const wait = new CertificateValidation(stack, "wait", {
      certificateArn: certificate.requestedCertificateArn,
      validationRecordFqdns: certificate.validationRecordFqdns,
    });
    const validation = onlyResource(synth(stack), "aws_acm_certificate_validation");
    expect(validation.certificate_arn).toBe(`\${${certAddress}.arn}`);
    expect(validation.validation_record_fqdns).toBe(`\${[ for key, val in ${recordAddress}: val.fqdn]}`);
    expect(validation.timeouts).toEqual({ create: "75m" });
    expect(wait.certificateArn).toMatch(/^\$\{TfToken/);
  });
});

describe("Certificate with several validation domains", () => {
  const stack = testStack("dns");
  new Certificate(stack, "certificate", {
    zone: zoneRef,
    domainName: "app.example.com",
    subjectAlternativeNames: ["*.app.example.com", "api.example.com", "*.example.com"],
    keyAlgorithm: "EC_prime256v1",
  });
  new CertificateValidation(stack, "wait", { certificateArn: "arn:aws:acm:ap-northeast-1:123456789012:certificate/x", timeoutMinutes: 30 });
  const json = synth(stack);

  it("makes one record per distinct validation domain", () => {
    const forEach = onlyResource(json, "aws_route53_record").for_each as Record<string, string>;
    expect(Object.keys(forEach).sort()).toEqual(["api.example.com", "app.example.com", "example.com"]);
    expect(onlyResource(json, "aws_route53_record").zone_id).toBe("Z0123456789ABCDEFGHIJ");
  });

  it("passes the key algorithm and the validation timeout through", () => {
    expect(onlyResource(json, "aws_acm_certificate")).toMatchObject({ domain_name: "app.example.com", key_algorithm: "EC_prime256v1" });
    expect(onlyResource(json, "aws_acm_certificate_validation").timeouts).toEqual({ create: "30m" });
  });
});

describe("Certificate validation", () => {
  const make = (props: Partial<ConstructorParameters<typeof Certificate>[2]>) => () =>
    new Certificate(testStack("bad"), "certificate", { zone: zoneRef, ...props });

  it("fails when an alternative name lies outside the zone, naming the prop, value and fix", () => {
    expect(make({ subjectAlternativeNames: ["*.example.org"] })).toThrow(
      /certificate\.subjectAlternativeNames\[0\]: "\*\.example\.org" is outside the zone "example\.com".*use a name ending in "\.example\.com"/,
    );
  });

  it("fails when a name is not a valid DNS name or puts the wildcard in the middle", () => {
    expect(make({ domainName: "Example.com" })).toThrow(/certificate\.domainName: "Example\.com" has upper-case letters/);
    expect(make({ subjectAlternativeNames: ["www.*.example.com"] })).toThrow(/subjectAlternativeNames\[0\].*leftmost label/);
  });

  it("fails when a name is listed twice", () => {
    expect(make({ subjectAlternativeNames: ["example.com"] })).toThrow(/subjectAlternativeNames\[0\]: "example\.com" is listed twice/);
  });

  it("fails when there are more names than ACM's default quota", () => {
    const many = Array.from({ length: 10 }, (_, i) => `h${i}.example.com`);
    expect(make({ subjectAlternativeNames: many })).toThrow(/gives 11 names; ACM allows 10/);
  });

  it("fails when a name is only known at apply time", () => {
    const stack = testStack("bad");
    const zone = new PublicZone(stack, "zone", { domainName: "example.com" });
    expect(() => new Certificate(stack, "certificate", { zone, domainName: zone.zone.name })).toThrow(
      /certificate\.domainName: .* must be a literal domain name/,
    );
  });

  it("fails when the validation timeout is out of range", () => {
    expect(() => new CertificateValidation(testStack("bad"), "wait", { certificateArn: "x", timeoutMinutes: 2 })).toThrow(
      /wait\.timeoutMinutes: 2 must be a whole number of minutes between 5 and 1440/,
    );
  });
});
