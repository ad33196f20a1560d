import { describe, expect, it } from "vitest";
import { listResources, resourceAddresses, synth } from "@platform/core/testing";
import { Testing } from "cdktf";
import { prodLikeEdgeStack } from "./fixtures/prod-like";

describe("prod-like edge (seed 003)", () => {
  const json = synth(prodLikeEdgeStack());

  it("has the zone, one validated wildcard certificate, apex + www aliases and a logged WAF", () => {
    const types = resourceAddresses(json).map((a) => a.split(".")[0]);
    expect(types.filter((t) => t === "aws_route53_record")).toHaveLength(5); // 4 aliases + 1 validation
    for (const type of [
      "aws_route53_zone",
      "aws_acm_certificate",
      "aws_acm_certificate_validation",
      "aws_wafv2_web_acl",
      "aws_wafv2_web_acl_association",
      "aws_wafv2_web_acl_logging_configuration",
      "aws_cloudwatch_log_group",
    ]) {
      expect(types.filter((t) => t === type), type).toHaveLength(1);
    }
    expect(json.data).toBeUndefined();
  });

  it("gives people the outputs the seed's runbook reads", () => {
    expect(Object.keys(json.output!).sort()).toEqual([
      "acm_certificate_arn",
      "acm_certificate_status",
      "domain_name",
      "route53_zone_name_servers",
      "website_url",
    ]);
    expect(json.output!.website_url!.value).toBe("https://example.com");
  });

  it("wires a real ALB's references into the aliases and the WAF association", () => {
    const withAlb = synth(prodLikeEdgeStack(Testing.app(), { dummyAlb: true }));
    const association = listResources(withAlb, "aws_wafv2_web_acl_association")[0]!;
    expect(association.resource_arn).toMatch(/^\$\{aws_lb\.alb\.arn\}$/);
    const alias = listResources(withAlb, "aws_route53_record").find((r) => r.alias)!;
    expect(alias.alias).toMatchObject({ name: "${aws_lb.alb.dns_name}", zone_id: "${aws_lb.alb.zone_id}" });
  });
});
