/**
 * Real plans for the review tests, made offline from the working copies the offline check
 * leaves behind: a state "applied" from a stack's create plan, then a change of a force-new
 * attribute of a stateful resource, planned with `-refresh=false`. Terraform and the real AWS
 * provider decide the actions and `replace_paths`; nothing here writes plan JSON by hand.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ProviderSchema } from "../../scripts/shared/mock-outputs";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import type { PlanJson } from "../../scripts/shared/plan-json";
import { OFFLINE_ENV, runTerraform, type TerraformSetup } from "../../scripts/shared/terraform";
import { planBatch, type BatchJob } from "../../scripts/tf-check/plan-batch";
import { stateFromCreatePlan } from "./state-from-plan";

/**
 * Stateful types, an attribute whose change forces a new resource in provider 5.100.0, and a
 * suffix that keeps the value valid; most telling first. (Not `identifier`: since provider 5
 * renaming a DB instance is an in-place update.)
 */
const FORCE_NEW: ReadonlyArray<readonly [type: string, attribute: string, suffix: string]> = [
  ["aws_db_instance", "db_name", "v2"],
  ["aws_rds_cluster", "database_name", "v2"],
  ["aws_efs_file_system", "creation_token", "-v2"],
  ["aws_dynamodb_table", "name", "-v2"],
  ["aws_s3_bucket", "bucket", "-v2"],
  ["aws_ecr_repository", "name", "-v2"],
  ["aws_secretsmanager_secret", "name", "-v2"],
];

/**
 * Per stateful type, an in-place update that loses data (see scripts/review/data-loss.ts): with
 * the state converged, only these attributes change, and the plan is an update, not a replace.
 */
const DATA_LOSS_EDITS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  aws_db_instance: { deletion_protection: false, skip_final_snapshot: true, backup_retention_period: 1 },
  aws_rds_cluster: { deletion_protection: false, skip_final_snapshot: true, backup_retention_period: 1 },
};

/** Values a sensitive SSM parameter holds before and after: they must never reach a review. */
export const PROBE_SECRETS = ["review-probe-Secr3t-before-5521", "review-probe-Secr3t-after-9034"] as const;

export interface ReplaceCandidate {
  readonly stack: string;
  /** The offline check's working copy of the stack. */
  readonly sourceDir: string;
  readonly type: string;
  readonly name: string;
  readonly attribute: string;
  readonly value: string;
  /** The value that forces the replace. */
  readonly newValue: string;
  readonly address: string;
}

interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
}

/** The first stateful resource (by FORCE_NEW order, then stack name) that a plan may replace. */
export function findReplaceCandidate(checks: readonly StackCheck[]): ReplaceCandidate | undefined {
  const planned = checks.filter((c) => c.planJsonPath).sort((a, b) => a.stack.localeCompare(b.stack));
  for (const [type, attribute, suffix] of FORCE_NEW) {
    for (const check of planned) {
      const sourceDir = dirname(check.planJsonPath!);
      const json = JSON.parse(readFileSync(join(sourceDir, "cdk.tf.json"), "utf8")) as StackJson;
      for (const [name, body] of Object.entries(json.resource?.[type] ?? {})) {
        const lifecycle = (body.lifecycle ?? {}) as { prevent_destroy?: boolean; ignore_changes?: unknown };
        // prevent_destroy makes the plan fail instead of replacing: that guard is tested elsewhere.
        if (lifecycle.prevent_destroy) continue;
        if (Array.isArray(lifecycle.ignore_changes) && lifecycle.ignore_changes.includes(attribute)) continue;
        const value = body[attribute];
        if (typeof value === "string" && !value.includes("${") && value.length <= 55) {
          return { stack: check.stack, sourceDir, type, name, attribute, value, newValue: `${value}${suffix}`, address: `${type}.${name}` };
        }
      }
    }
  }
  return undefined;
}

export interface ReplaceScenario {
  readonly candidate: ReplaceCandidate;
  /** A plan of the unchanged configuration against the state: nothing to do. */
  readonly emptyPlanPath: string;
  /** The plan after the force-new change (and a changed sensitive value). */
  readonly replacePlanPath: string;
  /**
   * A plan of the converged state with the candidate's data-loss edits (DATA_LOSS_EDITS), when
   * its type has any: deletion protection off, no final snapshot, backups kept 1 day.
   */
  readonly dataLoss?: { readonly planPath: string; readonly before: Readonly<Record<string, unknown>>; readonly after: Readonly<Record<string, unknown>> };
  /** `terraform show -json` of the converged state (no plan file): what a review must refuse. */
  readonly stateShowPath: string;
  /** The converged state file itself (format 4). */
  readonly statePath: string;
}

/** A plan of the working copy `dir` against its `offline.tfstate`, as a batch job (so the tier's planner may merge it). */
async function planJson(setup: TerraformSetup, dir: string, workRoot: string, round: number): Promise<PlanJson> {
  const job: BatchJob = { id: "review", stackDir: dir, statePath: join(dir, "offline.tfstate"), remoteState: (producer) => join(workRoot, "mocks", `${producer}.tfstate`) };
  const planned = (await planBatch(setup, [job], { workDir: join(dir, `round-${round}`) })).get("review")!;
  if (!planned.ok) throw new Error(`${dir}: ${planned.error}`);
  return planned.plan as PlanJson;
}

