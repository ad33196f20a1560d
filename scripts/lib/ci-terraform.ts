/**
 * Terraform against the real backends, as CI runs it: plan a synthesized stack into a saved
 * plan file plus its redacted JSON, and apply that saved plan only when it matches the plan
 * a reviewer saw.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readManifest } from "./manifest";
import type { PlanJson } from "./plan-json";
import { comparePlans, planHasChanges, redactPlan } from "./plan-redact";
import { runTerraform, type TerraformSetup } from "./terraform";

export interface PlannedStack {
  readonly stack: string;
  readonly ok: boolean;
  /** The redacted plan (no sensitive values), when the plan succeeded. */
  readonly plan?: PlanJson;
  /** The saved plan file, for `terraform apply <file>`. */
  readonly planFile?: string;
  readonly error?: string;
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

/**
 * `terraform init` + `plan -out` + `show -json` in the stack's synthesized folder (its real
 * backend; credentials from the environment). Writes the redacted JSON to `jsonOut`.
 */
export async function planStack(setup: TerraformSetup, outdir: string, stack: string, jsonOut: string): Promise<PlannedStack> {
  const dir = stackDir(outdir, stack);
  const init = await runTerraform(setup, dir, ["init", "-input=false", "-no-color"]);
  if (init.code !== 0) return { stack, ok: false, error: `init failed:\n${tail(init.stderr || init.stdout)}` };
  const plan = await runTerraform(setup, dir, ["plan", "-input=false", "-no-color", "-lock-timeout=5m", "-out=tfplan"]);
  if (plan.code !== 0) return { stack, ok: false, error: `plan failed:\n${tail(plan.stderr || plan.stdout)}` };
  const show = await runTerraform(setup, dir, ["show", "-json", "tfplan"]);
  if (show.code !== 0) return { stack, ok: false, error: `show failed:\n${tail(show.stderr)}` };
  const redacted = redactPlan(JSON.parse(show.stdout) as PlanJson);
  mkdirSync(resolve(jsonOut, ".."), { recursive: true });
  writeFileSync(jsonOut, JSON.stringify(redacted));
  return { stack, ok: true, plan: redacted, planFile: join(dir, "tfplan") };
}

/** `<stack>.json` files anywhere under `dir` (artifacts download into one folder per artifact). */
export function findReviewedPlans(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(".json")) found.set(entry.replace(/\.json$/, ""), full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

export type ApplyOutcome = "applied" | "nothing to apply" | "refused" | "failed";

export interface AppliedStack {
  readonly stack: string;
  readonly outcome: ApplyOutcome;
  readonly detail: string;
}

/**
 * Plans the stack now, and applies that saved plan only if it does what the reviewed plan
 * did (same addresses, actions and values, sensitive values compared as changed/unchanged).
 * Applying the saved plan file (not `apply -auto-approve`) means Terraform itself refuses it
 * if the state moved between this plan and the apply.
 */
export async function applyIfReviewed(
  setup: TerraformSetup,
  outdir: string,
  stack: string,
  reviewedPath: string | undefined,
  workDir: string,
): Promise<AppliedStack> {
  const planned = await planStack(setup, outdir, stack, join(workDir, `${stack}.json`));
  if (!planned.ok) return { stack, outcome: "failed", detail: planned.error! };
  const current = planned.plan!;
  if (!reviewedPath) {
    if (!planHasChanges(current)) return { stack, outcome: "nothing to apply", detail: "no reviewed plan and nothing to do" };
    return { stack, outcome: "refused", detail: "the plan has changes but no reviewed plan exists for this stack" };
  }
  const reviewed = JSON.parse(readFileSync(reviewedPath, "utf8")) as PlanJson;
  const differences = comparePlans(reviewed, current);
  if (differences.length > 0) {
    return {
      stack,
      outcome: "refused",
      detail: `the plan no longer matches the reviewed one:\n${differences.map((d) => `  ${d}`).join("\n")}`,
    };
  }
  if (!planHasChanges(current)) return { stack, outcome: "nothing to apply", detail: "matches the reviewed plan, which has no changes" };
  const apply = await runTerraform(setup, stackDir(outdir, stack), ["apply", "-input=false", "-no-color", "-lock-timeout=10m", "tfplan"]);
  if (apply.code !== 0) return { stack, outcome: "failed", detail: `apply failed:\n${tail(apply.stderr || apply.stdout)}` };
  return { stack, outcome: "applied", detail: tail(apply.stdout, 3) };
}
