/**
 * Offline plans of many stacks in ONE terraform run. A plan costs two terraform processes
 * (`plan`, `show -json`), and each of them spends seconds loading the AWS provider's schema;
 * the resources themselves are cheap. A batch is a generated root module that calls every job
 * (a stack's JSON, its own prior state, its producers' remote states) as a child module, so the
 * schema is loaded twice per batch instead of twice per stack. `splitPlan` cuts the combined
 * `terraform show -json` back into per-stack plans shaped exactly as a plan of the stack on its
 * own (addresses without the `module.<job>.` prefix, outputs as the stack's own outputs), which
 * test/terraform/plan-batch.test.ts proves against real per-stack plans.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { producerOf } from "../shared/planned-outputs";
import { OFFLINE_ENV, runTerraform, type TerraformSetup } from "../shared/terraform";
import { asChildModule, asStackDiagnostic, diagnosticModule, mockVariables, tail, type Diagnostic, type RawDiagnostic, type StackJson } from "./offline-config";
import { planAndShow, type OfflinePlanOptions } from "./offline-plan";

export interface BatchJob {
  /** Module name in the generated root: unique in the batch (a stack name, or a scenario-qualified one). */
  readonly id: string;
  /** The stack's synthesized folder: its cdk.tf.json and assets. */
  readonly stackDir: string;
  /** The stack's JSON when it differs from `<stackDir>/cdk.tf.json` (an edited copy). */
  readonly json?: StackJson;
  /** The job's prior state (a state file of the stack on its own); none: nothing deployed. */
  readonly statePath?: string;
  /** The state file each producer's `terraform_remote_state` reads. */
  readonly remoteState: (producer: string) => string;
  /** Values of the stack's variables without a default. @default mock values (offline-config) */
  readonly variables?: Readonly<Record<string, unknown>>;
}

export interface BatchOptions {
  /** Scratch folder of this batch (emptied first). */
  readonly workDir: string;
  /** `plan -destroy` for every job. */
  readonly destroy?: boolean;
  /** Each job's diagnostics from the plan (its validation warnings); see {@link OfflinePlanOptions}. */
  readonly diagnostics?: boolean;
  /** A batch expected to fail (a refused destroy): a runner that merges batches runs it on its own, so it fails no one else's run. */
  readonly mayFail?: boolean;
}

export type BatchResult =
  | { readonly ok: true; readonly plan: PlanShow; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly error: string };

/** `terraform show -json` of a plan: only what the split needs to know about. */
export type PlanShow = Record<string, unknown>;

/** What runs a batch's jobs when {@link planBatch} does not: see {@link delegateBatches}. */
export type BatchRunner = (jobs: readonly BatchJob[], options: BatchOptions) => Promise<Map<string, BatchResult>>;

let delegate: BatchRunner | undefined;

/**
 * Hands every later {@link planBatch} of this process to `runner` (undefined: back to running
 * them here). The terraform test tier's shared planner (shared-planner.ts) merges
 * the batches its files ask for at the same time into one terraform run this way; `runner` must
 * answer exactly as {@link planBatchHere} would for the same jobs.
 */
export function delegateBatches(runner: BatchRunner | undefined): void {
  delegate = runner;
}

/**
 * Plans every job in one run. The run either succeeds for all or fails for all (terraform stops
 * at the first error): on failure every job gets the run's error, and callers that need to know
 * which stack failed plan that stack alone.
 */
export async function planBatch(setup: TerraformSetup, jobs: readonly BatchJob[], options: BatchOptions): Promise<Map<string, BatchResult>> {
  const ids = new Set<string>();
  for (const job of jobs) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(job.id)) throw new Error(`batch job id ${JSON.stringify(job.id)} is not a terraform module name`);
    if (ids.has(job.id)) throw new Error(`batch job id ${job.id} appears twice`);
    ids.add(job.id);
  }
  return delegate ? delegate(jobs, options) : planBatchHere(setup, jobs, options);
}

