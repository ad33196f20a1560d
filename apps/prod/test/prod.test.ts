import { listResources, resourceAddresses, scrubVolatile, synthAppStacks } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildProd } from "../src/main";

const stacks = synthAppStacks(buildProd);

describe("prod", () => {
  it("names every stack prod-<layer>", () => {
    expect(Object.keys(stacks).sort()).toEqual([
      "prod-bastion",
      "prod-compute",
      "prod-database",
      "prod-dns",
      "prod-edge",
      "prod-monitoring",
      "prod-network",
      "prod-registry",
      "prod-security",
      "prod-storage",
    ]);
  });

  describe("network (seed 003)", () => {
    const network = stacks["prod-network"]!;

    it("is a 10.1.0.0/16 VPC across two AZs with one NAT gateway", () => {
      expect(listResources(network, "aws_vpc")[0]).toMatchObject({ cidr_block: "10.1.0.0/16" });
      expect(listResources(network, "aws_nat_gateway")).toHaveLength(1);
      const azs = new Set(listResources(network, "aws_subnet").map((s) => s.availability_zone));
      expect([...azs].sort()).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
    });

    it("records flow logs for 30 days", () => {
      expect(listResources(network, "aws_flow_log")).toHaveLength(1);
      const groups = listResources(network, "aws_cloudwatch_log_group");
      expect(groups.map((g) => g.retention_in_days)).toEqual([30]);
    });
  });

  it("matches the reviewed resource addresses (a rename here replaces real resources)", () => {
    expect(Object.fromEntries(Object.entries(stacks).map(([n, j]) => [n, resourceAddresses(j)]))).toMatchSnapshot();
  });

  it("matches the reviewed synthesized JSON", () => {
    expect(scrubVolatile(stacks)).toMatchSnapshot();
  });
});
