import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { deployWaves, readManifest } from "../shared/manifest";
import { mapLimit } from "../shared/pool";
import type { OutputChange } from "../shared/mock-outputs";
import {
  PendingOutputs,
  plannedOutputValues,
  SchemaCache,
  writePlannedOutputState,
  writeRemoteStateOverride,
} from "../shared/planned-outputs";
import {
  AWS_PROVIDER_VERSION,
  OFFLINE_ENV,
  mapWarmingPluginCache,
  prepareOfflineTerraform,
  prepareTerraform,
  runTerraform,
  type OfflineTerraform,
  type TerraformSetup,
} from "../shared/terraform";
import { validateCombined } from "./combined-validate";
import { planBatch, type BatchJob } from "./plan-batch";
import { planAndShow } from "./offline-plan";
import { PlanCache, type CachedCheck } from "./plan-cache";
import { mockVariables, offlineProviders, parseValidateOutput, tail, toDiagnostic, type Diagnostic, type StackJson } from "./offline-config";

export { offlineProviders, type Diagnostic };

export interface CheckOptions {
  /** Synth output holding manifest.json (e.g. cdktf.out). */
  readonly outdir: string;
  /** Scratch folder for working copies, mocks, plans and the plugin cache. */
  readonly workRoot: string;
  /** Only these stacks (their producers are still planned first for mocks). @default all */
  readonly stacks?: readonly string[];
  /** Also run the offline plan (validate only otherwise). */
  readonly plan: boolean;
  /** Stacks checked at once. */
  readonly concurrency: number;
  /** Progress lines go here. @default silent */
  readonly log?: (line: string) => void;
  /**
   * "shared" (default): no init, through the unpacked provider (prepareOfflineTerraform); batched
   * plans, which validate as they plan, or one `terraform validate` of every stack at once
   * (validateCombined) without `plan`, with `batchSize` 1 and for a batch that failed.
   * "per-stack": init + validate + plan in each working copy, as before; kept for `pnpm bench`.
   */
  readonly path?: "shared" | "per-stack";
  /**
   * Reuse (and keep) offline plans of unchanged stacks in this folder ({@link PlanCache}):
   * shared path, with `plan`, only. Test files that plan the same stacks share one run's work.
   * @default no cache
   */
  readonly cacheDir?: string;
  /**
   * Shared path with `plan`: stacks of a deploy wave planned together, at most this many per
   * terraform run ({@link planBatch}), spread over `concurrency` runs of at least 4 stacks; 1 plans
   * each stack on its own.
   * @default 8
   */
  readonly batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 8;
const MIN_SPLIT_BATCH = 4;

export interface StackCheck {
  readonly stack: string;
  readonly ok: boolean;
  readonly validateOk: boolean;
  readonly planOk?: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** Path of `terraform show -json` of the offline plan. */
  readonly planJsonPath?: string;
  readonly changes?: { readonly create: number; readonly update: number; readonly delete: number };
  readonly error?: string;
  readonly seconds: number;
}

/** Validates (and plans, offline) every stack of a synth output; producers before consumers. */
export async function checkStacks(options: CheckOptions): Promise<StackCheck[]> {
  const log = options.log ?? (() => {});
  const shared = (options.path ?? "shared") === "shared";
  const setup: TerraformSetup | OfflineTerraform = shared ? await prepareOfflineTerraform(options.workRoot) : prepareTerraform(options.workRoot);
  log(`terraform ${setup.binary}; AWS provider ${AWS_PROVIDER_VERSION} from ${"providerDir" in setup ? setup.providerDir : (setup.mirror ?? "the public registry")}`);
  const manifest = readManifest(options.outdir);
  const wanted = new Set(options.stacks ?? Object.keys(manifest.stacks));
  for (const name of wanted) {
    if (!manifest.stacks[name]) throw new Error(`no stack named ${name} in ${options.outdir}/manifest.json`);
  }
  // Consumers need their producers' planned outputs, so those are checked too.
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    if (options.plan) manifest.stacks[name]!.dependencies.forEach(visit);
  };
  wanted.forEach(visit);

  const waves = options.plan
    ? deployWaves(manifest.stacks).map((wave) => wave.filter((s) => needed.has(s)))
    : [[...needed].sort()];
  const cache = shared && options.plan && options.cacheDir ? new PlanCache(options.cacheDir, setup.binary) : undefined;
  cache?.keyAll(options.outdir, manifest.stacks, waves.flat());
  const hits = new Map<string, CachedCheck<StoredCheck>>();
  for (const name of needed) {
    const hit = cache?.get<StoredCheck>(name);
    if (hit) hits.set(name, hit);
  }
  if (hits.size > 0) log(`${hits.size} of ${needed.size} stacks unchanged since a cached plan (${options.cacheDir})`);

