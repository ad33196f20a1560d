import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { onlyResource, synth, testStack } from "@platform/core/testing";
import { PublicZone } from "../src/index";

describe("PublicZone", () => {
  const stack = testStack("dns");
  const zone = new PublicZone(stack, "zone", { domainName: "tidilyspace.app" });
  new TerraformOutput(stack, "zone_id", { value: zone.zoneId });
  new TerraformOutput(stack, "name_servers", { value: zone.nameServers });
  const json = synth(stack);

  it("creates a public zone that refuses to be destroyed or to drop its records", () => {
    const resource = onlyResource(json, "aws_route53_zone");
    expect(resource).toMatchObject({ name: "tidilyspace.app", force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(resource.vpc).toBeUndefined();
  });

  it("exposes the literal zone name and the zone's id and name servers as references", () => {
    expect(zone.zoneName).toBe("tidilyspace.app");
    expect(json.output!.zone_id!.value).toMatch(/^\$\{aws_route53_zone\.zone_[0-9A-F]{8}\.zone_id\}$/);
    expect(json.output!.name_servers!.value).toMatch(/^\$\{aws_route53_zone\.zone_[0-9A-F]{8}\.name_servers\}$/);
  });

  it("lets a throw-away environment allow destroying the zone", () => {
    const s = testStack("dns2");
    new PublicZone(s, "zone", { domainName: "example.com", preventDestroy: false });
    expect(onlyResource(synth(s), "aws_route53_zone").lifecycle).toEqual({ prevent_destroy: false });
  });

  it("fails when the domain has a scheme, naming the prop, the value and the fix", () => {
    expect(() => new PublicZone(testStack("bad"), "zone", { domainName: "https://example.com" })).toThrow(
      /zone\.domainName: "https:\/\/example\.com" contains a URL scheme; .*use a lower-case DNS name like "example\.com"/,
    );
  });

  it("fails when the domain is a single label, upper case or has a trailing dot", () => {
    for (const [domainName, reason] of [
      ["localhost", /single label/],
      ["Example.com", /upper-case/],
      ["example.com.", /trailing dot/],
      [`${"x".repeat(64)}.com`, /longer than 63/],
    ] as const) {
      expect(() => new PublicZone(testStack("bad"), "zone", { domainName })).toThrow(reason);
    }
  });

  it("fails when the domain is only known at apply time", () => {
    const s = testStack("bad");
    const other = new PublicZone(s, "other", { domainName: "example.com" });
    expect(() => new PublicZone(s, "zone", { domainName: other.zone.name })).toThrow(/zone\.domainName: .* must be a literal domain name/);
  });
});
