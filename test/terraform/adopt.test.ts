/**
 * The terraform tier of `pnpm adopt`, on the legacy staging fixture (seed 002's Terragrunt
 * units, states built offline). An import needs AWS to read the resource, so offline the tier
 * proves the mapping the way an import would record it: each new stack's state is built from
 * the matched legacy resources' attributes at the new addresses (the state-mv mode's output),
 * and the stack is planned against it with `-refresh=false`. The first plans must destroy or
 * replace no stateful resource (the approval gate finds nothing to refuse); the import blocks
 * synth carries into cdk.tf.json must pass `terraform validate`.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesizeApp } from "@platform/core";
import { buildEnvironment } from "@platform/layers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withImports } from "../../apps/adopt-imports";
import { staging } from "../../apps/staging/src/config";
import { approvalsOf, refusals } from "../../scripts/adopt/guard";
import type { Adoption } from "../../scripts/adopt/match";
import { adoptionCounts } from "../../scripts/adopt/report";
import { planAdoption, writeImports } from "../../scripts/adopt/run";
import { checkStacks, type StackCheck } from "../../scripts/tf-check/offline-check";
import { readPlan } from "../../scripts/shared/plan-json";
import { summarizePlan } from "../../scripts/review/plan-summary";
import { findTerraform } from "../../scripts/shared/terraform";
import { keepLiveDatabase, LEGACY_STAGING, STAGING_PLACE, synthEnvironment } from "../../scripts/adopt/test/adopt-support";
import { planOnAdoptedStates } from "./adopt-tier";

const terraform = findTerraform();
const inCi = process.env.CI === "true";
const WORK_ROOT = resolve(".tf-test-adopt");
/** The stacks holding the stateful resources the fixture adopts, and the network under them. */
const PLANNED = ["staging-network", "staging-registry", "staging-storage", "staging-database"];

describe.skipIf(!terraform && !inCi)("adopting the legacy staging fixture, offline", () => {
  const temp: string[] = [];
  let adoption: Adoption;
  let checks: StackCheck[];
  let importChecks: StackCheck[];
  let plans = new Map<string, string>();

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    const outdir = synthEnvironment(staging, keepLiveDatabase);
    temp.push(outdir);
    adoption = planAdoption({ place: STAGING_PLACE, from: LEGACY_STAGING, outdir });

    // Imports as code: the import files written, then synthesized into the stacks.
    const appsDir = mkdtempSync(join(tmpdir(), "adopt-apps-"));
    temp.push(appsDir);
    writeImports(adoption, join(appsDir, "staging", "imports"));
    const importOut = mkdtempSync(join(tmpdir(), "adopt-imports-"));
    temp.push(importOut);
    synthesizeApp((app) => {
      buildEnvironment(app, keepLiveDatabase(staging));
      withImports(app, appsDir);
    }, { outdir: importOut });

    rmSync(WORK_ROOT, { recursive: true, force: true });
    // Producers' planned outputs feed consumers, as in tf:check; then each stack is planned again on its adopted state.
    ({ checks, plans } = await planOnAdoptedStates(adoption, outdir, join(WORK_ROOT, "plan"), PLANNED));
    importChecks = await checkStacks({
      outdir: importOut,
      workRoot: join(WORK_ROOT, "imports"),
      stacks: ["staging-network", "staging-registry", "staging-storage", "staging-database", "staging-compute"],
      plan: false,
      concurrency: 2,
    });
  }, 300_000);

  afterAll(() => {
    for (const dir of temp) rmSync(dir, { recursive: true, force: true });
  });

  it("plans every adopted stack offline", () => {
    expect(checks.filter((c) => !c.ok).map((c) => `${c.stack}: ${c.error}`)).toEqual([]);
  });

  it("destroys and replaces no stateful resource in the first plans: nothing for the gate to refuse", () => {
    expect(refusals(plans).map((r) => `${r.stack} ${r.address}: ${r.why}`)).toEqual([]);
    for (const [stack, file] of plans) {
      const summary = summarizePlan(stack, readPlan(file));
      expect(summary.resources.filter((r) => r.stateful !== undefined).map((r) => r.address), stack).toEqual([]);
    }
  });

  it("replaces only stateless resources whose names differ, as the report said", () => {
    const replaced = [...plans].flatMap(([, file]) =>
      (readPlan(file).resource_changes ?? []).filter((rc) => rc.change.actions.includes("delete")).map((rc) => rc.type),
    );
    const reported = adoption.matched.filter((m) => m.immutable.length > 0).map((m) => m.ours.type);
    expect(replaced.sort()).toEqual(reported.sort());
  });

  it("asks the reviewer about the data-losing updates the staging config brings: assets expire after 180 days, and teardown: allowed deletes repositories and the bucket with their contents", () => {
    expect(approvalsOf(plans).map((r) => `${r.kind} ${r.stack} ${r.address}`)).toEqual([
      "data-loss staging-registry aws_ecr_repository.repositories_api_repository_0D5DBD5F",
      "data-loss staging-registry aws_ecr_repository.repositories_web_repository_B9E31F47",
      "data-loss staging-storage aws_s3_bucket.assets_bucket_A5D94784",
      "data-loss staging-storage aws_s3_bucket_lifecycle_configuration.assets_lifecycle_96ACEA1E",
    ]);
  });

  it("keeps every adopted stateful resource in place: the database, the repositories and the bucket are updated or untouched", () => {
    const actions = new Map<string, string>();
    for (const [, file] of plans) {
      for (const rc of readPlan(file).resource_changes ?? []) actions.set(rc.address, rc.change.actions.join("+"));
    }
    const adopted = adoption.matched.filter((m) => ["aws_db_instance", "aws_ecr_repository", "aws_s3_bucket"].includes(m.ours.type));
    expect(adopted).toHaveLength(4);
    for (const m of adopted) expect(["no-op", "update"], m.ours.address).toContain(actions.get(m.ours.address) ?? "no-op");
  });

  it("synthesizes the import blocks into cdk.tf.json, and terraform validate accepts them", () => {
    expect(importChecks.filter((c) => !c.validateOk).map((c) => `${c.stack}: ${c.error}`)).toEqual([]);
    const json = JSON.parse(readFileSync(join(WORK_ROOT, "imports", "stacks", "staging-database", "cdk.tf.json"), "utf8")) as { import?: Array<{ to: string; id: string }> };
    expect(json.import).toContainEqual({ to: "aws_db_instance.postgres_instance_919E2690", id: "bookmark-manager-staging-postgres" });
  });

  it("counts the staging migration", () => {
    expect(adoptionCounts(adoption)).toEqual({ matched: 29, unmatched: 15, created: 78, changedAttributes: 28, immutableDifferences: 4 });
  });
});