  // The shared path validates every stack without a cached plan in one run; a cached plan's
  // stack passed validate with the very same inputs. Batched plans skip that run: a plan
  // validates first, and gives the same diagnostics (planAndShow's `diagnostics`); only the
  // stacks of a batch that failed are validated, below, before each is planned alone.
  let validated: Map<string, Validated> | undefined;
  const batching = shared && options.plan && (options.batchSize ?? DEFAULT_BATCH_SIZE) > 1;
  const validate = async (stacks: readonly string[]) => {
    if (stacks.length === 0) return;
    const combined = await validateCombined(setup, options.outdir, stacks, options.workRoot);
    log(`validate of ${stacks.length} stacks at once (${combined.seconds.toFixed(1)} s)${combined.error ? `: ${combined.error}` : ""}`);
    for (const name of stacks) {
      const diagnostics = combined.diagnostics.get(name) ?? [];
      const ok = !combined.error && !diagnostics.some((d) => d.severity === "error");
      validated!.set(name, { diagnostics, ok, error: ok ? undefined : (combined.error ?? firstError(diagnostics)) });
    }
  };
  if (shared) {
    validated = new Map([...hits].map(([name, hit]) => [name, { diagnostics: hit.result.diagnostics, ok: true }]));
    if (!batching) await validate([...needed].filter((name) => !hits.has(name)).sort());
  }

  const schema = new SchemaCache(setup);
  const pending = new PendingOutputs();
  const results = new Map<string, StackCheck>();
  const check = async (name: string) => {
    const failedProducer = manifest.stacks[name]!.dependencies.find((d) => results.get(d) && !results.get(d)!.ok);
    const result = failedProducer
      ? skipped(name, `producer stack ${failedProducer} failed`)
      : await checkStack(setup, schema, pending, options, name, validated?.get(name), cache, hits.get(name));
    results.set(name, result);
    log(`${result.ok ? "ok  " : "FAIL"} ${name} (${result.seconds.toFixed(1)} s)${result.error ? `: ${result.error}` : ""}`);
  };
  for (const wave of waves) {
    // The shared path never fills the plugin cache (its provider is already unpacked), so no first init runs alone.
    if (batching) {
      const batched = await planWaveInBatches(setup as OfflineTerraform, schema, pending, options, wave, validated!, cache, hits, results);
      for (const result of batched) {
        results.set(result.stack, result);
        log(`${result.ok ? "ok  " : "FAIL"} ${result.stack} (${result.seconds.toFixed(1)} s)${result.error ? `: ${result.error}` : ""}`);
      }
      // Batches that failed as a whole: their stacks validated, then planned one by one, for each stack's own error.
      const left = wave.filter((s) => !results.has(s));
      await validate(left.filter((s) => !validated!.has(s)).sort());
      await mapLimit(left, options.concurrency, check);
    } else if (shared) await mapLimit(wave, options.concurrency, check);
    else await mapWarmingPluginCache(setup, wave, options.concurrency, check);
  }
  return [...results.values()].filter((r) => wanted.has(r.stack)).sort((a, b) => a.stack.localeCompare(b.stack));
}

/** What the plan cache keeps of a passing check (paths and times are the run's own). */
type StoredCheck = Omit<StackCheck, "planJsonPath" | "seconds">;

/** A stack's part of the combined validate. */
interface Validated {
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
  readonly error?: string;
}

function skipped(stack: string, error: string): StackCheck {
  return { stack, ok: false, validateOk: false, diagnostics: [], error, seconds: 0 };
}

/**
 * One stack: with `validated` (the shared path), straight to plan in a working copy whose
 * backend is recorded without init; otherwise init + validate first (the per-stack path).
 */
