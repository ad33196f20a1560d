import { listResources, onlyResource, synthAppStacks, type SynthesizedStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildEnvironment, type EnvironmentLayersConfig } from "../src/index";
import { minimalConfig, configWith } from "./fixtures";

type Attrs = Record<string, any>;

/** A public ALB with a domain: the case where `::/0` rules and AAAA records matter. */
function publicConfig(name: string, ipv6: boolean | undefined): EnvironmentLayersConfig {
  return configWith({
    environment: { ...minimalConfig.environment, name },
    network: { ...minimalConfig.network, ...(ipv6 === undefined ? {} : { ipv6 }) },
    security: { albIngress: "public" },
    edge: { domain: `${name}.example.com`, wafRateLimitPer5Minutes: 2000, wafLogRetentionDays: 30 },
  });
}

const stacks = synthAppStacks((app) => {
  buildEnvironment(app, publicConfig("dual", true));
  buildEnvironment(app, publicConfig("single", undefined));
});

function stack(name: string): SynthesizedStack {
  const json = stacks[name];
  if (!json) throw new Error(`no stack ${name}`);
  return json;
}

function albIngress(env: string): string[] {
  return (listResources(stack(`${env}-security`), "aws_vpc_security_group_ingress_rule") as Attrs[])
    .filter((r) => r.cidr_ipv4 !== undefined || r.cidr_ipv6 !== undefined)
    .map((r) => `${r.from_port} ${r.cidr_ipv4 ?? r.cidr_ipv6}`)
    .sort();
}

function records(env: string): string[] {
  return (listResources(stack(`${env}-edge`), "aws_route53_record") as Attrs[])
    .filter((r) => r.alias !== undefined)
    .map((r) => `${r.name} ${r.type}`)
    .sort();
}

describe("network.ipv6: true", () => {
  it("gives the VPC an IPv6 block and the public subnets (only) a /64 each", () => {
    const network = stack("dual-network");
    expect((onlyResource(network, "aws_vpc") as Attrs).assign_generated_ipv6_cidr_block).toBe(true);
    const subnets = listResources(network, "aws_subnet") as Attrs[];
    const withIpv6 = subnets.filter((s) => s.ipv6_cidr_block !== undefined).map((s) => s.tags.Name).sort();
    expect(withIpv6).toEqual(["acme-dual-public-ap-northeast-1a", "acme-dual-public-ap-northeast-1c"]);
  });

  it("makes the ALB dual-stack", () => {
    expect((onlyResource(stack("dual-compute"), "aws_lb") as Attrs).ip_address_type).toBe("dualstack");
  });

  it("opens the public listeners to ::/0 as well as 0.0.0.0/0", () => {
    expect(albIngress("dual")).toEqual(["443 0.0.0.0/0", "443 ::/0", "80 0.0.0.0/0", "80 ::/0"]);
  });

  it("publishes A and AAAA aliases for the apex and www", () => {
    expect(records("dual")).toEqual([
      "dual.example.com A",
      "dual.example.com AAAA",
      "www.dual.example.com A",
      "www.dual.example.com AAAA",
    ]);
  });
});

describe("network.ipv6 left out (IPv4 only)", () => {
  it("creates no IPv6 block or IPv6 route", () => {
    const network = stack("single-network");
    expect((onlyResource(network, "aws_vpc") as Attrs).assign_generated_ipv6_cidr_block).toBeUndefined();
    for (const s of listResources(network, "aws_subnet") as Attrs[]) expect(s.ipv6_cidr_block).toBeUndefined();
    for (const r of listResources(network, "aws_route") as Attrs[]) expect(r.destination_ipv6_cidr_block).toBeUndefined();
  });

  it("keeps the ALB IPv4-only", () => {
    expect((onlyResource(stack("single-compute"), "aws_lb") as Attrs).ip_address_type).toBe("ipv4");
  });

  it("opens the public listeners to 0.0.0.0/0 only: a ::/0 rule would admit nobody", () => {
    expect(albIngress("single")).toEqual(["443 0.0.0.0/0", "80 0.0.0.0/0"]);
  });

  it("publishes only A aliases, never an AAAA record that cannot resolve", () => {
    expect(records("single")).toEqual(["single.example.com A", "www.single.example.com A"]);
  });
});
