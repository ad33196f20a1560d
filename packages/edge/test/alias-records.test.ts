import { describe, expect, it } from "vitest";
import { listResources, synth, testStack } from "@platform/core/testing";
import { AliasRecords } from "../src/index";

const zone = { zoneId: "Z0123456789ABCDEFGHIJ", zoneName: "example.com" };
const target = { dnsName: "acme-prod-web-1.ap-northeast-1.elb.amazonaws.com", zoneId: "Z14GRHDCWA56QT" };

describe("AliasRecords with defaults", () => {
  const stack = testStack("edge");
  const aliases = new AliasRecords(stack, "aliases", { zone, target });
  const records = listResources(synth(stack), "aws_route53_record");

  it("creates A and AAAA alias records for the apex and www", () => {
    expect(records.map((r) => `${r.name} ${r.type}`).sort()).toEqual([
      "example.com A",
      "example.com AAAA",
      "www.example.com A",
      "www.example.com AAAA",
    ]);
  });

  it("points every record at the ALB's DNS name and canonical zone, evaluating target health", () => {
    for (const record of records) {
      expect(record).toMatchObject({
        zone_id: "Z0123456789ABCDEFGHIJ",
        alias: { name: target.dnsName, zone_id: "Z14GRHDCWA56QT", evaluate_target_health: true },
      });
      expect(record.records).toBeUndefined();
      expect(record.ttl).toBeUndefined();
      expect(record.allow_overwrite).toBeUndefined();
    }
  });

  it("exposes names and https URLs by host key", () => {
    expect(aliases.fqdns).toEqual({ apex: "example.com", www: "www.example.com" });
    expect(aliases.urls).toEqual({ apex: "https://example.com", www: "https://www.example.com" });
    expect(Object.keys(aliases.records.www!)).toEqual(["A", "AAAA"]);
  });
});

describe("AliasRecords with options", () => {
  it("creates only A records when IPv6 is off, for the hosts given", () => {
    const stack = testStack("edge");
    new AliasRecords(stack, "aliases", { zone, target, hosts: { app: "app", admin: "admin.internal" }, ipv6: false, evaluateTargetHealth: false });
    const records = listResources(synth(stack), "aws_route53_record");
    expect(records.map((r) => `${r.name} ${r.type}`).sort()).toEqual(["admin.internal.example.com A", "app.example.com A"]);
    expect(records.every((r) => (r.alias as { evaluate_target_health: boolean }).evaluate_target_health === false)).toBe(true);
  });

  it("fails when a host already includes the zone name, suggesting the relative name", () => {
    expect(() => new AliasRecords(testStack("bad"), "aliases", { zone, target, hosts: { www: "www.example.com" } })).toThrow(
      /aliases\.hosts\.www: "www\.example\.com" already includes the zone name; write it relative to the zone: "www"/,
    );
  });

  it("fails when a host is not a DNS label, a key is not a construct key, or a host is listed twice", () => {
    const make = (hosts: Record<string, string>) => () => new AliasRecords(testStack("bad"), "aliases", { zone, target, hosts });
    expect(make({ www: "WWW" })).toThrow(/hosts\.www: "WWW" has upper-case letters/);
    expect(make({ Www: "www" })).toThrow(/hosts\.Www: "Www" is not a valid key/);
    expect(make({ apex: "", root: "" })).toThrow(/hosts\.root: "" is the same host as hosts\.apex/);
    expect(make({})).toThrow(/hosts: \{\} is empty/);
  });
});
