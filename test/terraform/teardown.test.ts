/**
 * Teardown and restore, offline (issue 13): staging's stacks are "created" (a state built from
 * each create plan, state-from-plan.ts), destroy-planned in reverse deploy waves, "destroyed"
 * (state dropped), created again and destroy-planned again: the second round must succeed
 * like the first. prod-database's destroy plan must be refused while its cluster is protected,
 * and a restore of staging's database from a snapshot must plan as a new instance.
 *
 * Cheap on purpose (the terraform tier is slow): the create plans are the offline check's
 * (planStacksOnce: shared with every file that plans staging, and cached), producers' outputs
 * come from them too, the second round re-creates each state from the same create plan (the
 * configuration is unchanged, so a fresh create plan would be the same), and every other plan
 * runs batched (planBatch): one run for the plans against states, one for both rounds' destroy
 * plans, one for prod-database's refused destroy.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildEnvironment } from "@platform/layers";
import { App } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { staging } from "../../apps/staging/src/config";
import { withAccountBoundary } from "@platform/accounts";
import { destroyWaves } from "../../scripts/destroy/destroy";
import { readManifest, type Manifest } from "../../scripts/shared/manifest";
import { SchemaCache, regionOf, type StackConfigJson } from "../../scripts/shared/planned-outputs";
import { findTerraform, prepareOfflineTerraform, type OfflineTerraform } from "../../scripts/shared/terraform";
import { planBatch, type BatchJob, type BatchResult } from "../../scripts/tf-check/plan-batch";
import { mainSynth } from "./main-synth";
import { planStacksOnce } from "./plan-once";
import { stateFromCreatePlan } from "./state-from-plan";

const terraform = findTerraform();
const inCi = process.env.CI === "true";

interface Change {
  address: string;
  type: string;
  mode: string;
  change: { actions: string[]; before?: Record<string, unknown>; after?: Record<string, unknown> };
}
interface Plan {
  resource_changes?: Change[];
  output_changes?: Record<string, unknown>;
}
type Outcome = { ok: true; plan: Plan } | { ok: false; error: string };

const outcome = (result: BatchResult | undefined): Outcome =>
  !result ? { ok: false, error: "not planned" } : result.ok ? { ok: true, plan: result.plan as Plan } : { ok: false, error: result.error };

const managed = (plan: Plan) => (plan.resource_changes ?? []).filter((c) => c.mode === "managed");

describe.skipIf(!terraform && !inCi)("teardown and restore, offline", () => {
  let manifest: Manifest;
  /** Per round: each staging stack's destroy plan (or error). */
  const rounds: Array<Map<string, Outcome>> = [];
  /** Per round: the stacks in the order their destroy plans ran. */
  const order: string[][] = [];
  let rePlanOfDatabase: Plan;
  const createPlans = new Map<string, Plan>();
  let prodDestroy: { ok: boolean; error?: string };
  let restorePlan: Plan;

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    const outdir = await mainSynth();
    manifest = readManifest(outdir);
    const root = mkdtempSync(join(tmpdir(), "platform-teardown-"));
    const check = join(root, "check");
    const staged = Object.keys(manifest.stacks).filter((s) => s.startsWith("staging-")).sort();

    // Create plans, producers first, and their planned outputs as the consumers' remote states.
    const checks = await planStacksOnce(outdir, { workRoot: check, stacks: staged });
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.stack}: ${c.error}`);
    if (failed.length > 0) throw new Error(`create plans failed: ${failed.join("; ")}`);
    for (const c of checks) createPlans.set(c.stack, JSON.parse(readFileSync(c.planJsonPath!, "utf8")) as Plan);
    const setup: OfflineTerraform = await prepareOfflineTerraform(check);
    const stackDir = (stack: string) => resolve(outdir, manifest.stacks[stack]!.workingDirectory);
    const json = (dir: string) => JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackConfigJson;
    const schema = await new SchemaCache(setup).get(join(check, "stacks", staged[0]!));
    const mocks = (producer: string) => join(check, "mocks", `${producer}.tfstate`);
    mkdirSync(join(root, "state"), { recursive: true });
    /** "Apply" a create plan: its planned values become the state (a copy: filling unknowns must not change the plan). */
    const create = (stack: string, round: number): string => {
      const path = join(root, "state", `${round}-${stack}.tfstate`);
      writeFileSync(path, stateFromCreatePlan(structuredClone(createPlans.get(stack)!), schema, regionOf(json(stackDir(stack)))));
      return path;
    };
    const job = (id: string, stack: string, statePath?: string, dir = stackDir(stack), remoteState = mocks): BatchJob => ({ id, stackDir: dir, statePath, remoteState });

    // Round 1 created. Against it: staging-database planned again (no change expected). With no
    // state: prod-database created (its producers' outputs have the same names as staging's, same
    // construct paths, and are mocks either way: it reads staging's), and staging's database
    // restored from a snapshot (the config change the runbook describes).
    const states = [staged.map((s) => [s, create(s, 0)] as const)];
    const restoreOut = mkdtempSync(join(tmpdir(), "platform-restore-"));
    const app = new App({ outdir: restoreOut, skipValidation: false });
    buildEnvironment(
      app,
      withAccountBoundary({
        ...staging,
        database: { ...staging.database, identifier: "bookmark-manager-staging-db-r1", restoreFrom: { snapshotIdentifier: "bookmark-manager-staging-db-final" } },
      }),
    );
    app.synth();
    const againstStates = await planBatch(
      setup,
      [
        job("again-staging-database", "staging-database", states[0]!.find(([s]) => s === "staging-database")![1]),
        job("prod-database", "prod-database", undefined, stackDir("prod-database"), (p) => mocks(p.replace(/^prod-/, "staging-"))),
        job("restored-staging-database", "staging-database", undefined, join(restoreOut, "stacks", "staging-database")),
      ],
      { workDir: join(root, "batch-plans") },
    );
    const again = outcome(againstStates.get("again-staging-database"));
    if (!again.ok) throw new Error(again.error);
    rePlanOfDatabase = again.plan;
    const restored = outcome(againstStates.get("restored-staging-database"));
    if (!restored.ok) throw new Error(`restore plan failed: ${restored.error}`);
    restorePlan = restored.plan;
    const prodCreate = outcome(againstStates.get("prod-database"));
    if (!prodCreate.ok) throw new Error(`prod-database create plan failed: ${prodCreate.error}`);

    // Round 2: "destroyed" and created again from the same plans, into states of its own.
    states.push(staged.map((s) => [s, create(s, 1)] as const));

    // Destroy plans of both rounds, in the reverse waves `pnpm destroy staging --plan` walks.
    const jobs: BatchJob[] = [];
    for (const [round, created] of states.entries()) {
      order.push([]);
      for (const wave of destroyWaves(manifest, "staging")) {
        for (const s of wave) {
          order[round]!.push(s);
          jobs.push(job(`round${round + 1}-${s}`, s, created.find(([c]) => c === s)![1]));
        }
      }
    }
    const destroys = await planBatch(setup, jobs, { workDir: join(root, "batch-destroy"), destroy: true });
    for (const [round, stacks] of order.entries()) rounds.push(new Map(stacks.map((s) => [s, outcome(destroys.get(`round${round + 1}-${s}`))])));

    // prod-database created, then destroy-planned while the cluster is protected (alone: it fails).
    const prodState = join(root, "state", "prod-database.tfstate");
    writeFileSync(prodState, stateFromCreatePlan(structuredClone(prodCreate.plan), schema, regionOf(json(stackDir("prod-database")))));
    const refused = outcome(
      (await planBatch(setup, [job("prod-database", "prod-database", prodState, stackDir("prod-database"), (p) => mocks(p.replace(/^prod-/, "staging-")))], { workDir: join(root, "batch-prod"), destroy: true, mayFail: true })).get("prod-database"),
    );
    prodDestroy = refused.ok ? { ok: true } : { ok: false, error: refused.error };
  }, 1_800_000);

  it("destroy-plans staging in reverse deploy waves: monitoring, then compute, the network, registry and storage last", () => {
    expect(order[0]![0]).toBe("staging-monitoring");
    expect(order[0]![1]).toBe("staging-compute");
    expect(order[0]!.indexOf("staging-database")).toBeLessThan(order[0]!.indexOf("staging-security"));
    expect(order[0]!.indexOf("staging-security")).toBeLessThan(order[0]!.indexOf("staging-network"));
    expect(new Set(order[0]!.slice(-3))).toEqual(new Set(["staging-network", "staging-registry", "staging-storage"]));
  });

  it("destroy-plans every staging stack twice in a row (create, destroy, create again, destroy)", () => {
    expect(rounds).toHaveLength(2);
    for (const [i, results] of rounds.entries()) {
      const failures = [...results].filter(([, r]) => !r.ok).map(([s, r]) => `round ${i + 1} ${s}: ${(r as { error: string }).error.slice(0, 400)}`);
      expect(failures).toEqual([]);
      expect([...results.keys()].sort()).toEqual([
        "staging-compute",
        "staging-database",
        "staging-monitoring",
        "staging-network",
        "staging-registry",
        "staging-security",
        "staging-storage",
      ]);
    }
  });

  it("deletes everything each stack created, and nothing else happens in a destroy plan", () => {
    for (const results of rounds) {
      for (const [stack, r] of results) {
        if (!r.ok) continue;
        const changes = managed(r.plan);
        expect(changes.length, stack).toBeGreaterThan(0);
        expect(changes.filter((c) => c.change.actions.join() !== "delete").map((c) => c.address), stack).toEqual([]);
      }
    }
  });

  it("deletes the repositories with their images, the bucket with its objects, the secrets key, and the database with a final snapshot", () => {
    const [first] = rounds;
    const before = (stack: string, type: string) =>
      managed((first!.get(stack) as { plan: Plan }).plan).filter((c) => c.type === type).map((c) => c.change.before ?? {});
    for (const repo of before("staging-registry", "aws_ecr_repository")) expect(repo.force_delete).toBe(true);
    for (const bucket of before("staging-storage", "aws_s3_bucket")) expect(bucket.force_destroy).toBe(true);
    expect(before("staging-security", "aws_kms_key")).toEqual([expect.objectContaining({ deletion_window_in_days: 7 })]);
    const [db] = before("staging-database", "aws_db_instance");
    expect(db).toMatchObject({ skip_final_snapshot: false, deletion_protection: false });
    // The name is stamped when the instance is created: unknown in the create plan, known (and pinned) after.
    const created = (createPlans.get("staging-database")!.resource_changes ?? []).find((c) => c.type === "aws_db_instance") as Change & { change: { after_unknown?: Record<string, unknown> } };
    expect(created.change.after_unknown?.final_snapshot_identifier).toBe(true);
  });

  it("keeps the per-create final snapshot name stable after create (no perpetual diff from timestamp())", () => {
    const db = managed(rePlanOfDatabase).filter((c) => c.type === "aws_db_instance");
    expect(db.map((c) => c.change.actions)).toEqual([["no-op"]]);
  });

  it("refuses prod-database's destroy plan: the Aurora instances are guarded while the cluster is protected", () => {
    expect(prodDestroy.ok).toBe(false);
    expect(prodDestroy.error).toMatch(/Instance cannot be destroyed/);
    expect(prodDestroy.error).toMatch(/aws_rds_cluster_instance\.aurora_(writer|reader)/);
  });

  it("plans a restore as a NEW instance from the snapshot, with its own identifier", () => {
    const [db] = managed(restorePlan).filter((c) => c.type === "aws_db_instance");
    expect(db!.change.actions).toEqual(["create"]);
    expect(db!.change.after).toMatchObject({ identifier: "bookmark-manager-staging-db-r1", snapshot_identifier: "bookmark-manager-staging-db-final" });
  });
});
