/**
 * The terraform tier's warm-up, before any test file starts: every stack of the main app is
 * checked and planned once (batched, producers first) into the plan cache, so the files that
 * plan the same stacks (the offline check, teardown, adopt, the review scenarios…) find their
 * plans there instead of planning them at the same time in two workers. Skipped without
 * terraform (the files then skip or fail on their own) and with `TF_PLAN_CACHE=off`.
 */
import { resolve } from "node:path";
import { synthAllToTemp } from "../../scripts/shared/synth-all";
import { findTerraform } from "../../scripts/shared/terraform";
import { planStacksOnce } from "./plan-once";

export default async function warmPlanCache(): Promise<void> {
  if (!findTerraform() || process.env.TF_PLAN_CACHE === "off") return;
  const started = Date.now();
  const results = await planStacksOnce(synthAllToTemp(), { workRoot: resolve(".tf-test", "warm-up") });
  const failed = results.filter((r) => !r.ok).length;
  // A failure is not the warm-up's to report: offline.test plans the same stacks and says why.
  console.log(`terraform tier warm-up: ${results.length} stacks planned or found in the plan cache in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? ` (${failed} failed)` : ""}`);
}
