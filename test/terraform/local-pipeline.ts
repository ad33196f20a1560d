/**
 * The CI plan/deploy path (scripts/deploy/ci-terraform.ts) run offline: a copy of a synth output
 * whose stacks keep their state, and read their producers' states, from local files instead
 * of S3 ("the real backends", as files), with dummy AWS credentials. Producers outside the test
 * get an outputs-only state; the stacks under test get a state "applied" from their own plans
 * (state-from-plan.ts), converged until a plan shows nothing left to do.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { planStack, stackDir, type PlannedStack, type PlanStackOptions } from "../../scripts/deploy/ci-terraform";
import { readManifest } from "../../scripts/shared/manifest";
import { mockOutputs, mockStateFile, type ProviderSchema } from "../../scripts/shared/mock-outputs";
import { offlineProviders } from "../../scripts/tf-check/offline-check";
import type { PlanJson } from "../../scripts/shared/plan-json";
import { producerOf, regionOf, type StackConfigJson } from "../../scripts/shared/planned-outputs";
import { OFFLINE_ENV, type TerraformSetup } from "../../scripts/shared/terraform";
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

async function mustPlan(setup: TerraformSetup, outdir: string, stack: string, jsonOut: string): Promise<PlannedStack> {
  const planned = await planStack(setup, outdir, stack, jsonOut, OFFLINE_PLAN);
  if (!planned.ok) throw new Error(`plan of ${stack} failed: ${planned.error}`);
  return planned;
}

/**
 * "Applies" `stack` offline: its plan's planned values become its state (`fix` may edit the
 * state text, e.g. give a replaced resource a new ID), then plan again until nothing is left
 * to do (outputs known after apply are known from the second round on).
 */
export async function applyOffline(
  setup: TerraformSetup,
  outdir: string,
  stack: string,
  states: string,
  schema: ProviderSchema,
  fix: (state: string) => string = (s) => s,
): Promise<void> {
  const region = regionOf(readStackJson(outdir, stack));
  const scratch = join(states, "plans");
  let planned = await mustPlan(setup, outdir, stack, join(scratch, `${stack}.json`));
  writeFileSync(stateFile(states, stack), fix(awsDefaults(stateFromCreatePlan(planned.unredacted!, schema, region))));
  for (let round = 0; round < 3; round++) {
    planned = await mustPlan(setup, outdir, stack, join(scratch, `${stack}.json`));
    writeFileSync(stateFile(states, stack), awsDefaults(stateFromCreatePlan(planned.unredacted!, schema, region)));
    if (managedChanges(planned.unredacted!).length === 0) return;
  }
  const left = managedChanges(planned.unredacted!).map((r) => `${r.change.actions.join("+")} ${r.address}`);
  throw new Error(`the state of ${stack} did not converge: ${left.join(", ")}`);
}

/** Stacks of the manifest, for sanity checks. */
export function stacksOf(outdir: string): string[] {
  return Object.keys(readManifest(outdir).stacks);
}