/** {@link planBatch} in this process, whatever {@link delegateBatches} says (jobs already checked). */
export async function planBatchHere(setup: TerraformSetup, jobs: readonly BatchJob[], options: BatchOptions): Promise<Map<string, BatchResult>> {
  const root = resolve(options.workDir);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "jobs"), { recursive: true });
  const outputsOf = new Map<string, Map<string, string>>();
  const variablesOf = new Map<string, Record<string, unknown>>();
  const modules: Record<string, Record<string, unknown>> = {};
  const rootOutputs: Record<string, Record<string, unknown>> = {};
  const imports: Array<Record<string, unknown>> = [];
  const states: Array<{ id: string; path: string }> = [];
  for (const job of jobs) {
    const { json, imports: jobImports } = childModule(job);
    imports.push(...jobImports);
    const dir = join(root, "jobs", job.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
    linkAssets(job.stackDir, root);
    const inputs = job.variables ?? mockVariables(json);
    modules[job.id] = { source: `./jobs/${job.id}`, ...inputs };
    variablesOf.set(job.id, Object.fromEntries(Object.entries(json.variable ?? {}).map(([name, v]) => [name, name in inputs ? inputs[name] : v.default])));
    const names = new Map<string, string>();
    for (const [name, output] of Object.entries((json.output ?? {}) as Record<string, { sensitive?: boolean }>)) {
      const rootName = `${job.id}__${name}`;
      names.set(rootName, name);
      rootOutputs[rootName] = { value: `\${module.${job.id}.${name}}`, ...(output.sensitive ? { sensitive: true } : {}) };
    }
    outputsOf.set(job.id, names);
    if (job.statePath && existsSync(job.statePath)) states.push({ id: job.id, path: job.statePath });
  }
  const main: Record<string, unknown> = { module: modules };
  if (Object.keys(rootOutputs).length > 0) main.output = rootOutputs;
  if (imports.length > 0) main.import = imports;
  writeFileSync(join(root, "main.tf.json"), JSON.stringify(main, null, 2));
  if (states.length > 0) writeFileSync(join(root, "terraform.tfstate"), mergeStates(states));

  const failAll = (error: string) => new Map<string, BatchResult>(jobs.map((j) => [j.id, { ok: false, error }]));
  const get = await runTerraform(setup, root, ["get", "-no-color"], OFFLINE_ENV);
  if (get.code !== 0) return failAll(`terraform get failed: ${tail(get.stderr || get.stdout)}`);
  const planned = await planAndShow(setup, root, { destroy: options.destroy, diagnostics: options.diagnostics });
  if (!planned.ok) return failAll(planned.error);
  const combined = JSON.parse(planned.showJson) as PlanShow;
  const diagnostics = diagnosticsByJob(planned.diagnostics, jobs);
  return new Map(
    jobs.map((j) => [j.id, { ok: true, plan: splitPlan(combined, j.id, outputsOf.get(j.id)!, variablesOf.get(j.id)!), diagnostics: diagnostics.get(j.id)! }]),
  );
}

/**
 * Each diagnostic to its job, by the file it points at (`jobs/<id>/…`) or its `module.<id>.`
 * address (which loses the prefix); one that points at neither goes to every job.
 */
