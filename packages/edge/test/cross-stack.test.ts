import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { EnvironmentStack } from "@platform/core";
import { testEnvironment } from "@platform/core/testing";
import { AliasRecords, Certificate, PublicZone, edgeRefOf } from "../src/index";

describe("DNS stack → edge stack", () => {
  const app = Testing.app();
  const environment = testEnvironment({ name: "prod" });
  const dns = new EnvironmentStack(app, { environment, layer: "dns" });
  const zone = new PublicZone(dns, "zone", { domainName: "example.com" });
  const ref = edgeRefOf(zone, new Certificate(dns, "certificate", { zone }));
  const edge = new EnvironmentStack(app, { environment, layer: "edge" });
  new AliasRecords(edge, "aliases", {
    zone: ref,
    target: { dnsName: "x.ap-northeast-1.elb.amazonaws.com", zoneId: "Z14GRHDCWA56QT" },
  });
  app.synth();
  const read = (stack: string) => JSON.parse(readFileSync(join(app.outdir, "stacks", stack, "cdk.tf.json"), "utf8"));

  it("keeps the zone name literal and reads the zone ID from the DNS stack's state", () => {
    const json = read("prod-edge");
    const records = Object.values(json.resource.aws_route53_record) as { name: string; zone_id: string }[];
    expect(records.map((r) => r.name).sort()).toEqual(["example.com", "example.com", "www.example.com", "www.example.com"]);
    expect(records[0]!.zone_id).toMatch(/^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/);
    expect(Object.values(json.data.terraform_remote_state)).toEqual([
      expect.objectContaining({ backend: "s3", config: expect.objectContaining({ key: "prod/prod-dns.tfstate" }) }),
    ]);
  });

  it("exports the zone ID from the DNS stack and nothing the edge stack does not use", () => {
    const outputs = Object.values(read("prod-dns").output) as { value: string }[];
    expect(outputs.map((o) => o.value)).toEqual([expect.stringMatching(/^\$\{aws_route53_zone\.[^.]+\.zone_id\}$/)]);
  });
});
