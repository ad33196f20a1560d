/**
 * The terraform tier's one way to check and plan stacks offline. Every file that plans a synth
 * output goes through here, so a stack synthesized the same way in several files (the main app
 * in offline.test.ts, its unchanged stacks under the adopt fixtures, …) is planned once per run,
 * and not again in a later run while none of its inputs changed (PlanCache keys each plan by the
 * stack's JSON and assets, its producers' keys and the terraform and provider versions).
 * `TF_PLAN_CACHE=off` plans everything afresh.
 */
import { checkStacks, type StackCheck } from "../../scripts/tf-check/offline-check";
import { DEFAULT_PLAN_CACHE } from "../../scripts/tf-check/plan-cache";
import { warmUpFinished } from "./warm-up";

export interface PlanOnceOptions {
  /** Scratch folder for this file's working copies (each file its own: stack names repeat across synth outputs). */
  readonly workRoot: string;
  /** Only these stacks (and their producers). @default every stack of the synth output */
  readonly stacks?: readonly string[];
  /** @default 2 */
  readonly concurrency?: number;
}

/** In a test file: after the warm-up (global-setup.ts) has filled the plan cache, so nothing is planned twice. */
export async function planStacksOnce(outdir: string, options: PlanOnceOptions): Promise<StackCheck[]> {
  await warmUpFinished();
  return planStacksNow(outdir, options);
}

/** The warm-up's own call, and {@link planStacksOnce}'s once the warm-up is over. */
export function planStacksNow(outdir: string, options: PlanOnceOptions): Promise<StackCheck[]> {
  const cacheDir = process.env.TF_PLAN_CACHE === "off" ? undefined : (process.env.TF_PLAN_CACHE_DIR ?? DEFAULT_PLAN_CACHE);
  return checkStacks({ outdir, workRoot: options.workRoot, stacks: options.stacks, plan: true, concurrency: options.concurrency ?? 2, cacheDir });
}
