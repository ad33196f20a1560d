import { ConfigError } from "@platform/core";
import { testStack } from "@platform/core/testing";
import { Fn } from "cdktf";
import { describe, expect, it } from "vitest";
import { Network, type NetworkProps } from "../src/index";
import { PROD_LIKE } from "./fixtures";

/** Builds a Network and returns its ConfigError; fails the test when none is thrown. */
function configError(overrides: Partial<NetworkProps>): ConfigError {
  const stack = testStack("network");
  try {
    new Network(stack, "network", { ...PROD_LIKE, ...overrides } as NetworkProps);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError, none thrown");
}

/** Asserts one issue names the field, shows the value and explains the fix. */
function expectIssue(error: ConfigError, field: string, value: unknown, fix: RegExp): void {
  const issue = error.issues.find((i) => i.field === `test-network/network.${field}` && fix.test(i.fix));
  expect(issue, `no issue on ${field} matching ${fix} in:\n${error.message}`).toBeDefined();
  expect(issue!.value).toEqual(value);
  expect(error.message).toContain(`network.${field}: ${JSON.stringify(value)}`);
}

describe("Network validation", () => {
  it("fails when vpcCidr is not a CIDR or has host bits set", () => {
    expectIssue(configError({ vpcCidr: "10.1.0.0" }), "vpcCidr", "10.1.0.0", /must be a literal IPv4 CIDR.*e\.g\. "10\.0\.0\.0\/16"/);
    expectIssue(configError({ vpcCidr: "10.1.0.1/16" }), "vpcCidr", "10.1.0.1/16", /no host bits set/);
  });

  it("fails when vpcCidr is a Terraform token", () => {
    const token = Fn.cidrsubnet("10.0.0.0/8", 8, 1);
    expectIssue(configError({ vpcCidr: token }), "vpcCidr", token, /literal IPv4 CIDR/);
  });

  it("fails when the VPC prefix is larger than /16 or smaller than /28", () => {
    expectIssue(configError({ vpcCidr: "10.0.0.0/8" }), "vpcCidr", "10.0.0.0/8", /prefix \/8, but an AWS VPC must be \/16 to \/28/);
    expectIssue(configError({ vpcCidr: "10.0.0.0/29" }), "vpcCidr", "10.0.0.0/29", /prefix \/29, but an AWS VPC must be \/16 to \/28/);
  });

  it("fails when an explicit subnet CIDR is invalid", () => {
    const error = configError({ publicSubnetCidrs: ["10.1.0.0/24", "10.1.1.7/24"] });
    expectIssue(error, "publicSubnetCidrs[1]", "10.1.1.7/24", /must be a literal IPv4 CIDR with no host bits set/);
  });

  it("fails when an explicit subnet CIDR is smaller than /28", () => {
    const error = configError({ privateSubnetCidrs: ["10.1.10.0/24", "10.1.11.0/29"] });
    expectIssue(error, "privateSubnetCidrs[1]", "10.1.11.0/29", /prefix \/29, but an AWS subnet must be \/16 to \/28/);
  });

  it("fails when an explicit subnet CIDR lies outside the VPC", () => {
    const error = configError({ privateSubnetCidrs: ["10.1.10.0/24", "10.2.11.0/24"] });
    expectIssue(error, "privateSubnetCidrs[1]", "10.2.11.0/24", /lies outside vpcCidr 10\.1\.0\.0\/16; pick a block inside it/);
  });

  it("fails when explicit subnet CIDRs overlap each other", () => {
    const error = configError({
      publicSubnetCidrs: ["10.1.0.0/24", "10.1.1.0/24"],
      privateSubnetCidrs: ["10.1.1.0/25", "10.1.20.0/24"],
    });
    expectIssue(error, "privateSubnetCidrs[0]", "10.1.1.0/25", /overlaps publicSubnetCidrs\[1\] \(10\.1\.1\.0\/24\); subnets must not share addresses/);
  });

  it("fails when an explicit subnet CIDR overlaps a derived subnet", () => {
    const error = configError({ publicSubnetCidrs: ["10.1.0.0/24", "10.1.128.0/23"] });
    expectIssue(
      error,
      "publicSubnetCidrs[1]",
      "10.1.128.0/23",
      /overlaps derived private subnet of ap-northeast-1a \(10\.1\.128\.0\/24\)/,
    );
  });

  it("fails when the number of explicit subnet CIDRs does not match the AZ count", () => {
    const error = configError({ publicSubnetCidrs: ["10.1.0.0/24"] });
    expectIssue(error, "publicSubnetCidrs", ["10.1.0.0/24"], /has 1 CIDR\(s\) for 2 AZ\(s\); give exactly one per entry of availabilityZones/);
  });

  it("fails when there are zero AZs", () => {
    expectIssue(configError({ availabilityZones: [] }), "availabilityZones", [], /needs at least one literal AZ name/);
  });

  it("fails when an AZ is listed twice", () => {
    const error = configError({ availabilityZones: ["ap-northeast-1a", "ap-northeast-1a"] });
    expectIssue(error, "availabilityZones[1]", "ap-northeast-1a", /is listed twice; list each AZ once/);
  });

  it("fails when an AZ is not in the stated region", () => {
    const other = configError({ availabilityZones: ["ap-northeast-1a", "us-east-1a"] });
    expectIssue(other, "availabilityZones[1]", "us-east-1a", /is not an AZ of region "ap-northeast-1"; use one of ap-northeast-1a, ap-northeast-1c, ap-northeast-1d/);
    const missing = configError({ availabilityZones: ["ap-northeast-1a", "ap-northeast-1b"] });
    expectIssue(missing, "availabilityZones[1]", "ap-northeast-1b", /is not an AZ of region "ap-northeast-1"/);
  });

  it("fails when the region is not a region name", () => {
    expectIssue(configError({ region: "tokyo" }), "region", "tokyo", /must be a literal AWS region name/);
  });

  it("fails when derived subnets do not fit the VPC", () => {
    // A /26 VPC would need /30 subnets, below AWS's /28 minimum.
    const tiny = configError({ vpcCidr: "10.1.0.0/26" });
    expectIssue(tiny, "vpcCidr", "10.1.0.0/26", /too small for the derived subnets: derived subnets would be \/30.*give publicSubnetCidrs and privateSubnetCidrs/);
    // /25 subnets in a /24 leave slots for AZ letters a only, so 1c does not fit.
    const cramped = configError({ vpcCidr: "10.1.0.0/24", subnetPrefixLength: 26 });
    expectIssue(cramped, "subnetPrefixLength", 26, /\/26 subnets leave 2 slot\(s\) per tier \(AZ letters a–b\), so ap-northeast-1c do not fit/);
  });

  it("fails when subnetPrefixLength is outside the VPC or below /28", () => {
    expectIssue(configError({ subnetPrefixLength: 16 }), "subnetPrefixLength", 16, /whole number from 17 to 28/);
    expectIssue(configError({ subnetPrefixLength: 29 }), "subnetPrefixLength", 29, /whole number from 17 to 28/);
  });

  it("fails when natMode needs NAT gateways but there are no public subnets", () => {
    for (const natMode of ["single", "perAz"] as const) {
      const error = configError({ natMode, publicSubnetsEnabled: false });
      expectIssue(error, "natMode", natMode, /needs public subnets.*set publicSubnetsEnabled: true or natMode: "none"/);
    }
  });

  it("fails when natMode is not a known mode", () => {
    const error = configError({ natMode: "double" as never });
    expectIssue(error, "natMode", "double", /must be one of "none", "single", "perAz"/);
  });

  it("fails when public subnet CIDRs are given without public subnets", () => {
    const error = configError({ natMode: "none", publicSubnetsEnabled: false, publicSubnetCidrs: ["10.1.0.0/24", "10.1.2.0/24"] });
    expectIssue(error, "publicSubnetCidrs", ["10.1.0.0/24", "10.1.2.0/24"], /publicSubnetsEnabled is false/);
  });

  it("fails when ipv6 is on without public subnets", () => {
    const error = configError({ natMode: "none", publicSubnetsEnabled: false, s3GatewayEndpoint: "privateRouteTables", ipv6: true });
    expectIssue(error, "ipv6", true, /publicSubnetsEnabled is false; set publicSubnetsEnabled: true or remove ipv6/);
  });

  it("fails when ipv6 is not a literal boolean", () => {
    expectIssue(configError({ ipv6: "yes" as never }), "ipv6", "yes", /must be true or false/);
  });

  it("fails when the S3 endpoint asks for public route tables without public subnets", () => {
    const error = configError({ natMode: "none", publicSubnetsEnabled: false, s3GatewayEndpoint: "allRouteTables" });
    expectIssue(error, "s3GatewayEndpoint", "allRouteTables", /use "privateRouteTables"/);
  });

  it("fails when an interface endpoint is unknown or listed twice", () => {
    const error = configError({ interfaceEndpoints: ["ecr.api", "ecr.api", "dynamodb" as never] });
    expectIssue(error, "interfaceEndpoints[1]", "ecr.api", /listed twice/);
    expectIssue(error, "interfaceEndpoints[2]", "dynamodb", /not a supported endpoint service; use one of "ecr.api"/);
  });

  it("fails when interfaceEndpointAzCount exceeds the AZ count", () => {
    const error = configError({ interfaceEndpointAzCount: 3 });
    expectIssue(error, "interfaceEndpointAzCount", 3, /whole number from 1 to the number of AZs \(2\)/);
    expectIssue(configError({ interfaceEndpointAzCount: 0 }), "interfaceEndpointAzCount", 0, /whole number from 1/);
  });

  it("fails when the flow log retention is not a CloudWatch value", () => {
    const error = configError({ flowLogs: { logRetentionDays: 10 } });
    expectIssue(error, "flowLogs.logRetentionDays", 10, /not a retention CloudWatch Logs accepts; use one of 1, 3, 5, 7, 14, 30/);
  });

  it("fails when the flow log KMS key is an alias, or the interval is not 60/600", () => {
    const alias = "arn:aws:kms:ap-northeast-1:123456789012:alias/logs";
    expectIssue(configError({ flowLogs: { kmsKeyArn: alias } }), "flowLogs.kmsKeyArn", alias, /must be a KMS key ARN/);
    expectIssue(
      configError({ flowLogs: { maxAggregationIntervalSeconds: 300 as never } }),
      "flowLogs.maxAggregationIntervalSeconds",
      300,
      /must be 60 or 600/,
    );
  });

  it("fails when namePrefix is empty", () => {
    expectIssue(configError({ namePrefix: "" }), "namePrefix", "", /lower-case letters, digits and hyphens/);
  });

  it("lists every problem at once and creates nothing", () => {
    const stack = testStack("network");
    expect(() =>
      new Network(stack, "network", {
        ...PROD_LIKE,
        vpcCidr: "10.1.0.0/8",
        availabilityZones: ["ap-northeast-1a", "ap-northeast-1a"],
        flowLogs: { logRetentionDays: 2 },
      }),
    ).toThrow(ConfigError);
    const error = configError({
      vpcCidr: "10.1.0.0/8",
      availabilityZones: ["ap-northeast-1a", "ap-northeast-1a"],
      flowLogs: { logRetentionDays: 2 },
    });
    expect(error.issues.map((i) => i.field.replace("test-network/network.", ""))).toEqual([
      "availabilityZones[1]",
      "vpcCidr",
      "flowLogs.logRetentionDays",
    ]);
    const network = stack.node.tryFindChild("network");
    expect(network?.node.children ?? []).toEqual([]);
  });
});