async function checkStack(
  setup: TerraformSetup | OfflineTerraform,
  schema: SchemaCache,
  pending: PendingOutputs,
  options: CheckOptions,
  name: string,
  validated: Validated | undefined,
  cache?: PlanCache,
  hit?: CachedCheck<StoredCheck>,
): Promise<StackCheck> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const manifest = readManifest(options.outdir);
  const source = resolve(options.outdir, manifest.stacks[name]!.workingDirectory);
  const dir = resolve(options.workRoot, "stacks", name);
  const json = JSON.parse(readFileSync(join(source, "cdk.tf.json"), "utf8")) as StackJson;
  // Made even when only validating: a working copy ready for terraform commands, as before.
  prepareWorkingCopy(source, dir, options.workRoot, json);
  if (validated && "initBackend" in setup) setup.initBackend(dir);
  if (validated && (!validated.ok || !options.plan)) {
    return { stack: name, ok: validated.ok, validateOk: validated.ok, diagnostics: validated.diagnostics, error: validated.error, seconds: seconds() };
  }

  let diagnostics: readonly Diagnostic[];
  if (validated) {
    diagnostics = validated.diagnostics;
    if (hit) {
      // The working copy is still made (later steps plan again in it); the plan is the cached one.
      const planJsonPath = join(dir, "plan.json");
      cpSync(hit.planJsonPath, planJsonPath);
      await writeMocks(name, JSON.parse(readFileSync(planJsonPath, "utf8")) as PlanOutputs, json, dir, schema, pending, options.workRoot);
      return { ...hit.result, planJsonPath, seconds: seconds() };
    }
  } else {
    const init = await runTerraform(setup, dir, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    if (init.code !== 0) {
      return { stack: name, ok: false, validateOk: false, diagnostics: [], error: `init failed: ${tail(init.stderr || init.stdout)}`, seconds: seconds() };
    }
    const validate = await runTerraform(setup, dir, ["validate", "-json", "-no-color"], OFFLINE_ENV);
    diagnostics = parseValidateOutput(validate.stdout).map((d) => toDiagnostic(d));
    const validateOk = validate.code === 0 && !diagnostics.some((d) => d.severity === "error");
    if (!validateOk || !options.plan) {
      return { stack: name, ok: validateOk, validateOk, diagnostics, seconds: seconds(), error: validateOk ? undefined : firstError(diagnostics) };
    }
  }
  const validateOk = true;

  const planned = await planAndShow(setup, dir);
  if (!planned.ok) return { stack: name, ok: false, validateOk, planOk: false, diagnostics, error: planned.error, seconds: seconds() };
  return recordPlan(name, planned.showJson, { dir, json, diagnostics, schema, pending, workRoot: options.workRoot, cache }, seconds);
}

/** A passing plan of `name`: its JSON in the working copy, its outputs as consumers' mocks, a cache entry. */
async function recordPlan(
  name: string,
  planText: string,
  at: { dir: string; json: StackJson; diagnostics: readonly Diagnostic[]; schema: SchemaCache; pending: PendingOutputs; workRoot: string; cache?: PlanCache },
  seconds: () => number,
): Promise<StackCheck> {
  const planJsonPath = join(at.dir, "plan.json");
  writeFileSync(planJsonPath, planText);
  const planJson = JSON.parse(planText) as PlanOutputs;
  await writeMocks(name, planJson, at.json, at.dir, at.schema, at.pending, at.workRoot);

  const actions = (planJson.resource_changes ?? []).map((r) => r.change.actions);
  const changes = {
    create: actions.filter((a) => a.includes("create")).length,
    update: actions.filter((a) => a.length === 1 && a[0] === "update").length,
    delete: actions.filter((a) => a.includes("delete")).length,
  };
  const stored: StoredCheck = { stack: name, ok: true, validateOk: true, planOk: true, diagnostics: at.diagnostics, changes };
  at.cache?.put(name, stored, planJsonPath);
  return { ...stored, planJsonPath, seconds: seconds() };
}

/**
 * The shared path's plans of one deploy wave: cached and failed-producer stacks as in
 * {@link checkStack}, the rest planned together, `batchSize` stacks per terraform run
 * ({@link planBatch}), `concurrency` runs at once. A stack whose batch failed is left out of the
 * result, so the caller plans it alone and reports its own error.
 */
