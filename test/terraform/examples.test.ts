/**
 * The terraform tier for the examples app (apps/examples): each example stack through the real
 * AWS provider (terraform init + validate + offline plan), and seed 000's rollback variant too.
 * Without terraform it is skipped locally and fails in CI (CI=true).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesizeApp } from "@platform/core";
import { beforeAll, describe, expect, it } from "vitest";
import { examples } from "../../apps/examples/src/config";
import { buildExamples } from "../../apps/examples/src/main";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import { findTerraform } from "../../scripts/shared/terraform";
import { planStacksOnce } from "./plan-once";

const terraform = findTerraform();
const inCi = process.env.CI === "true";
const WORK_ROOT = resolve(".tf-test-examples");

interface PlanJson {
  resource_changes: Array<{ type: string; change: { actions: string[]; after: Record<string, unknown> } }>;
}

function synthToTemp(plan = examples): string {
  const outdir = mkdtempSync(join(tmpdir(), "platform-examples-"));
  synthesizeApp((app) => buildExamples(app, plan), { outdir });
  return outdir;
}

function readPlan(result: StackCheck | undefined): PlanJson {
  if (!result?.planJsonPath) throw new Error(`no plan for ${result?.stack ?? "missing stack"}: ${result?.error ?? ""}`);
  return JSON.parse(readFileSync(result.planJsonPath, "utf8")) as PlanJson;
}

describe.skipIf(!terraform && !inCi)("terraform validate and offline plan of the examples app", () => {
  let results: StackCheck[];
  let rollback: StackCheck[];

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    const rollbackPlan = { ...examples, twoBackends: { ...examples.twoBackends, autoScaling: false } };
    // Separate work roots: both variants have a stack named example-two-backends.
    [results, rollback] = await Promise.all([
      planStacksOnce(synthToTemp(), { workRoot: WORK_ROOT }),
      planStacksOnce(synthToTemp(rollbackPlan), { workRoot: join(WORK_ROOT, "rollback"), stacks: ["example-two-backends"] }),
    ]);
  });

  const created = (result: StackCheck | undefined, type: string) =>
    readPlan(result).resource_changes.filter((r) => r.type === type && r.change.actions.includes("create"));
  const stack = (name: string) => results.find((r) => r.stack === name);

  it("checks both example stacks and the rollback variant", () => {
    expect(results.map((r) => r.stack)).toEqual(["example-single-container", "example-two-backends"]);
    expect(rollback.map((r) => r.stack)).toEqual(["example-two-backends"]);
  });

  it("passes validate and plan for every stack", () => {
    const failures = [...results, ...rollback].filter((r) => !r.ok).map((r) => `${r.stack}: ${r.error}`);
    expect(failures).toEqual([]);
  });

  it("validates without warnings", () => {
    const warnings = [...results, ...rollback].flatMap((r) => r.diagnostics.filter((d) => d.severity === "warning").map((d) => `${r.stack}: ${d.summary}`));
    expect(warnings).toEqual([]);
  });

  it("plans only creations", () => {
    for (const r of [...results, ...rollback]) {
      expect(r.changes?.create).toBeGreaterThan(0);
      expect([r.changes?.update, r.changes?.delete]).toEqual([0, 0]);
    }
  });

  it("example-single-container plans the 1 vCPU / 2 GB task, the encrypted EFS cache and 1–4 scaling", () => {
    const single = stack("example-single-container");
    expect(created(single, "aws_ecs_task_definition").map((t) => [t.change.after.cpu, t.change.after.memory])).toEqual([["1024", "2048"]]);
    expect(created(single, "aws_efs_file_system").map((f) => f.change.after.encrypted)).toEqual([true]);
    expect(created(single, "aws_appautoscaling_target").map((t) => [t.change.after.min_capacity, t.change.after.max_capacity])).toEqual([[1, 4]]);
  });

  it("example-two-backends plans scaling 1–5 for both backends; its rollback plans none", () => {
    const scaled = created(stack("example-two-backends"), "aws_appautoscaling_target");
    expect(scaled.map((t) => [t.change.after.min_capacity, t.change.after.max_capacity])).toEqual([[1, 5], [1, 5]]);
    expect(created(stack("example-two-backends"), "aws_appautoscaling_policy")).toHaveLength(4);
    expect(created(rollback[0], "aws_appautoscaling_target")).toEqual([]);
    const counts = created(rollback[0], "aws_ecs_service").map((s) => [s.change.after.name, s.change.after.desired_count]);
    expect(counts.sort()).toEqual([
      ["example-two-backends-backend-go", 2],
      ["example-two-backends-backend-python", 1],
    ]);
  });
});
