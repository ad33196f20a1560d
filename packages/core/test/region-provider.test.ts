import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { EnvironmentStack } from "../src/index";
import { testEnvironment } from "../src/testing";

describe("EnvironmentStack.regionProvider", () => {
  const stack = new EnvironmentStack(Testing.app(), { environment: testEnvironment({ region: "ap-northeast-1", accountId: "210987654321" }), layer: "database" });
  const osaka = stack.regionProvider("ap-northeast-3");
  new SsmParameter(stack, "copy", { provider: osaka, name: "/x", type: "String", value: "y" });
  const json = JSON.parse(Testing.synth(stack)) as { provider: { aws: Record<string, unknown>[] }; resource: { aws_ssm_parameter: Record<string, { provider?: string }> } };

  it("adds an aliased provider of the second region with the stack's account guard and default tags", () => {
    const [main, copy] = json.provider.aws;
    expect(copy).toMatchObject({ alias: "ap_northeast_3", region: "ap-northeast-3", allowed_account_ids: ["210987654321"] });
    expect(copy!.default_tags).toEqual(main!.default_tags);
    expect(Object.values(json.resource.aws_ssm_parameter)[0]!.provider).toBe("aws.ap_northeast_3");
  });

  it("returns the same provider for the same region, and refuses the stack's own region", () => {
    expect(stack.regionProvider("ap-northeast-3")).toBe(osaka);
    expect(() => stack.regionProvider("ap-northeast-1")).toThrow(/ap-northeast-1 is the stack's own region/);
  });
});