async function planWaveInBatches(
  setup: OfflineTerraform,
  schema: SchemaCache,
  pending: PendingOutputs,
  options: CheckOptions,
  wave: readonly string[],
  validated: ReadonlyMap<string, Validated>,
  cache: PlanCache | undefined,
  hits: ReadonlyMap<string, CachedCheck<StoredCheck>>,
  earlier: ReadonlyMap<string, StackCheck>,
): Promise<StackCheck[]> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;
  const manifest = readManifest(options.outdir);
  const done: StackCheck[] = [];
  const queued: Array<{ name: string; dir: string; json: StackJson }> = [];
  for (const name of wave) {
    const failedProducer = manifest.stacks[name]!.dependencies.find((d) => earlier.get(d) && !earlier.get(d)!.ok);
    const check = validated.get(name);
    if (failedProducer) {
      done.push(skipped(name, `producer stack ${failedProducer} failed`));
      continue;
    }
    // Validated already: a cached plan's stack, or one whose validation failed. Not yet: the plan validates.
    if (check && (!check.ok || hits.has(name))) {
      done.push(await checkStack(setup, schema, pending, options, name, check, cache, hits.get(name)));
      continue;
    }
    const source = resolve(options.outdir, manifest.stacks[name]!.workingDirectory);
    const dir = resolve(options.workRoot, "stacks", name);
    const json = JSON.parse(readFileSync(join(source, "cdk.tf.json"), "utf8")) as StackJson;
    prepareWorkingCopy(source, dir, options.workRoot, json);
    setup.initBackend(dir);
    queued.push({ name, dir, json });
  }
  // Spread over `concurrency` runs (each run is mostly one busy process), at most batchSize
  // stacks each; but a run's schema loads cost more than a small batch's stacks, so a wave is
  // never cut into runs of fewer than MIN_SPLIT_BATCH stacks.
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const size = Math.min(batchSize, Math.max(MIN_SPLIT_BATCH, Math.ceil(queued.length / options.concurrency)));
  const batches = Array.from({ length: Math.ceil(queued.length / size) }, (_, i) => queued.slice(i * size, (i + 1) * size));
  await mapLimit(batches, options.concurrency, async (batch) => {
    const jobs: BatchJob[] = batch.map((q) => ({
      id: q.name,
      stackDir: q.dir,
      json: q.json,
      remoteState: (producer) => resolve(options.workRoot, "mocks", `${producer}.tfstate`),
    }));
    const planned = await planBatch(setup, jobs, { workDir: resolve(options.workRoot, "batches", batch[0]!.name), diagnostics: true });
    for (const q of batch) {
      const result = planned.get(q.name)!;
      if (!result.ok) continue;
      const at = { ...q, diagnostics: result.diagnostics, schema, pending, workRoot: options.workRoot, cache };
      done.push(await recordPlan(q.name, JSON.stringify(result.plan), at, seconds));
    }
  });
  return done;
}

interface PlanOutputs {
  output_changes?: Record<string, OutputChange>;
  resource_changes?: Array<{ change: { actions: string[] } }>;
}

/** The same planned outputs CI gives consumers (sentinels where a value is known after apply). */
async function writeMocks(
  name: string,
  planJson: PlanOutputs,
  json: StackJson,
  dir: string,
  schema: SchemaCache,
  pending: PendingOutputs,
  workRoot: string,
): Promise<void> {
  const mocks = plannedOutputValues(name, planJson, json, await schema.get(dir), pending);
  mkdirSync(join(workRoot, "mocks"), { recursive: true });
  writePlannedOutputState(join(workRoot, "mocks", `${name}.tfstate`), mocks);
}

/**
 * A working copy of one stack with override files: a local backend instead of S3, dummy
 * credentials with the provider's skip flags, each `terraform_remote_state` read from the
 * producer's planned outputs, and mock values for variables that have no default.
 */
function prepareWorkingCopy(source: string, dir: string, workRoot: string, json: StackJson): void {
  mkdirSync(dir, { recursive: true });
  for (const stale of ["tfplan", "plan.json", "offline.tfstate", "cdk.tf.json", "assets"]) {
    rmSync(join(dir, stale), { recursive: true, force: true });
  }
  cpSync(join(source, "cdk.tf.json"), join(dir, "cdk.tf.json"));
  if (existsSync(join(source, "assets"))) symlinkSync(resolve(source, "assets"), join(dir, "assets"), "dir");

  const override = {
    terraform: { backend: { local: { path: "offline.tfstate" } } },
    provider: { aws: offlineProviders(json) },
  };
  writeFileSync(join(dir, "zz_offline_override.tf.json"), JSON.stringify(override, null, 2));
  writeRemoteStateOverride(dir, json, (producer) => resolve(workRoot, "mocks", `${producer}.tfstate`));

  writeFileSync(join(dir, "zz_offline.auto.tfvars.json"), JSON.stringify(mockVariables(json), null, 2));
}

function firstError(diagnostics: readonly Diagnostic[]): string {
  const d = diagnostics.find((x) => x.severity === "error");
  return d ? `${d.address ?? ""} ${d.summary}: ${d.detail ?? ""}`.trim() : "validate failed";
}

