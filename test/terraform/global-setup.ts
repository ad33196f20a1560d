/**
 * The terraform tier's warm-up, before any test file starts: the main app is synthesized once
 * (shared read-only with every file: main-synth.ts) and every stack of it is checked and planned
 * once (batched, producers first) into the plan cache, so the files that plan the same stacks
 * (the offline check, teardown, adopt, the review scenarios…) find their plans there instead of
 * planning them at the same time in two workers. Nothing is planned without terraform (the files
 * then skip, or fail in CI) or with `TF_PLAN_CACHE=off`.
 */
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { synthAllToTemp } from "../../scripts/shared/synth-all";
import { findTerraform } from "../../scripts/shared/terraform";
import { planStacksOnce } from "./plan-once";

export default async function warmUp(project: TestProject): Promise<void> {
  if (!findTerraform()) return;
  const started = Date.now();
  const outdir = synthAllToTemp();
  project.provide("mainSynth", outdir);
  if (process.env.TF_PLAN_CACHE === "off") return;
  const results = await planStacksOnce(outdir, { workRoot: resolve(".tf-test", "warm-up") });
  const failed = results.filter((r) => !r.ok).length;
  // A failure is not the warm-up's to report: offline.test plans the same stacks and says why.
  console.log(`terraform tier warm-up: ${results.length} stacks planned or found in the plan cache in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? ` (${failed} failed)` : ""}`);
}
