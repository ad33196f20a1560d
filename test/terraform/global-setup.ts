/**
 * The terraform tier's global setup, in vitest's main process:
 * - the main app is synthesized once, shared read-only with every file (main-synth.ts);
 * - the shared planner (scripts/tf-check/shared-planner.ts) starts: every file's batches, and the warm-up's, go
 *   through it, and batches asked for together run as one terraform run
 *   (`TF_SHARED_PLANNER=off`: each file plans its own);
 * - the warm-up plans every stack of the main app once (batched, producers first) into the plan
 *   cache, so the files that plan the same stacks (the offline check, teardown, adopt, the review
 *   scenarios…) find their plans there instead of planning them at the same time.
 *
 * The warm-up runs in the background while the unit project's files run (they come first:
 * vitest.config.ts's groupOrder); a terraform file waits for its marker only when it plans
 * through the cache (plan-once.ts). Nothing is planned without terraform (the files then skip,
 * or fail in CI) or with `TF_PLAN_CACHE=off`.
 */
import { rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { synthAllToTemp } from "../../scripts/shared/synth-all";
import { findTerraform, prepareOfflineTerraform } from "../../scripts/shared/terraform";
import { delegateBatches } from "../../scripts/tf-check/plan-batch";
import { planStacksNow } from "./plan-once";
import { servePlanner, SharedPlanner } from "../../scripts/tf-check/shared-planner";

export default async function globalSetup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  project.provide("warmUpDone", "");
  project.provide("sharedPlanner", "");
  if (!findTerraform()) return undefined;
  const started = Date.now();
  const outdir = synthAllToTemp();
  project.provide("mainSynth", outdir);
  const stopPlanner = process.env.TF_SHARED_PLANNER === "off" ? async () => {} : await startPlanner(project);
  const warmedUp = process.env.TF_PLAN_CACHE === "off" ? Promise.resolve() : warmUp(project, outdir, started);
  return async () => {
    await warmedUp;
    await stopPlanner();
  };
}

async function startPlanner(project: TestProject): Promise<() => Promise<void>> {
  const workRoot = resolve(".tf-test", "shared-planner");
  const planner = new SharedPlanner(await prepareOfflineTerraform(workRoot), workRoot);
  const served = await servePlanner(planner);
  project.provide("sharedPlanner", served.url);
  delegateBatches((jobs, options) => planner.plan(jobs, options));
  return async () => {
    delegateBatches(undefined);
    await served.close();
    const { runs, merged, rerun, sizes } = planner.stats();
    console.log(`terraform tier shared planner: ${runs} terraform runs (jobs: ${sizes.join(" ")}); ${merged} merged several files' batches, ${rerun} of them failed and ran again batch by batch`);
  };
}

/** Plans every stack into the cache in the background; writes the marker workers wait for when done. */
function warmUp(project: TestProject, outdir: string, started: number): Promise<void> {
  const workRoot = resolve(".tf-test", "warm-up");
  const marker = resolve(workRoot, "done");
  rmSync(marker, { force: true });
  project.provide("warmUpDone", marker);
  return planStacksNow(outdir, { workRoot })
    .then((results) => {
      const failed = results.filter((r) => !r.ok).length;
      // A failure is not the warm-up's to report: offline.test plans the same stacks and says why.
      return `${results.length} stacks planned or found in the plan cache in ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? ` (${failed} failed)` : ""}`;
    })
    // Nor is an error: the files then plan for themselves, and fail with it.
    .catch((error: unknown) => `stopped: ${error instanceof Error ? error.message : String(error)}`)
    .then((summary) => {
      writeFileSync(marker, summary);
      console.log(`terraform tier warm-up: ${summary}`);
    });
}
