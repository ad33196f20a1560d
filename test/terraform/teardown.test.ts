/**
 * Teardown and restore, offline (issue 13): staging's stacks are "created" (a state built from
 * each create plan, state-from-plan.ts), destroy-planned in reverse deploy waves, "destroyed"
 * (state dropped), created again and destroy-planned again: the second round must succeed
 * like the first. prod-database's destroy plan must be refused while its cluster is protected,
 * and a restore of staging's database from a snapshot must plan as a new instance.
 *
 * Cheap on purpose (the terraform tier is slow): each stack is initialized once and reused by
 * every round; producers' outputs come from their create plans (as in tf-check), never from
 * extra plans; the second round re-creates each state from the first round's create plan (the
 * configuration is unchanged, so a fresh create plan would be the same) and destroy-plans again.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildEnvironment } from "@platform/layers";
import { App } from "cdktf";
import { beforeAll, describe, expect, it } from "vitest";
import { staging } from "../../apps/staging/src/config";
import { withAccountBoundary } from "@platform/accounts";
import { destroyWaves } from "../../scripts/destroy/destroy";
import { deployWaves, readManifest, type Manifest } from "../../scripts/shared/manifest";
import { PendingOutputs, plannedOutputValues, SchemaCache, writePlannedOutputState, writeRemoteStateOverride, type StackConfigJson } from "../../scripts/shared/planned-outputs";
import { mapLimit } from "../../scripts/shared/pool";
import { synthAllToTemp } from "../../scripts/shared/synth-all";
import { OFFLINE_ENV, findTerraform, mapWarmingPluginCache, prepareTerraform, runTerraform, type TerraformSetup } from "../../scripts/shared/terraform";
import { offlineProviders } from "../../scripts/tf-check/offline-check";
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

/** Stacks on local state files, remote states on producers' planned outputs, one init each. */
class OfflineRig {
  private readonly schema: SchemaCache;
  private readonly pending = new PendingOutputs();
  private readonly initialized = new Set<string>();

  constructor(
    readonly setup: TerraformSetup,
    private readonly root: string,
  ) {
    this.schema = new SchemaCache(setup, root);
    mkdirSync(join(root, "state"), { recursive: true });
    mkdirSync(join(root, "mocks"), { recursive: true });
  }

  dir(stack: string): string {
    return join(this.root, "stacks", stack);
  }

  statePath(stack: string): string {
    return join(this.root, "state", `${stack}.tfstate`);
  }

