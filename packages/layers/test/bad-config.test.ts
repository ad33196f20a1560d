import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, synthesizeApp } from "@platform/core";
import { describe, expect, it } from "vitest";
import { buildEnvironment, type AuroraServerlessPlan, type EnvironmentPlan, type ServicePlan } from "../src/index";
import { minimalPlan, planWith } from "./fixtures";

const good = minimalPlan;

const aurora: AuroraServerlessPlan = {
  kind: "aurora-serverless-v2",
  engineVersion: "17.6",
  minAcu: 0.5,
  maxAcu: 2,
  reader: false,
  databaseName: "app",
  backupRetentionDays: 7,
};

/** `minimalPlan` whose only service has some fields replaced. */
function withService(overrides: Partial<ServicePlan>): EnvironmentPlan {
  const web = { ...minimalPlan.compute.services.web!, ...overrides };
  return planWith({ compute: { ...minimalPlan.compute, services: { web } } });
}

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

const longKey = "a-very-long-service-key-for-iam"; // 31 characters, the most a service key may have

describe("bad configuration fails synth clearly and writes nothing", () => {
  const cases: Array<[string, EnvironmentPlan, RegExp]> = [
    [
      "an execution role name would lose the -execution suffix the secrets key policy matches",
      {
        ...good,
        environment: { ...good.environment, project: "abcdefghijklmnopqrst" },
        registry: { ...good.registry, repositories: [longKey] },
        compute: { ...good.compute, services: { [longKey]: good.compute.services.web! } },
      },
      /services\.a-very-long-service-key-for-iam: "a-very-long-service-key-for-iam" makes the execution role name .* longer than 64 characters/,
    ],
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
    [
      "the ALB allowlist contains 0.0.0.0/0 without being marked public",
      planWith({ security: { albIngress: { allowedCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } } }),
      /allowedCidrs.*0\.0\.0\.0\/0/,
    ],
    [
      "a CPU/memory pair is one Fargate does not offer",
      withService({ cpu: 256, memoryMiB: 4096 }),
      /staging-compute\/web\.memoryMiB: .*Fargate does not offer cpu 256 with 4096 MiB/,
    ],
    [
      "a health check interval is outside AWS's range",
      withService({ healthCheck: { path: "/", intervalSeconds: 400 } }),
      /healthCheck\.intervalSeconds: 400/,
    ],
    [
      "the image tag is missing",
      withService({ imageTag: "" }),
      /tag: "" /,
    ],
    [
      "the log retention is not one CloudWatch accepts",
      planWith({ compute: { ...minimalPlan.compute, logRetentionDays: 10 } }),
      /logRetentionDays: 10/,
    ],
    [
      "auto scaling min is above max",
      withService({ autoScaling: { minCapacity: 5, maxCapacity: 2 } }),
      /minCapacity: 5/,
    ],
    [
      "Aurora ACU min is above max",
      planWith({ database: { ...aurora, minAcu: 4, maxAcu: 2 } }),
      /minAcu: 4/,
    ],
    [
      "Aurora ACU is not a multiple of 0.5 or above 256",
      planWith({ database: { ...aurora, minAcu: 0.75, maxAcu: 300 } }),
      /minAcu: 0\.75[\s\S]*maxAcu: 300/,
    ],
    [
      "an Aurora reader has no second AZ",
      planWith({ network: { ...minimalPlan.network, availabilityZoneCount: 1 }, database: { ...aurora, reader: true } }),
      /staging\.database\.reader: true needs a second availability zone/,
    ],
    [
      "the domain is not a valid name",
      planWith({ edge: { domain: "https://Example.com/", wafRateLimitPer5Minutes: 2000, wafLogRetentionDays: 30 } }),
      /domainName: "https:\/\/Example\.com\/"/,
    ],
    [
      "an alarm e-mail is not an address",
      planWith({ monitoring: { alarmEmails: ["ops-at-example.com"] } }),
      /ops-at-example\.com/,
    ],
    [
      "no service answers the default route",
      withService({ route: { priority: 10, pathPatterns: ["/api/*"] } }),
      /services\.\*\.route: \[\] must be "default" for exactly one service/,
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