function diagnosticsByJob(all: readonly RawDiagnostic[], jobs: readonly BatchJob[]): Map<string, Diagnostic[]> {
  const ids = jobs.map((j) => j.id);
  const byJob = new Map<string, Diagnostic[]>(ids.map((id) => [id, []]));
  for (const d of all) {
    const id = diagnosticModule(d, /^(?:\.\/)?jobs\/([^/]+)\//, ids);
    for (const owner of id ? [id] : ids) byJob.get(owner)!.push(asStackDiagnostic(d, owner));
  }
  return byJob;
}

/** The stack a job plans: its edited copy, else the synthesized `cdk.tf.json`. */
export function jobStackJson(job: Pick<BatchJob, "json" | "stackDir">): StackJson {
  return job.json ?? (JSON.parse(readFileSync(join(job.stackDir, "cdk.tf.json"), "utf8")) as StackJson);
}

/**
 * The job's stack as a child module (asChildModule), each remote state on its local file.
 */
function childModule(job: BatchJob): ReturnType<typeof asChildModule> {
  const { json, imports } = asChildModule(jobStackJson(job), job.id);
  for (const ds of Object.values(json.data?.terraform_remote_state ?? {})) {
    const producer = producerOf(ds.config);
    ds.backend = "local";
    ds.config = { path: job.remoteState(producer) };
  }
  return { json, imports };
}

/**
 * cdktf writes asset paths relative to the stack folder (`assets/<name>/<hash>/…`), and terraform
 * reads them relative to where it runs: the root. Asset folders are named by content hash, so
 * jobs never disagree about one.
 */
function linkAssets(stackDir: string, root: string): void {
  const assets = join(stackDir, "assets");
  if (!existsSync(assets)) return;
  for (const name of readdirSync(assets)) {
    for (const hash of readdirSync(join(assets, name))) {
      const target = join(root, "assets", name, hash);
      if (existsSync(target)) continue;
      mkdirSync(join(root, "assets", name), { recursive: true });
      symlinkSync(resolve(assets, name, hash), target, "dir");
    }
  }
}

interface StateFile {
  version: number;
  terraform_version?: string;
  outputs?: Record<string, unknown>;
  resources?: Array<{ module?: string; [key: string]: unknown }>;
}

/**
 * One state holding every job's resources under `module.<job>`, and its outputs as the root
 * outputs that forward them (what a prior state of the stack on its own shows).
 */
function mergeStates(states: ReadonlyArray<{ id: string; path: string }>): string {
  const resources: unknown[] = [];
  const outputs: Record<string, unknown> = {};
  let terraformVersion: string | undefined;
  for (const { id, path } of states) {
    const state = JSON.parse(readFileSync(path, "utf8")) as StateFile;
    if (state.version !== 4) throw new Error(`${path}: state version ${state.version}, expected 4`);
    terraformVersion ??= state.terraform_version;
    for (const [name, output] of Object.entries(state.outputs ?? {})) outputs[`${id}__${name}`] = output;
    for (const r of state.resources ?? []) resources.push({ ...r, module: r.module ? `module.${id}.${r.module}` : `module.${id}` });
  }
  return JSON.stringify({ version: 4, terraform_version: terraformVersion ?? "1.11.4", serial: 1, lineage: "00000000-0000-4000-8000-000000000000", outputs, resources });
}

type Json = Record<string, unknown>;

/** Strips `module.<job>.` from an address; undefined when the address is the module itself. */
function local(address: unknown, prefix: string): string | undefined {
  const text = String(address);
  if (text === prefix) return undefined;
  return text.startsWith(`${prefix}.`) ? text.slice(prefix.length + 1) : text;
}

const within = (address: unknown, prefix: string) => typeof address === "string" && (address === prefix || address.startsWith(`${prefix}.`));

function localChange(change: Json, prefix: string): Json {
  const out: Json = { ...change, address: local(change.address, prefix) };
  const moduleAddress = local(change.module_address, prefix);
  if (moduleAddress === undefined) delete out.module_address;
  else out.module_address = moduleAddress;
  if (change.previous_address !== undefined) out.previous_address = local(change.previous_address, prefix);
  return out;
}

/** A planned/prior module of the combined root, as the root module of the stack on its own. */
function localModule(module: Json | undefined, prefix: string): Json {
  const out: Json = {};
  const resources = (module?.resources as Json[] | undefined) ?? [];
  if (resources.length > 0) out.resources = resources.map((r) => ({ ...r, address: local(r.address, prefix) }));
  const children = ((module?.child_modules as Json[] | undefined) ?? []).map((c) => ({ ...localModule(c, prefix), address: local(c.address, prefix) }));
  if (children.length > 0) out.child_modules = children;
  return out;
}

function childOf(root: Json | undefined, prefix: string): Json | undefined {
  return ((root?.child_modules as Json[] | undefined) ?? []).find((c) => c.address === prefix);
}

function pickOutputs(outputs: unknown, names: ReadonlyMap<string, string>): Json {
  const all = (outputs ?? {}) as Json;
  return Object.fromEntries([...names].filter(([rootName]) => rootName in all).map(([rootName, name]) => [name, all[rootName]]));
}

/** The part of a combined plan that belongs to job `id`, shaped as that stack's own plan. */
function splitPlan(combined: PlanShow, id: string, outputNames: ReadonlyMap<string, string>, variables: Readonly<Record<string, unknown>>): PlanShow {
  const prefix = `module.${id}`;
  const changes = (key: string) => ((combined[key] as Json[] | undefined) ?? []).filter((r) => within(r.module_address, prefix)).map((r) => localChange(r, prefix));
  const plan: PlanShow = {};
  for (const key of ["format_version", "terraform_version", "applyable", "complete", "errored", "timestamp"]) {
    if (key in combined) plan[key] = combined[key];
  }
  const planned = combined.planned_values as Json | undefined;
  if (planned) {
    plan.planned_values = {
      ...(planned.outputs ? { outputs: pickOutputs(planned.outputs, outputNames) } : {}),
      root_module: localModule(childOf(planned.root_module as Json, prefix), prefix),
    };
  }
  for (const key of ["resource_drift", "resource_changes"]) {
    if (key in combined) plan[key] = changes(key);
  }
  if (combined.output_changes) plan.output_changes = pickOutputs(combined.output_changes, outputNames);
  const prior = combined.prior_state as Json | undefined;
  if (prior) {
    const values = prior.values as Json | undefined;
    const outputs = pickOutputs(values?.outputs, outputNames);
    const rootModule = localModule(childOf(values?.root_module as Json, prefix), prefix);
    // A stack on its own has no prior state when nothing (not even a data source) is in it.
    if (Object.keys(outputs).length > 0 || Object.keys(rootModule).length > 0) {
      plan.prior_state = { ...prior, values: { ...(Object.keys(outputs).length > 0 ? { outputs } : {}), root_module: rootModule } };
    }
  }
  const configuration = combined.configuration as Json | undefined;
  if (configuration) plan.configuration = localConfiguration(configuration, id);
  if (Object.keys(variables).length > 0) plan.variables = Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, { value }]));
  const checks = ((combined.checks as Json[] | undefined) ?? []).filter((c) => (c.address as Json | undefined)?.module === prefix).map((c) => localCheck(c, prefix));
  if (checks.length > 0) plan.checks = checks;
  if (combined.relevant_attributes) {
    plan.relevant_attributes = (combined.relevant_attributes as Json[]).filter((a) => within(a.resource, prefix)).map((a) => ({ ...a, resource: local(a.resource, prefix) }));
  }
  return plan;
}

