/**
 * Terraform against the real backends, as CI runs it: plan a synthesized stack into a saved
 * plan file plus its redacted JSON, and apply that saved plan only when it matches the plan
 * a reviewer saw.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { maskedErrorLines } from "../shared/error-text";
import { deployWaves, readManifest } from "../shared/manifest";
import type { PlanJson } from "../shared/plan-json";
import {
  markPendingValues,
  PendingOutputs,
  plannedOutputValues,
  SchemaCache,
  writePlannedOutputState,
  writeRemoteStateOverride,
  type StackConfigJson,
} from "../shared/planned-outputs";
import { redactPlan } from "../shared/plan-redact";
import { mapWarmingPluginCache, runTerraform, type TerraformSetup } from "../shared/terraform";

export interface PlannedStack {
  readonly stack: string;
  readonly ok: boolean;
  /** The redacted plan (no sensitive values), when the plan succeeded. */
  readonly plan?: PlanJson;
  /** The saved plan file, for `terraform apply <file>`. */
  readonly planFile?: string;
  readonly error?: string;
  /** The first lines of Terraform's error, masked: safe for a comment or an artifact. */
  readonly errorLines?: readonly string[];
  /**
   * The plan as `terraform show -json` printed it, sensitive values in clear text: for the
   * producer's planned outputs only; never write it anywhere.
   */
  readonly unredacted?: PlanJson;
}

export interface PlanStackOptions {
  /**
   * Producers planned in the same run: the state file of each one's planned outputs, which the
   * stack's `terraform_remote_state` reads instead of the producer's real state.
   */
  readonly producerStates?: ReadonlyMap<string, string>;
  /** The run's sentinels, turned into "known after apply" (and `platform_pending`) in the JSON. */
  readonly pending?: PendingOutputs;
  /** Extra environment for Terraform (`TF_VAR_…`; dummy credentials in offline tests). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra `terraform plan` arguments (`-refresh=false` in offline tests). */
  readonly planArgs?: readonly string[];
}

function tail(text: string, lines = 30): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** The folder of a stack in a synth output. */
export function stackDir(outdir: string, stack: string): string {
  const manifest = readManifest(outdir);
  const s = manifest.stacks[stack];
  if (!s) throw new Error(`no stack named ${stack} in ${outdir}/manifest.json`);
  return resolve(outdir, s.workingDirectory);
}

function failed(stack: string, step: string, output: string): PlannedStack {
  return { stack, ok: false, error: `${step} failed:\n${tail(output)}`, errorLines: maskedErrorLines(output) };
}

/**
 * `terraform init` + `plan -out` + `show -json` in the stack's synthesized folder (its real
 * backend; credentials from the environment). Writes the redacted JSON to `jsonOut`. With
 * `producerStates`, the remote states of those producers read their planned outputs (an
 * override file in the folder); without, a stale override is removed and every remote state
 * reads the real one.
 */
export async function planStack(
  setup: TerraformSetup,
  outdir: string,
  stack: string,
  jsonOut: string,
  options: PlanStackOptions = {},
): Promise<PlannedStack> {
  const dir = stackDir(outdir, stack);
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackConfigJson;
  writeRemoteStateOverride(dir, json, (producer) => options.producerStates?.get(producer));
  const env = options.env ?? {};
  const init = await runTerraform(setup, dir, ["init", "-input=false", "-no-color"], env);
  if (init.code !== 0) return failed(stack, "init", init.stderr || init.stdout);
  const plan = await runTerraform(
    setup,
    dir,
    ["plan", "-input=false", "-no-color", "-lock-timeout=5m", ...(options.planArgs ?? []), "-out=tfplan"],
    env,
  );
  if (plan.code !== 0) return failed(stack, "plan", plan.stderr || plan.stdout);
  const show = await runTerraform(setup, dir, ["show", "-json", "tfplan"], env);
  if (show.code !== 0) return failed(stack, "show", show.stderr);
  const unredacted = JSON.parse(show.stdout) as PlanJson;
  const marked = options.pending ? markPendingValues(unredacted, options.pending, json) : unredacted;
  const redacted = redactPlan(marked);
  mkdirSync(resolve(jsonOut, ".."), { recursive: true });
  writeFileSync(jsonOut, JSON.stringify(redacted));
  return { stack, ok: true, plan: redacted, planFile: join(dir, "tfplan"), unredacted };
}

/** What a failed or unplanned stack leaves as its plan file, so the review and the deploy see it. */
export function erroredPlan(errorLines: readonly string[]): PlanJson {
  return { format_version: "1.2", errored: true, resource_changes: [], error_lines: [...errorLines] };
}

