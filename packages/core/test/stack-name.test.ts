import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { ConfigError, EnvironmentStack } from "../src/index";
import { testEnvironment } from "../src/testing";

function issuesOf(make: () => unknown): readonly { field: string; value?: unknown; fix: string }[] {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error("expected a ConfigError");
}

describe("stack-name grammar <env>-<layer>", () => {
  it("names a stack <env>-<layer> when both parts are lower-case letters and digits", () => {
    const stack = new EnvironmentStack(Testing.app(), { environment: testEnvironment({ name: "prod2" }), layer: "singlecontainer" });
    expect(stack.stackName).toBe("prod2-singlecontainer");
  });

  it("refuses a layer with a hyphen, which would make the last-hyphen split ambiguous", () => {
    const issues = issuesOf(() => new EnvironmentStack(Testing.app(), { environment: testEnvironment(), layer: "single-container" }));
    expect(issues).toEqual([expect.objectContaining({ field: "stack.layer", value: "single-container", fix: expect.stringMatching(/lower-case letters and digits.*last hyphen/) })]);
  });

  it("refuses an environment name with a hyphen, and an upper-case layer, together", () => {
    const issues = issuesOf(() => new EnvironmentStack(Testing.app(), { environment: testEnvironment({ name: "dev-eu" }), layer: "Network" }));
    expect(issues.map((i) => [i.field, i.value])).toEqual([
      ["stack.layer", "Network"],
      ["stack.environment", "dev-eu"],
    ]);
  });

  it("lets an account-wide stack keep its own name, but not an ungrammatical layer", () => {
    const app = Testing.app();
    expect(new EnvironmentStack(app, { environment: testEnvironment(), layer: "bootstrap", stackName: "bootstrap" }).stackName).toBe("bootstrap");
    expect(issuesOf(() => new EnvironmentStack(app, { environment: testEnvironment(), layer: "boot-strap", stackName: "other" }))[0]!.field).toBe("stack.layer");
  });
});