/** A check result (variable validation, check block) of the job, addressed as in the stack itself. */
function localCheck(check: Json, prefix: string): Json {
  const address = (a: Json): Json => {
    const { module: _, ...rest } = a;
    return { ...rest, to_display: local(a.to_display, prefix) };
  };
  return {
    ...check,
    address: address(check.address as Json),
    ...(check.instances ? { instances: (check.instances as Json[]).map((i) => ({ ...i, address: address(i.address as Json) })) } : {}),
  };
}

function localConfiguration(configuration: Json, id: string): Json {
  const keyPrefix = `module.${id}:`;
  const providerConfig = Object.fromEntries(
    Object.entries((configuration.provider_config ?? {}) as Record<string, Json>)
      .filter(([key]) => key.startsWith(keyPrefix))
      .map(([key, value]) => {
        const { module_address: _, ...rest } = value;
        return [key.slice(keyPrefix.length), rest];
      }),
  );
  const call = ((configuration.root_module as Json | undefined)?.module_calls as Record<string, Json> | undefined)?.[id];
  const module = structuredClone((call?.module ?? {}) as Json);
  const fixKeys = (m: Json) => {
    for (const r of (m.resources as Json[] | undefined) ?? []) {
      if (typeof r.provider_config_key === "string" && r.provider_config_key.startsWith(keyPrefix)) r.provider_config_key = r.provider_config_key.slice(keyPrefix.length);
    }
    for (const c of Object.values((m.module_calls ?? {}) as Record<string, Json>)) fixKeys((c.module ?? {}) as Json);
  };
  fixKeys(module);
  return { provider_config: providerConfig, root_module: module };
}