export interface PlanRunOptions extends Pick<PlanStackOptions, "env" | "planArgs"> {
  /** Scratch folder: planned-output state files (and the provider schema cache by default). */
  readonly workDir: string;
  /** Where the AWS provider schema is cached. @default workDir */
  readonly schemaCacheDir?: string;
  readonly concurrency: number;
  readonly log?: (line: string) => void;
}

/**
 * Plans `stacks` in dependency waves (manifest.json). A consumer whose producer is in the run
 * is planned against the producer's planned outputs (see planned-outputs.ts); producers not in
 * the run are read from their real state. Every stack gets `<jsonDir>/<stack>.json`: its
 * redacted plan, or an errored placeholder with masked error lines. A consumer of a failed
 * producer is not planned (it would read stale outputs) and fails with "producer X failed".
 */
export async function planStacksInWaves(
  setup: TerraformSetup,
  outdir: string,
  stacks: readonly string[],
  jsonDir: string,
  options: PlanRunOptions,
): Promise<PlannedStack[]> {
  const manifest = readManifest(outdir);
  for (const s of stacks) if (!manifest.stacks[s]) throw new Error(`no stack named ${s} in ${outdir}/manifest.json`);
  const inRun = new Set(stacks);
  const consumed = new Set(stacks.flatMap((s) => manifest.stacks[s]!.dependencies.filter((d) => inRun.has(d))));
  const statesDir = join(options.workDir, "planned-outputs");
  mkdirSync(statesDir, { recursive: true });
  mkdirSync(jsonDir, { recursive: true });
  const schema = new SchemaCache(setup, options.schemaCacheDir ?? options.workDir);
  const pending = new PendingOutputs();
  const results = new Map<string, PlannedStack>();
  /** Producers planned fine whose planned outputs could not be written: their consumers fail. */
  const noOutputs = new Map<string, string>();
  const waves = deployWaves(manifest.stacks).map((w) => w.filter((s) => inRun.has(s))).filter((w) => w.length > 0);
  for (const wave of waves) {
    await mapWarmingPluginCache(setup, wave, options.concurrency, async (stack) => {
      const jsonOut = join(jsonDir, `${stack}.json`);
      const producers = manifest.stacks[stack]!.dependencies.filter((d) => inRun.has(d)).sort();
      const failedProducer = producers.find((d) => !results.get(d)?.ok || noOutputs.has(d));
      let result: PlannedStack;
      if (failedProducer) {
        const why = noOutputs.get(failedProducer) ?? "failed";
        const line = `Error: not planned: producer ${failedProducer} ${why}, so its outputs are unknown`;
        result = { stack, ok: false, error: `producer ${failedProducer} ${why}`, errorLines: [line] };
      } else {
        const producerStates = new Map(producers.map((d) => [d, join(statesDir, `${d}.tfstate`)] as const));
        result = await planStack(setup, outdir, stack, jsonOut, { ...options, producerStates, pending });
        if (result.ok && consumed.has(stack)) {
          try {
            const dir = stackDir(outdir, stack);
            const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackConfigJson;
            const values = plannedOutputValues(stack, result.unredacted!, json, await schema.get(dir), pending);
            writePlannedOutputState(join(statesDir, `${stack}.tfstate`), values);
          } catch (e) {
            noOutputs.set(stack, "planned, but its planned outputs could not be read");
            options.log?.(`${stack}: planned outputs unavailable: ${(e as Error).message}`);
          }
        }
      }
      if (!result.ok) writeFileSync(jsonOut, JSON.stringify(erroredPlan(result.errorLines ?? [])));
      const { unredacted: _, ...kept } = result;
      results.set(stack, kept);
      options.log?.(result.ok ? `planned ${stack}` : `FAILED ${stack}: ${result.error}`);
    });
  }
  return stacks.map((s) => results.get(s)!);
}

/**
 * `terraform apply` of the saved plan the last {@link planStack} of this stack wrote. Applying the
 * saved file (never `apply -auto-approve`) means Terraform itself refuses it if the state moved
 * since that plan. The error comes back masked: it lands in job summaries.
 */
export async function applySavedPlan(setup: TerraformSetup, outdir: string, stack: string): Promise<{ ok: boolean; error?: string }> {
  const run = await runTerraform(setup, stackDir(outdir, stack), ["apply", "-input=false", "-no-color", "-lock-timeout=10m", "tfplan"]);
  return run.code === 0 ? { ok: true } : { ok: false, error: maskedErrorLines(run.stderr || run.stdout).join("\n") };
}
