import { TerraformOutput } from "cdktf";
import { describe, expect, it } from "vitest";
import { synth, testStack } from "@platform/core/testing";
import { AllowlistVariable } from "../src/index";

describe("AllowlistVariable", () => {
  const stack = testStack("security");
  const allowlist = new AllowlistVariable(stack, "allowlist", { name: "alb_allowed_cidrs" });
  new TerraformOutput(stack, "cidrs", { value: allowlist.cidrs, sensitive: true });
  const json = synth(stack);
  const variable = json.variable!.alb_allowed_cidrs!;

  it("declares a sensitive, non-nullable list(string) variable under the given name", () => {
    expect(variable).toMatchObject({ type: "list(string)", sensitive: true, nullable: false });
    expect(variable.default).toBeUndefined();
    expect(json.output!.cidrs!.value).toBe("${var.alb_allowed_cidrs}");
  });

  it("validates non-empty, canonical CIDRs and refuses the whole internet", () => {
    const conditions = (variable.validation as { condition: string; error_message: string }[]).map((v) => v.condition);
    expect(conditions).toEqual([
      "${length(var.alb_allowed_cidrs) > 0}",
      "${alltrue([for c in var.alb_allowed_cidrs : can(cidrhost(c, 0)) && try(cidrsubnet(c, 0, 0) == c, false)])}",
      '${alltrue([for c in var.alb_allowed_cidrs : !contains(["0.0.0.0/0", "::/0"], c)])}',
    ]);
    const messages = (variable.validation as { error_message: string }[]).map((v) => v.error_message);
    expect(messages[2]).toMatch(/use albIngress \{ public: true \}/);
  });

  it("fails when the name is not a Terraform variable name", () => {
    expect(() => new AllowlistVariable(testStack("bad"), "allowlist", { name: "ALB-cidrs" })).toThrow(
      /allowlist\.name: "ALB-cidrs" must be a literal Terraform variable name.*alb_allowed_cidrs/,
    );
  });
});
