/**
 * The CI plan/deploy path (scripts/deploy/ci-terraform.ts) run offline: a copy of a synth output
 * whose stacks keep their state, and read their producers' states, from local files instead
 * of S3 ("the real backends", as files), with dummy AWS credentials. Producers outside the test
 * get an outputs-only state; the stacks under test get a state "applied" from their own plans
 * (state-from-plan.ts), converged until a plan shows nothing left to do.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stackDir, type PlanStackOptions } from "../../scripts/deploy/ci-terraform";
import { readManifest } from "../../scripts/shared/manifest";
import { mockOutputs, mockStateFile, type ProviderSchema } from "../../scripts/shared/mock-outputs";
import { offlineProviders } from "../../scripts/tf-check/offline-check";
import { mockVariables, type StackJson } from "../../scripts/tf-check/offline-config";
import { planBatch, type BatchJob } from "../../scripts/tf-check/plan-batch";
import type { PlanJson } from "../../scripts/shared/plan-json";
import { producerOf, regionOf, SchemaCache, type StackConfigJson } from "../../scripts/shared/planned-outputs";
import { AWS_PROVIDER_VERSION, OFFLINE_ENV, type TerraformSetup } from "../../scripts/shared/terraform";
import { stateFromCreatePlan } from "./state-from-plan";

/** Offline: dummy credentials, the required variable CI takes from a secret, no refresh. */
export const OFFLINE_PLAN: PlanStackOptions = {
  env: { ...OFFLINE_ENV, TF_VAR_alb_allowed_cidrs: '["203.0.113.0/24"]' },
  planArgs: ["-refresh=false"],
};

export const stateFile = (states: string, stack: string) => join(states, `${stack}.tfstate`);

export function readStackJson(outdir: string, stack: string): StackConfigJson {
  return JSON.parse(readFileSync(join(stackDir(outdir, stack), "cdk.tf.json"), "utf8")) as StackConfigJson;
}

/** Edits a stack's synthesized JSON in place (a pull request, simulated). */
export function editStack(outdir: string, stack: string, edit: (json: StackConfigJson & { resource: Record<string, Record<string, Record<string, unknown>>> }) => void): void {
  const file = join(stackDir(outdir, stack), "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8"));
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

/**
 * Copies `source` (a synth output) to `target`, each of `stacks` with its state and every
 * remote state in `states`, and dummy credentials.
 */
export function localCopy(source: string, target: string, stacks: readonly string[], states: string): string {
  cpSync(source, target, { recursive: true });
  for (const stack of stacks) {
    editStack(target, stack, (json) => {
      const terraform = json.terraform as { backend?: unknown };
      terraform.backend = { local: { path: stateFile(states, stack) } };
      const offline = offlineProviders(json);
      json.provider = { ...json.provider, aws: (json.provider?.aws ?? []).map((p, i) => ({ ...p, ...offline[i] })) };
      for (const ds of Object.values(json.data?.terraform_remote_state ?? {})) {
        const producer = producerOf(ds.config);
        ds.backend = "local";
        ds.config = { path: stateFile(states, producer) };
      }
    });
  }
  return target;
}

/**
 * The AWS provider's schema (the shared SchemaCache), read in a scratch root that only
 * requires the provider: with an offline setup (dev_overrides) it needs no init.
 */
export function providerSchema(setup: TerraformSetup, scratch: string): Promise<ProviderSchema> {
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, "main.tf.json"), JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } } }));
  return new SchemaCache(setup).get(scratch);
}

/** An outputs-only state for a producer outside the test, shaped like what AWS returns. */
export function writeProducerState(outdir: string, producer: string, states: string, schema: ProviderSchema): void {
  const json = readStackJson(outdir, producer);
  const region = regionOf(json);
  const changes = Object.fromEntries(
    Object.entries(json.output ?? {}).map(([name, o]) => {
      const text = JSON.stringify(o.value);
      // Region and partition are what the data sources would read.
      if (text.includes("data.aws_region.")) return [name, { after: region, after_unknown: false }];
      if (text.includes("data.aws_partition.")) return [name, { after: "aws", after_unknown: false }];
      return [name, text.includes("${") ? { after: null, after_unknown: true } : { after: o.value, after_unknown: false }];
    }),
  );
  mkdirSync(states, { recursive: true });
  writeFileSync(stateFile(states, producer), mockStateFile(mockOutputs(changes, json.output ?? {}, schema, region)));
}

/**
 * Values AWS sets where a mock would make the provider plan a change forever (a target group's
 * `protocol_version` is HTTP1 for HTTP/HTTPS target groups; a mock forces a replace).
 */
