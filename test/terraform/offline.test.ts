/**
 * The terraform tier: every stack of every environment through the real AWS provider
 * (terraform init + validate + offline plan), cross-stack inputs mocked from producer plans.
 * Without terraform it is skipped locally and fails in CI (CI=true).
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../scripts/shared/manifest";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import { findTerraform } from "../../scripts/shared/terraform";
import { mainSynth } from "./main-synth";
import { planStacksOnce } from "./plan-once";
import { describeReviewOfRealPlans } from "./review";

const terraform = findTerraform();
const inCi = process.env.CI === "true";

interface PlanJson {
  resource_changes: Array<{ address: string; type: string; change: { actions: string[]; after: Record<string, unknown> } }>;
}

describe.skipIf(!terraform && !inCi)("terraform validate and offline plan of every stack", () => {
  let outdir: string;
  let results: StackCheck[];
  const plans = new Map<string, PlanJson>();

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    outdir = await mainSynth();
    results = await planStacksOnce(outdir, { workRoot: resolve(".tf-test"), concurrency: Math.max(2, Math.min(4, availableParallelism())) });
    for (const r of results) {
      if (r.planJsonPath) plans.set(r.stack, JSON.parse(readFileSync(r.planJsonPath, "utf8")) as PlanJson);
    }
  });

  const created = (stack: string, type: string) =>
    (plans.get(stack)?.resource_changes ?? []).filter((r) => r.type === type && r.change.actions.includes("create"));

  it("checks every synthesized stack", () => {
    expect(results.map((r) => r.stack).sort()).toEqual(Object.keys(readManifest(outdir).stacks).sort());
  });

  it("passes validate and plan for every stack", () => {
    const failures = results.filter((r) => !r.ok).map((r) => `${r.stack}: ${r.error}`);
    expect(failures).toEqual([]);
  });

  it("validates without deprecation warnings", () => {
    const warnings = results.flatMap((r) => r.diagnostics.filter((d) => d.severity === "warning").map((d) => `${r.stack}: ${d.summary}`));
    expect(warnings).toEqual([]);
  });

  it("prod-network plans one NAT gateway and subnets in two AZs", () => {
    expect(created("prod-network", "aws_nat_gateway")).toHaveLength(1);
    const azs = new Set(created("prod-network", "aws_subnet").map((s) => s.change.after.availability_zone));
    expect([...azs].sort()).toEqual(["ap-northeast-1a", "ap-northeast-1c"]);
  });

  it("staging-network plans no NAT gateway", () => {
    expect(created("staging-network", "aws_nat_gateway")).toHaveLength(0);
    expect(created("staging-network", "aws_vpc")[0]?.change.after.cidr_block).toBe("10.0.0.0/16");
  });

  describeReviewOfRealPlans(() => ({ results, workRoot: resolve(".tf-test") }));
});
