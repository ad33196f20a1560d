import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, synthesizeApp } from "@platform/core";
import { describe, expect, it } from "vitest";
import { buildEnvironment, type EnvironmentPlan } from "../src/index";
import { minimalPlan } from "./fixtures";

const good = minimalPlan;

/** Synthesizes a good environment and then `plan` into one app; returns the error and the outdir. */
function synthBad(plan: EnvironmentPlan): { error: unknown; outdir: string } {
  const outdir = join(mkdtempSync(join(tmpdir(), "bad-config-")), "out");
  try {
    synthesizeApp(
      (app) => {
        buildEnvironment(app, { ...good, environment: { ...good.environment, name: "other" } });
        buildEnvironment(app, plan);
      },
      { outdir },
    );
  } catch (error) {
    return { error, outdir };
  }
  return { error: undefined, outdir };
}

describe("bad configuration fails synth clearly and writes nothing", () => {
  const cases: Array<[string, EnvironmentPlan, RegExp]> = [
    [
      "the VPC CIDR is invalid",
      { ...good, network: { ...good.network, vpcCidr: "10.0.0.0/33" } },
      /vpcCidr: "10\.0\.0\.0\/33"/,
    ],
    [
      "subnet CIDRs overlap",
      {
        ...good,
        network: { ...good.network, publicSubnetCidrs: ["10.0.0.0/24", "10.0.0.128/25"] },
      },
      /publicSubnetCidrs.*overlap/i,
    ],
    [
      "the AZ count is more than the region has",
      { ...good, network: { ...good.network, availabilityZoneCount: 4 } },
      /staging\.network\.availabilityZoneCount: 4 must be between 1 and 3: ap-northeast-1 offers ap-northeast-1a, ap-northeast-1c, ap-northeast-1d/,
    ],
    [
      "the project name is empty",
      { ...good, environment: { ...good.environment, project: "" } },
      /environment\(staging\)\.project: "" must be 1-20 characters/,
    ],
    [
      "the region is not a region",
      { ...good, environment: { ...good.environment, region: "tokyo" } },
      /environment\(staging\)\.region: "tokyo" is not an AWS region name/,
    ],
  ];

  for (const [what, plan, message] of cases) {
    it(`fails when ${what}`, () => {
      const { error, outdir } = synthBad(plan);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      // Not even the valid environment built before it was written.
      expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
    });
  }

  it("writes every stack when the configuration is good", () => {
    const { error, outdir } = synthBad({ ...good });
    expect(error).toBeUndefined();
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([
      "other-compute",
      "other-database",
      "other-network",
      "other-registry",
      "other-security",
      "other-storage",
      "staging-compute",
      "staging-database",
      "staging-network",
      "staging-registry",
      "staging-security",
      "staging-storage",
    ]);
  });
});