const managedChanges = (plan: PlanJson) => [
  ...(plan.resource_changes ?? []).filter((r) => r.mode === "managed" && !(r.change.actions.length === 1 && r.change.actions[0] === "no-op")),
  ...Object.entries(plan.output_changes ?? {})
    .filter(([, o]) => !(o.actions.length === 1 && o.actions[0] === "no-op"))
    .map(([name, o]) => ({ address: `output.${name}`, change: { actions: o.actions } })),
];

function editConfig(dir: string, edit: (json: StackJson) => void): void {
  const file = join(dir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8")) as StackJson;
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

function setProbe(json: StackJson, secret: string): void {
  json.resource ??= {};
  json.resource.aws_ssm_parameter = {
    ...(json.resource.aws_ssm_parameter ?? {}),
    review_masking_probe: { name: "/review-test/masking-probe", type: "SecureString", value: secret },
  };
  json.output = { ...(json.output ?? {}), review_masking_probe: { value: secret, sensitive: true } };
}

/**
 * Copies the candidate's working copy, adds a sensitive probe, converges a state on it (plan,
 * state from the plan, again, until nothing changes), then plans against that state, in one
 * batch, the force-new attribute changed (with a new probe value) and the data-loss edit.
 */
export async function replaceScenario(
  setup: TerraformSetup,
  schema: ProviderSchema,
  candidate: ReplaceCandidate,
  workRoot: string,
  region: string,
): Promise<ReplaceScenario> {
  const dir = join(workRoot, "review", candidate.stack);
  rmSync(dir, { recursive: true, force: true });
  cpSync(candidate.sourceDir, dir, { recursive: true, verbatimSymlinks: true });
  for (const stale of ["tfplan", "plan.json", "offline.tfstate"]) rmSync(join(dir, stale), { force: true });
  if (!existsSync(join(dir, ".terraform"))) throw new Error(`${candidate.sourceDir} was never initialized`);
  editConfig(dir, (json) => setProbe(json, PROBE_SECRETS[0]));

  let plan = await planJson(setup, dir, workRoot, 0);
  for (let round = 0; round < 4 && managedChanges(plan).length > 0; round++) {
    writeFileSync(join(dir, "offline.tfstate"), stateFromCreatePlan(plan, schema, region));
    plan = await planJson(setup, dir, workRoot, round + 1);
  }
  const left = managedChanges(plan).map((r) => `${r.change.actions.join("+")} ${r.address}`);
  if (left.length > 0) throw new Error(`the state did not converge for ${candidate.stack}: ${left.join(", ")}`);
  const emptyPlanPath = join(dir, "empty.json");
  writeFileSync(emptyPlanPath, JSON.stringify(plan));
  const stateShowPath = join(dir, "state-show.json");
  const show = await runTerraform(setup, dir, ["show", "-json"], OFFLINE_ENV);
  if (show.code !== 0) throw new Error(`show of the state failed in ${dir}:\n${show.stderr}`);
  writeFileSync(stateShowPath, show.stdout);

  // The data-loss edit and the replace, both against the converged state: one batched run.
  const converged = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackJson;
  const body = converged.resource![candidate.type]![candidate.name]!;
  const edits = DATA_LOSS_EDITS[candidate.type];
  const variant = (id: string, edit: (json: StackJson) => void): BatchJob => {
    const json = structuredClone(converged);
    edit(json);
    // Our narrower view of the same cdk.tf.json.
    return { id, stackDir: dir, json: json as unknown as BatchJob["json"], statePath: join(dir, "offline.tfstate"), remoteState: (producer) => join(workRoot, "mocks", `${producer}.tfstate`) };
  };
  const jobs = [
    variant("replace", (json) => {
      json.resource![candidate.type]![candidate.name]![candidate.attribute] = candidate.newValue;
      setProbe(json, PROBE_SECRETS[1]);
    }),
    ...(edits ? [variant("data-loss", (json) => Object.assign(json.resource![candidate.type]![candidate.name]!, edits))] : []),
  ];
  const planned = await planBatch(setup, jobs, { workDir: join(dir, "batch") });
  const planOf = (id: string) => {
    const result = planned.get(id)!;
    if (!result.ok) throw new Error(`${id} plan failed in ${dir}:\n${result.error}`);
    return result.plan;
  };

  let dataLoss: ReplaceScenario["dataLoss"];
  if (edits) {
    // In a folder of its own, so its file name is still the stack's.
    mkdirSync(join(dir, "data-loss"), { recursive: true });
    const planPath = join(dir, "data-loss", `${candidate.stack}.json`);
    writeFileSync(planPath, JSON.stringify(planOf("data-loss")));
    dataLoss = { planPath, before: Object.fromEntries(Object.keys(edits).map((k) => [k, body[k]])), after: edits };
  }
  const replacePlanPath = join(dir, `${candidate.stack}.json`);
  writeFileSync(replacePlanPath, JSON.stringify(planOf("replace")));
  return { candidate, emptyPlanPath, replacePlanPath, dataLoss, stateShowPath, statePath: join(dir, "offline.tfstate") };
}
