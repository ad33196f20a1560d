import { describe, expect, it } from "vitest";
import { amazonLinux2023Parameter, instanceArchitecture, isBurstable, isInstanceTypeName, portForwardingCommand } from "../src/index";

describe("instance architecture", () => {
  it("recognises Graviton families and leaves x86 (including g-family GPUs) alone", () => {
    for (const t of ["t4g.nano", "m6gd.large", "c7gn.xlarge", "r8g.medium", "is4gen.large", "a1.medium", "g5g.xlarge"]) {
      expect(instanceArchitecture(t), t).toBe("arm64");
    }
    for (const t of ["t3.nano", "t3a.micro", "m7i.large", "g4dn.xlarge", "c5n.large", "m5dn.large"]) {
      expect(instanceArchitecture(t), t).toBe("x86_64");
    }
  });

  it("knows burstable types and instance type syntax", () => {
    expect(isBurstable("t3.nano")).toBe(true);
    expect(isBurstable("t4g.micro")).toBe(true);
    expect(isBurstable("m7i.large")).toBe(false);
    expect(isInstanceTypeName("t3.nano")).toBe(true);
    expect(isInstanceTypeName("t3")).toBe(false);
  });

  it("names the Amazon Linux 2023 parameter per architecture", () => {
    expect(amazonLinux2023Parameter("arm64")).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });

  it("builds the SSM port-forwarding command with PostgreSQL defaults", () => {
    expect(portForwardingCommand({ instanceId: "i-0123456789abcdef0", remoteHost: "db.example" })).toBe(
      "aws ssm start-session --target i-0123456789abcdef0 --document-name AWS-StartPortForwardingSessionToRemoteHost " +
        "--parameters host=db.example,portNumber=5432,localPortNumber=15432",
    );
  });
});
