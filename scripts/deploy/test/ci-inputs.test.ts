import { describe, expect, it } from "vitest";
import { ciSecretName, missingInputs, requiredVariables } from "../ci-inputs";

const SECURITY = {
  variable: {
    alb_allowed_cidrs: { type: "list(string)" },
    with_default: { type: "string", default: "x" },
  },
};

describe("CI inputs", () => {
  it("needs exactly the variables without a default", () => {
    expect(requiredVariables(SECURITY)).toEqual(["alb_allowed_cidrs"]);
    expect(requiredVariables({})).toEqual([]);
  });

  it("names the repository secret per environment", () => {
    expect(ciSecretName("alb_allowed_cidrs", "staging")).toBe("ALB_ALLOWED_CIDRS_STAGING");
    expect(ciSecretName("alb_allowed_cidrs", "pre-prod")).toBe("ALB_ALLOWED_CIDRS_PRE_PROD");
  });

  it("fails a missing or empty value naming the secret to create, before terraform runs", () => {
    for (const env of [{}, { TF_VAR_alb_allowed_cidrs: "" }, { TF_VAR_alb_allowed_cidrs: "  " }]) {
      const [line, ...rest] = missingInputs("staging-security", SECURITY, env);
      expect(rest).toEqual([]);
      expect(line).toContain("staging-security: variable alb_allowed_cidrs has no value in CI");
      expect(line).toContain("Create the repository secret ALB_ALLOWED_CIDRS_STAGING");
      expect(line).toContain('e.g. ["203.0.113.10/32"]');
      expect(line).toContain("TF_VAR_alb_allowed_cidrs");
    }
  });

  it("passes when the value is there", () => {
    expect(missingInputs("staging-security", SECURITY, { TF_VAR_alb_allowed_cidrs: '["203.0.113.10/32"]' })).toEqual([]);
  });
});
