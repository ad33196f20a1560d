import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeApp } from "@platform/core";
import { buildEnvironment, type EnvironmentLayersConfig } from "@platform/layers";
import {
  PolicyError,
  checkPolicy,
  collectStacks,
  passes,
  policyGate,
  renderPolicyMarkdown,
  unwaived,
  type PolicyResult,
  type PolicyTarget,
} from "@platform/policy";
import { App } from "cdktf";
import { describe, expect, it } from "vitest";
import { buildBootstrap } from "../../../apps/bootstrap/src/main";
import { buildAll } from "../../../apps/main";
import { policyTargets } from "../../../apps/policy";
import { prod } from "../../../apps/prod/src/config";
import { staging } from "../../../apps/staging/src/config";

/** Policy results of the real apps, or of the apps with one environment's plan replaced. */
function results(plans: { staging?: EnvironmentLayersConfig; prod?: EnvironmentLayersConfig } = {}, targets: readonly PolicyTarget[] = policyTargets): PolicyResult[] {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "policy-test-")) });
  if (plans.staging || plans.prod) {
    buildBootstrap(app);
    buildEnvironment(app, plans.staging ?? staging);
    buildEnvironment(app, plans.prod ?? prod);
  } else {
    buildAll(app);
  }
  return checkPolicy(collectStacks(app), targets);
}

const byEnv = (all: PolicyResult[], name: string) => all.find((r) => r.environment === name)!;
const rulesFiring = (r: PolicyResult) => [...new Set(unwaived(r).map((f) => f.rule))].sort();

describe("policy pack over the real environments", () => {
  const all = results();
  const prodResult = byEnv(all, "prod");
  const stagingResult = byEnv(all, "staging");

  it("prod: at least 40 rules ran and no finding is unwaived", () => {
    expect(prodResult.rulesRun.length).toBeGreaterThanOrEqual(40);
    expect(unwaived(prodResult)).toEqual([]);
    expect(prodResult.waiverErrors).toEqual([]);
  });

  it("staging: every relaxation is waived with a reason, and every waiver matches a finding", () => {
    expect(unwaived(stagingResult)).toEqual([]);
    expect(stagingResult.waiverErrors).toEqual([]);
    const waivers = policyTargets.find((t) => t.name === "staging")!.waivers!;
    for (const w of waivers) expect(stagingResult.findings.some((f) => f.waivedBy === w), `${w.rule} on ${w.stack}`).toBe(true);
    expect(stagingResult.findings.map((f) => f.rule)).toContain("PLAT-ACCT-001");
  });

  it("renders the review comment section with both environments", () => {
    const md = renderPolicyMarkdown(all);
    expect(md).toContain("✅ **prod**");
    expect(md).toContain("✅ **staging**");
    expect(md).toContain("waived finding(s)");
  });
});

describe("settings that are valid AWS but wrong are findings now", () => {
  it("prod: deletionProtection false, forceDelete, MUTABLE tags, a 1-day expiry, public task subnets, no alarm subscribers", () => {
    const bad: EnvironmentLayersConfig = {
      ...prod,
      database: { ...prod.database, deletionProtection: false },
      registry: { ...prod.registry, forceDelete: true, imageTagMutability: "MUTABLE" },
      storage: { ...prod.storage, lifecycle: { expirationDays: 1 } },
      compute: { ...prod.compute, taskSubnets: "public" },
      monitoring: { ...prod.monitoring!, alarmEmails: [] },
    };
    const r = byEnv(results({ prod: bad }), "prod");
    expect(rulesFiring(r)).toEqual(["PLAT-ECR-001", "PLAT-ECR-003", "PLAT-ECS-004", "PLAT-ECS-005", "PLAT-MON-001", "PLAT-RDS-002", "PLAT-S3-005"]);
    expect(unwaived(r).filter((f) => f.rule === "PLAT-MON-001")).toHaveLength(27); // one per prod alarm
  });

  it("staging: albIngress public on plain HTTP", () => {
    const r = byEnv(results({ staging: { ...staging, security: { albIngress: "public" } } }), "staging");
    expect(rulesFiring(r)).toEqual(["PLAT-EDGE-003"]);
  });

  it("a token in a plain variable and prod's DATABASE_URL through parameters never reach the policy: the config check refuses them first", () => {
    const web = staging.compute.services.web!;
    const bad = {
      ...staging,
      compute: {
        ...staging.compute,
        services: {
          ...staging.compute.services,
          web: { ...web, environment: { STRIPE_TOKEN: "sk_live_51Habc" }, parameters: { PROD_DB: "/bookmark-manager/prod/DATABASE_URL" } },
        },
      },
    };
    expect(() => results({ staging: bad })).toThrow(/staging\.compute\.services\.web\.environment\.STRIPE_TOKEN[\s\S]*staging\.compute\.services\.web\.parameters\.PROD_DB/);
  });

  it("staging and prod in one account need the shared-account waiver", () => {
    const targets = policyTargets.map((t) => (t.name === "staging" ? { ...t, waivers: t.waivers!.filter((w) => w.rule !== "PLAT-ACCT-001") } : t));
    const r = byEnv(results({ staging }, targets), "staging");
    expect(rulesFiring(r)).toEqual(["PLAT-ACCT-001"]);
  });
});