function awsDefaults(stateText: string): string {
  const state = JSON.parse(stateText) as { resources: Array<{ type: string; instances: Array<{ attributes: Record<string, unknown> }> }> };
  for (const r of state.resources) {
    if (r.type !== "aws_lb_target_group") continue;
    for (const i of r.instances) {
      if (String(i.attributes.protocol_version ?? "").startsWith("mock-")) i.attributes.protocol_version = "HTTP1";
    }
  }
  return JSON.stringify(state, null, 2);
}

const managedChanges = (plan: PlanJson) =>
  (plan.resource_changes ?? []).filter((r) => r.mode === "managed" && !(r.change.actions.length === 1 && r.change.actions[0] === "no-op"));

/** A stack to "apply" offline: its working copy in a synth output made by {@link localCopy}. */
export interface OfflineApply {
  readonly outdir: string;
  readonly stack: string;
  /** The states folder the copy's backends and remote states point at. */
  readonly states: string;
  /** Edits the state text of the first apply (e.g. gives a replaced resource a new ID). */
  readonly fix?: (state: string) => string;
}

/** A plan made once every apply of the call has converged: `stack` of `outdir`, read against `states`. */
export interface PlanAfterApply {
  /** Unique in the call, a terraform module name. */
  readonly id: string;
  readonly outdir: string;
  readonly stack: string;
  readonly states: string;
}

/** The variables OFFLINE_PLAN passes as TF_VAR_…, over the mocks for the rest: what planStack plans with. */
function offlineVariables(json: StackJson): Record<string, unknown> {
  const declared = json.variable ?? {};
  const fromEnv = Object.entries(OFFLINE_PLAN.env ?? {})
    .filter(([key]) => key.startsWith("TF_VAR_") && key.slice("TF_VAR_".length) in declared)
    .map(([key, value]) => [key.slice("TF_VAR_".length), JSON.parse(value) as unknown]);
  return { ...mockVariables(json), ...Object.fromEntries(fromEnv) };
}

/** A plan of `stack` in `outdir` (a {@link localCopy}) against `states`, its own state from `statePath` if given. */
export interface OfflinePlanJob extends PlanAfterApply {
  /** @default the stack's state in `states` */
  readonly statePath?: string;
}

function batchJob(id: string, item: { readonly outdir: string; readonly stack: string; readonly states: string; readonly statePath?: string }): BatchJob {
  const dir = stackDir(item.outdir, item.stack);
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackJson;
  const variables = offlineVariables(json);
  const statePath = item.statePath ?? stateFile(item.states, item.stack);
  return { id, stackDir: dir, json, statePath, remoteState: (producer) => stateFile(item.states, producer), variables };
}

/**
 * Plans of several working copies in one terraform run (planBatch), each shaped as
 * `terraform show -json` of the stack alone (unredacted), with the variables planStack uses.
 */
export async function planOffline(setup: TerraformSetup, workDir: string, jobs: readonly OfflinePlanJob[]): Promise<Map<string, PlanJson>> {
  const results = await planBatch(setup, jobs.map((j) => batchJob(j.id, j)), { workDir });
  return new Map(
    jobs.map((j) => {
      const result = results.get(j.id)!;
      if (!result.ok) throw new Error(`offline plan of ${j.id} failed: ${result.error}`);
      return [j.id, result.plan as PlanJson];
    }),
  );
}

const readText = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : undefined);

/**
 * "Applies" stacks offline, as CI would one after another: each plan's planned values become the
 * stack's state (`fix` edits the first one), then the stack is planned again until nothing is
 * left to do (outputs known after apply are known from the second round on; at most 4 plans); a
 * consumer is applied once its producers in the call (same states folder) have converged. Each
 * round of every stack that can move is ONE planBatch run: a run costs its provider schema
 * loads, whatever it plans. A consumer's first round rides along its producers' confirming round
 * (a re-plan expected to show nothing), and the `after` plans ride along the last one; they count
 * only if those producers did show nothing and their states came out byte-identical, so every
 * plan reads exactly what it would read after a finished apply; otherwise they are planned again.
 *
 * Returns the `after` plans by id (unredacted: `terraform show -json` of the stack on its own).
 */
