import { listResources, resourceAddresses, scrubVolatile, synthAppStacks } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildStaging } from "../src/main";

const stacks = synthAppStacks(buildStaging);

describe("staging", () => {
  it("names every stack staging-<layer>", () => {
    expect(Object.keys(stacks).sort()).toEqual([
      "staging-compute",
      "staging-database",
      "staging-network",
      "staging-registry",
      "staging-security",
      "staging-storage",
    ]);
  });

  it("keeps each stack's state under its own key", () => {
    for (const [name, json] of Object.entries(stacks)) {
      const backend = (json.terraform as { backend: { s3: { key: string } } }).backend.s3;
      expect(backend.key).toBe(`staging/${name}.tfstate`);
    }
  });

  describe("network (seed 002)", () => {
    const network = stacks["staging-network"]!;

    it("is a 10.0.0.0/16 VPC without NAT", () => {
      expect(listResources(network, "aws_vpc")[0]).toMatchObject({ cidr_block: "10.0.0.0/16" });
      expect(listResources(network, "aws_nat_gateway")).toHaveLength(0);
    });

    it("has the ECR and CloudWatch Logs interface endpoints and the S3 gateway endpoint", () => {
      const services = listResources(network, "aws_vpc_endpoint").map((e) => [e.service_name, e.vpc_endpoint_type]);
      expect(services.sort()).toEqual([
        ["com.amazonaws.ap-northeast-1.ecr.api", "Interface"],
        ["com.amazonaws.ap-northeast-1.ecr.dkr", "Interface"],
        ["com.amazonaws.ap-northeast-1.logs", "Interface"],
        ["com.amazonaws.ap-northeast-1.s3", "Gateway"],
      ]);
    });
  });

  it("matches the reviewed resource addresses (a rename here replaces real resources)", () => {
    expect(Object.fromEntries(Object.entries(stacks).map(([n, j]) => [n, resourceAddresses(j)]))).toMatchSnapshot();
  });

  it("matches the reviewed synthesized JSON", () => {
    expect(scrubVolatile(stacks)).toMatchSnapshot();
  });
});
