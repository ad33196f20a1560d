/**
 * planBatch (scripts/tf-check/plan-batch.ts) plans many stacks in one terraform run and cuts the
 * combined plan back into per-stack plans. Every batched tier trusts that cut, so this file
 * proves it on real plans: each stack's part of a batch equals the plan of the same working
 * copy on its own (create, and destroy against a state), field by field; and a failed batch
 * still tells which stack failed. The create plans come from one run of the shared planner
 * (scripts/tf-check/shared-planner.ts) that merged two callers' batches, as the tier's runs do.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SchemaCache, type StackConfigJson } from "../../scripts/shared/planned-outputs";
import { findTerraform, prepareOfflineTerraform, type OfflineTerraform } from "../../scripts/shared/terraform";
import { checkStacks, type StackCheck } from "../../scripts/tf-check/offline-check";
import { delegateBatches, planBatch, type BatchJob, type PlanShow } from "../../scripts/tf-check/plan-batch";
import { SharedPlanner } from "../../scripts/tf-check/shared-planner";
import { planAndShow } from "../../scripts/tf-check/offline-plan";
import { mainSynth } from "./main-synth";
import { planStacksOnce } from "./plan-once";
import { sharedPlanner } from "./setup-shared-planner";
import { stateFromCreatePlan } from "./state-from-plan";

const terraform = findTerraform();
const inCi = process.env.CI === "true";

/** Two providers (an alias), Lambda assets and outputs; a variable with a validation check. */
const STACKS = ["prod-database", "staging-security"] as const;

/** A plan as comparable text: no timestamp, no work folder, relevant_attributes as a set. */
function normalized(plan: PlanShow, workRoot: string): Record<string, string> {
  const copy: Record<string, unknown> = { ...plan };
  delete copy.timestamp;
  if (Array.isArray(copy.relevant_attributes)) copy.relevant_attributes = copy.relevant_attributes.map((a) => JSON.stringify(a)).sort();
  return Object.fromEntries(Object.entries(copy).map(([key, value]) => [key, JSON.stringify(value).replaceAll(workRoot, "<work>")]));
}

describe.skipIf(!terraform && !inCi)("planBatch: a stack's part of a batched plan is the stack's own plan", () => {
  const workRoot = resolve(".tf-test", "plan-batch");
  let setup: OfflineTerraform;
  const alone = new Map<string, PlanShow>();
  const batched = new Map<string, PlanShow>();
  let destroyAlone: PlanShow;
  let destroyBatched: PlanShow;

  const dir = (stack: string) => join(workRoot, "stacks", stack);
  const job = (stack: string, statePath?: string): BatchJob => ({
    id: stack,
    stackDir: dir(stack),
    statePath,
    remoteState: (producer) => join(workRoot, "mocks", `${producer}.tfstate`),
  });
  async function planAlone(stack: string, destroy = false): Promise<PlanShow> {
    const planned = await planAndShow(setup, dir(stack), { destroy });
    if (!planned.ok) throw new Error(`${stack}: ${planned.error}`);
    return JSON.parse(planned.showJson) as PlanShow;
  }

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    // Working copies and producers' planned outputs (mocks), as every offline check makes them.
    const checks = await planStacksOnce(await mainSynth(), { workRoot, stacks: [...STACKS] });
    expect(checks.filter((c) => !c.ok).map((c) => `${c.stack}: ${c.error}`)).toEqual([]);
    setup = await prepareOfflineTerraform(workRoot);

    // Two callers' batches of one stack each, asked for together: one merged terraform run.
    const planner = new SharedPlanner(setup, join(workRoot, "planner"), { gatherMs: 100 });
    const creates = await Promise.all(STACKS.map((s) => planner.plan([job(s)], {})));
    expect(planner.stats()).toMatchObject({ runs: 1, merged: 1 });
    for (const [i, stack] of STACKS.entries()) {
      const result = creates[i]!.get(stack)!;
      if (!result.ok) throw new Error(result.error);
      batched.set(stack, result.plan);
      alone.set(stack, await planAlone(stack));
    }

    // staging-security "applied": the same state for the batch and for the working copy's own backend.
    const stack = "staging-security";
    const json = JSON.parse(readFileSync(join(dir(stack), "cdk.tf.json"), "utf8")) as StackConfigJson;
    const schema = await new SchemaCache(setup).get(dir(stack));
    const state = stateFromCreatePlan(alone.get(stack)!, schema, String(json.provider?.aws?.[0]?.region));
    const statePath = join(workRoot, `${stack}.tfstate`);
    writeFileSync(statePath, state);
    writeFileSync(join(dir(stack), "offline.tfstate"), state);
    const destroys = await planBatch(setup, [job(stack, statePath)], { workDir: join(workRoot, "batch-destroy"), destroy: true });
    const destroyed = destroys.get(stack)!;
    if (!destroyed.ok) throw new Error(destroyed.error);
    destroyBatched = destroyed.plan;
    destroyAlone = await planAlone(stack, true);
  }, 900_000);

  it.each(STACKS)("%s: create plan, every field", (stack) => {
    expect(normalized(batched.get(stack)!, workRoot)).toEqual(normalized(alone.get(stack)!, workRoot));
  });

  it("staging-security: destroy plan against a state, every field", () => {
    const deletes = (destroyAlone.resource_changes as Array<{ change: { actions: string[] } }>).filter((r) => r.change.actions.includes("delete"));
    expect(deletes.length).toBeGreaterThan(0);
    expect(normalized(destroyBatched, workRoot)).toEqual(normalized(destroyAlone, workRoot));
  });

  it("refuses job ids terraform cannot name, and the same id twice", async () => {
    await expect(planBatch(setup, [job("prod-database"), job("prod-database")], { workDir: join(workRoot, "twice") })).rejects.toThrow(/appears twice/);
    await expect(planBatch(setup, [{ ...job("prod-database"), id: "9lives" }], { workDir: join(workRoot, "bad-id") })).rejects.toThrow(/not a terraform module name/);
  });
});