describe("waivers", () => {
  const stagingTarget = policyTargets.find((t) => t.name === "staging")!;
  const stacks = (() => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "policy-test-")) });
    buildAll(app);
    return collectStacks(app);
  })();
  const withWaivers = (waivers: PolicyTarget["waivers"], today?: string) =>
    byEnv(checkPolicy(stacks, policyTargets.map((t) => (t.name === "staging" ? { ...t, waivers } : t)), { today }), "staging");

  it("an expired waiver fails (and no longer waives)", () => {
    const r = withWaivers(stagingTarget.waivers, "2099-01-01");
    expect(passes(r)).toBe(false);
    expect(r.waiverErrors.some((e) => e.includes("PLAT-ACCT-001") && e.includes("expired"))).toBe(true);
    expect(unwaived(r).length).toBe(r.findings.length);
  });

  it("an unused waiver fails", () => {
    const r = withWaivers([...stagingTarget.waivers!, { rule: "PLAT-RDS-001", stack: "staging-database", reason: "storage is encrypted, so this matches nothing", expires: "2099-01-01" }]);
    expect(passes(r)).toBe(false);
    expect(r.waiverErrors).toEqual(["waiver PLAT-RDS-001 on staging-database matches no finding; remove it (the relaxation is gone)"]);
  });

  it("a waiver needs a known rule, a reason and a date", () => {
    const r = withWaivers([...stagingTarget.waivers!, { rule: "PLAT-NOPE-001", stack: "staging-network", reason: "", expires: "soon" }]);
    expect(r.waiverErrors).toHaveLength(3);
  });

  it("a waiver can name one resource only", () => {
    const others = stagingTarget.waivers!.filter((w) => w.rule !== "PLAT-ECS-004");
    const r = withWaivers([...others, { ...stagingTarget.waivers!.find((w) => w.rule === "PLAT-ECS-004")!, resource: "aws_ecs_service.web_service_10983F6A" }]);
    expect(unwaived(r).map((f) => `${f.rule} ${f.resource}`)).toEqual(["PLAT-ECS-004 aws_ecs_service.api_service_298EA376"]);
  });
});

describe("synth gate", () => {
  it("an unwaived finding fails the synth, lists every finding, and writes nothing", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "policy-synth-")), "out");
    const bad: EnvironmentLayersConfig = { ...prod, database: { ...prod.database, deletionProtection: false }, registry: { ...prod.registry, forceDelete: true } };
    const build = (app: App) => {
      buildBootstrap(app);
      buildEnvironment(app, staging);
      buildEnvironment(app, bad);
    };
    let error: unknown;
    try {
      synthesizeApp(build, { outdir, beforeWrite: policyGate(policyTargets) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toContain("PLAT-RDS-002");
    expect((error as Error).message).toContain("PLAT-ECR-003");
    expect(existsSync(outdir) ? readdirSync(outdir, { recursive: true }) : []).toEqual([]);
  });
});