export async function applyOffline(
  setup: TerraformSetup,
  workDir: string,
  schema: ProviderSchema,
  applies: readonly OfflineApply[],
  after: readonly PlanAfterApply[] = [],
): Promise<Map<string, PlanJson>> {
  const key = (states: string, stack: string) => `${states}\0${stack}`;
  const ids = new Map(applies.map((a, i) => [key(a.states, a.stack), `${a.stack.replace(/[^A-Za-z0-9_-]/g, "_")}_${i}`]));
  if (ids.size !== applies.length) throw new Error("applyOffline: a stack appears twice in one states folder");
  const idOf = (a: OfflineApply) => ids.get(key(a.states, a.stack))!;
  const producersOf = new Map(
    applies.map((a) => {
      const remote = Object.values(readStackJson(a.outdir, a.stack).data?.terraform_remote_state ?? {});
      return [idOf(a), remote.map((ds) => ids.get(key(a.states, producerOf(ds.config)))).filter((id): id is string => id !== undefined)];
    }),
  );
  const rounds = new Map(applies.map((a) => [idOf(a), 0]));
  /** The stack's state holds a value for each of its outputs (none is known only after apply). */
  const hasEveryOutput = (a: OfflineApply) => {
    const outputs = (JSON.parse(readText(stateFile(a.states, a.stack)) ?? "{}") as { outputs?: Record<string, unknown> }).outputs ?? {};
    return Object.keys(readStackJson(a.outdir, a.stack).output ?? {}).every((name) => name in outputs);
  };
  const converged = new Set<string>();
  const afterPlans = new Map<string, PlanJson>();
  let batchNo = 0;
  while (converged.size < applies.length || afterPlans.size < after.length) {
    const moving = applies.filter((a) => !converged.has(idOf(a)));
    // Re-plans whose producers have converged and whose state already holds every output may
    // confirm their stack this batch: what reads them may ride along.
    const confirming = new Set(
      moving.filter((a) => rounds.get(idOf(a))! >= 1 && producersOf.get(idOf(a))!.every((p) => converged.has(p)) && hasEveryOutput(a)).map(idOf),
    );
    const firmNow = moving.filter((a) => producersOf.get(idOf(a))!.every((p) => converged.has(p)));
    let included = moving.filter((a) => producersOf.get(idOf(a))!.every((p) => converged.has(p) || confirming.has(p)));
    let withAfter = included.length === moving.length && included.every((a) => converged.has(idOf(a)) || confirming.has(idOf(a)));
    const jobsOf = (list: readonly OfflineApply[], plusAfter: boolean) => [...list.map((a) => batchJob(idOf(a), a)), ...(plusAfter ? after.map((p) => batchJob(p.id, p)) : [])];
    let results = await planBatch(setup, jobsOf(included, withAfter), { workDir: join(workDir, `batch-${batchNo++}`) });
    if ([...results.values()].some((r) => !r.ok) && (included.length > firmNow.length || (withAfter && after.length > 0 && moving.length > 0))) {
      // A rider failed the whole run (terraform stops at the first error): the firm jobs alone.
      included = firmNow;
      withAfter = false;
      results = await planBatch(setup, jobsOf(included, withAfter), { workDir: join(workDir, `batch-${batchNo++}`) });
    }
    const planOf = (id: string): PlanJson => {
      const result = results.get(id)!;
      if (!result.ok) throw new Error(`offline plan of ${id} failed: ${result.error}`);
      return result.plan as PlanJson;
    };
    /** Stacks of this batch whose state moved or may still move: a round that read one does not count. */
    const unsettled = new Set<string>();
    // Producers first: a consumer riding along is judged by what its producers' rounds showed.
    const firm = included.filter((a) => producersOf.get(idOf(a))!.every((p) => converged.has(p)));
    for (const a of [...firm, ...included.filter((a) => !firm.includes(a))]) {
      const id = idOf(a);
      if (producersOf.get(id)!.some((p) => unsettled.has(p))) {
        unsettled.add(id);
        continue;
      }
      const plan = planOf(id);
      const file = stateFile(a.states, a.stack);
      const round = rounds.get(id)!;
      const built = awsDefaults(stateFromCreatePlan(plan, schema, regionOf(readStackJson(a.outdir, a.stack))));
      const state = round === 0 && a.fix ? a.fix(built) : built;
      const previous = readText(file);
      writeFileSync(file, state);
      rounds.set(id, round + 1);
      const left = managedChanges(plan);
      if (round >= 1 && left.length === 0) converged.add(id);
      if (!converged.has(id) || state !== previous) unsettled.add(id);
      if (!converged.has(id) && round >= 3) {
        throw new Error(`the state of ${a.stack} did not converge: ${left.map((r) => `${r.change.actions.join("+")} ${r.address}`).join(", ")}`);
      }
    }
    if (withAfter && unsettled.size === 0) for (const p of after) afterPlans.set(p.id, planOf(p.id));
  }
  return afterPlans;
}

/** Stacks of the manifest, for sanity checks. */
export function stacksOf(outdir: string): string[] {
  return Object.keys(readManifest(outdir).stacks);
}
