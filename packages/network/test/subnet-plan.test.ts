import { describe, expect, it } from "vitest";
import { IPV6_SUBNET_NEW_BITS, azSlot, defaultSubnetPrefixLength, derivedSubnetCidr, ipv6SubnetIndex, slotsPerHalf } from "../src/index";

describe("subnet plan", () => {
  it("uses /24 subnets up to a /20 VPC and sixteenths of smaller VPCs", () => {
    expect([16, 20, 21, 22, 24, 25].map(defaultSubnetPrefixLength)).toEqual([24, 24, 25, 26, 28, 29]);
    expect(slotsPerHalf(20, 24)).toBe(8);
  });

  it("places subnets by AZ letter: public in the lower half, private in the upper half", () => {
    expect(azSlot("us-east-1f")).toBe(5);
    expect(derivedSubnetCidr("10.0.0.0/16", 24, "ap-northeast-1d", "public")).toBe("10.0.3.0/24");
    expect(derivedSubnetCidr("10.0.0.0/16", 24, "ap-northeast-1d", "private")).toBe("10.0.131.0/24");
    expect(derivedSubnetCidr("192.168.4.0/22", 26, "ap-northeast-1c", "public")).toBe("192.168.4.128/26");
    expect(derivedSubnetCidr("192.168.4.0/22", 26, "ap-northeast-1c", "private")).toBe("192.168.6.128/26");
  });

  it("places IPv6 /64s of a /56 by the same AZ-letter slots: public low half, private high half", () => {
    expect(IPV6_SUBNET_NEW_BITS).toBe(64 - 56);
    expect(ipv6SubnetIndex("ap-northeast-1a", "public")).toBe(0);
    expect(ipv6SubnetIndex("ap-northeast-1d", "public")).toBe(3);
    expect(ipv6SubnetIndex("ap-northeast-1d", "private")).toBe(131);
  });
});