  /**
   * A working copy of `source` (a synthesized stack folder); init only the first time.
   * `mockOf` names whose planned outputs a producer's remote state reads (default: its own).
   */
  async prepare(stack: string, source: string, mockOf: (producer: string) => string = (p) => p): Promise<void> {
    const dir = this.dir(stack);
    mkdirSync(dir, { recursive: true });
    cpSync(join(source, "cdk.tf.json"), join(dir, "cdk.tf.json"));
    if (existsSync(join(source, "assets")) && !existsSync(join(dir, "assets"))) symlinkSync(resolve(source, "assets"), join(dir, "assets"), "dir");
    const json = this.json(stack);
    writeFileSync(
      join(dir, "zz_offline_override.tf.json"),
      JSON.stringify({ terraform: { backend: { local: { path: this.statePath(stack) } } }, provider: { aws: offlineProviders(json) } }),
    );
    writeRemoteStateOverride(dir, json, (producer) => join(this.root, "mocks", `${mockOf(producer)}.tfstate`));
    const variables = Object.fromEntries(Object.entries((json as { variable?: Record<string, { default?: unknown }> }).variable ?? {}).filter(([, v]) => v.default === undefined).map(([n]) => [n, ["203.0.113.0/24"]]));
    writeFileSync(join(dir, "zz_offline.auto.tfvars.json"), JSON.stringify(variables));
    if (this.initialized.has(stack)) return;
    const init = await runTerraform(this.setup, dir, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    if (init.code !== 0) throw new Error(`${stack}: init failed: ${init.stderr}`);
    this.initialized.add(stack);
  }

  private json(stack: string): StackConfigJson {
    return JSON.parse(readFileSync(join(this.dir(stack), "cdk.tf.json"), "utf8")) as StackConfigJson;
  }

  /** `plan` (or `plan -destroy`) against the stack's state; the plan JSON, or terraform's error. */
  async plan(stack: string, destroy = false): Promise<{ ok: true; plan: Plan } | { ok: false; error: string }> {
    const dir = this.dir(stack);
    const args = ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", ...(destroy ? ["-destroy"] : []), "-out=tfplan"];
    const run = await runTerraform(this.setup, dir, args, OFFLINE_ENV);
    if (run.code !== 0) return { ok: false, error: run.stderr || run.stdout };
    const show = await runTerraform(this.setup, dir, ["show", "-json", "tfplan"], OFFLINE_ENV);
    if (show.code !== 0) return { ok: false, error: show.stderr };
    return { ok: true, plan: JSON.parse(show.stdout) as Plan };
  }

  /**
   * "Apply" a create plan: its planned values become the state, its outputs the consumers' mocks.
   * With `plan`, that (earlier) create plan of the same configuration is applied again.
   */
  async create(stack: string, plan?: Plan): Promise<Plan> {
    if (!plan) {
      const result = await this.plan(stack);
      if (!result.ok) throw new Error(`${stack}: create plan failed: ${result.error}`);
      plan = result.plan;
    }
    const schema = await this.schema.get(this.dir(stack));
    const region = String(this.json(stack).provider?.aws?.[0]?.region ?? "ap-northeast-1");
    // A copy: filling unknowns must not change the plan a later round applies again.
    writeFileSync(this.statePath(stack), stateFromCreatePlan(structuredClone(plan), schema, region));
    const mocks = plannedOutputValues(stack, plan as never, this.json(stack), schema, this.pending);
    writePlannedOutputState(join(this.root, "mocks", `${stack}.tfstate`), mocks);
    return plan;
  }

  /** "Apply" a destroy: the state is gone. */
  dropState(stack: string): void {
    rmSync(this.statePath(stack), { force: true });
  }

  stateResources(stack: string): Array<{ type: string; mode: string; instances: unknown[] }> {
    return (JSON.parse(readFileSync(this.statePath(stack), "utf8")) as { resources: Array<{ type: string; mode: string; instances: unknown[] }> }).resources;
  }
}

const managed = (plan: Plan) => (plan.resource_changes ?? []).filter((c) => c.mode === "managed");

describe.skipIf(!terraform && !inCi)("teardown and restore, offline", () => {
  let outdir: string;
  let manifest: Manifest;
  let rig: OfflineRig;
  const source = (stack: string) => resolve(outdir, manifest.stacks[stack]!.workingDirectory);
  /** Per round: each staging stack's destroy plan (or error). */
  const rounds: Array<Map<string, { ok: true; plan: Plan } | { ok: false; error: string }>> = [];
  /** Per round: the stacks in the order their destroy plans ran. */
  const order: string[][] = [];
  let rePlanOfDatabase: Plan;
  const createPlans = new Map<string, Plan>();
  let prodDestroy: { ok: boolean; error?: string };
  let restorePlan: Plan;

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    outdir = synthAllToTemp();
    manifest = readManifest(outdir);
    const root = mkdtempSync(join(tmpdir(), "platform-teardown-"));
    rig = new OfflineRig(prepareTerraform(join(resolve(".tf-test"), "teardown-terraform")), root);

    const stagingWaves = deployWaves(manifest.stacks).map((w) => w.filter((s) => s.startsWith("staging-"))).filter((w) => w.length > 0);
    for (const wave of stagingWaves) await mapWarmingPluginCache(rig.setup, wave, 3, (s) => rig.prepare(s, source(s)));

    for (let round = 0; round < 2; round++) {
      // Create, producers first (consumers read their planned outputs).
      for (const wave of stagingWaves) await mapLimit(wave, 3, async (s) => void createPlans.set(s, await rig.create(s, createPlans.get(s))));
      if (round === 0) {
        const again = await rig.plan("staging-database");
        if (!again.ok) throw new Error(again.error);
        rePlanOfDatabase = again.plan;
      }
      // Destroy plans in reverse waves, as `pnpm destroy staging --plan` runs them.
      const results = new Map<string, { ok: true; plan: Plan } | { ok: false; error: string }>();
      order.push([]);
      for (const wave of destroyWaves(manifest, "staging")) {
        await mapLimit(wave, 3, async (s) => {
          order[round]!.push(s);
          results.set(s, await rig.plan(s, true));
        });
      }
      rounds.push(results);
      for (const s of stagingWaves.flat()) rig.dropState(s);
    }

    // prod-database: created, then destroy-planned while the cluster is protected. Its producers'
    // outputs have the same names as staging's (same construct paths) and are mocks either way:
    // read staging's rather than planning two more stacks.
    await rig.prepare("prod-database", source("prod-database"), (p) => p.replace(/^prod-/, "staging-"));
    await rig.create("prod-database");
    const refused = await rig.plan("prod-database", true);
    prodDestroy = refused.ok ? { ok: true } : { ok: false, error: refused.error };

    // A restore of staging's database from a snapshot: the config change the runbook describes.
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
    await rig.prepare("staging-database", join(restoreOut, "stacks", "staging-database"));
    rig.dropState("staging-database");
    const restored = await rig.plan("staging-database");
    if (!restored.ok) throw new Error(`restore plan failed: ${restored.error}`);
    restorePlan = restored.plan;
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