/** A synth output of independent hand-written stacks (manifest.json and each cdk.tf.json). */
function writeSynth(outdir: string, stacks: Readonly<Record<string, object>>): string {
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
  const manifest = Object.fromEntries(Object.keys(stacks).map((name) => [name, { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: "", dependencies: [] }]));
  writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ stacks: manifest }));
  return outdir;
}

describe.skipIf(!terraform && !inCi)("checkStacks: a batch that fails plans its stacks one by one, so each keeps its own result", () => {
  let results: StackCheck[];

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    const root = mkdtempSync(join(tmpdir(), "plan-batch-fallback-"));
    const stack = (name: string, lifecycle?: object) => ({
      terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } }, backend: { s3: { bucket: "state", key: `${name}.tfstate`, region: "ap-northeast-1" } } },
      provider: { aws: [{ region: "ap-northeast-1" }] },
      variable: { replicas: { type: "number", default: 1 } },
      resource: { aws_s3_bucket: { logs: { bucket: `${name}-logs`, ...(lifecycle ? { lifecycle } : {}) } } },
    });
    // Valid configuration (validate sees an unknown variable); only the plan checks the precondition.
    const stacks = {
      "staging-good": stack("staging-good"),
      "staging-bad": stack("staging-bad", { precondition: [{ condition: "${var.replicas > 5}", error_message: "the bad stack's precondition failed" }] }),
    };
    const outdir = writeSynth(join(root, "synth"), stacks);
    // Both stacks in one batch (batchSize 2, concurrency 1), planned here: merged into the shared
    // planner's run, the failing batch would fail other files' batches too (they would run again).
    delegateBatches(undefined);
    try {
      results = await checkStacks({ outdir, workRoot: join(root, "work"), plan: true, concurrency: 1, batchSize: 2 });
    } finally {
      delegateBatches(sharedPlanner);
    }
  }, 600_000);

  it("passes the good stack with its plan and fails the bad one with its own error", () => {
    const byStack = Object.fromEntries(results.map((r) => [r.stack, r]));
    expect(byStack["staging-good"], JSON.stringify(byStack["staging-good"])).toMatchObject({ ok: true, planOk: true, changes: { create: 1, update: 0, delete: 0 } });
    expect(byStack["staging-bad"]).toMatchObject({ ok: false, validateOk: true, planOk: false });
    expect(byStack["staging-bad"]!.error).toContain("the bad stack's precondition failed");
    expect(byStack["staging-bad"]!.error).not.toContain("staging-good");
  });
});

describe.skipIf(!terraform && !inCi)("checkStacks: a batched plan gives each stack its own validation warnings", () => {
  let results: StackCheck[];

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    const root = mkdtempSync(join(tmpdir(), "plan-batch-warnings-"));
    const stack = (name: string, bucket: object) => ({
      terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } }, backend: { s3: { bucket: "state", key: `${name}.tfstate`, region: "ap-northeast-1" } } },
      provider: { aws: [{ region: "ap-northeast-1" }] },
      resource: { aws_s3_bucket: { logs: { bucket: `${name}-logs`, ...bucket } } },
    });
    // `acl` on the bucket is deprecated in provider 5.100.0: a warning, from validation.
    const stacks = { "staging-old": stack("staging-old", { acl: "private" }), "staging-clean": stack("staging-clean", {}) };
    const outdir = writeSynth(join(root, "synth"), stacks);
    results = await checkStacks({ outdir, workRoot: join(root, "work"), plan: true, concurrency: 1, batchSize: 2 });
  }, 600_000);

  it("reports the deprecated argument once, on its own stack, with the stack's own address", () => {
    const byStack = Object.fromEntries(results.map((r) => [r.stack, r]));
    expect(results.map((r) => [r.stack, r.ok])).toEqual([["staging-clean", true], ["staging-old", true]]);
    expect(byStack["staging-old"]!.diagnostics.map((d) => [d.severity, d.summary, d.address])).toEqual([["warning", "Argument is deprecated", "aws_s3_bucket.logs"]]);
    expect(byStack["staging-clean"]!.diagnostics).toEqual([]);
  });
});
