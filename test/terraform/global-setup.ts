/**
 * The terraform tier's warm-up: the main app is synthesized once (shared read-only with every
 * file: main-synth.ts), then every stack of it is checked and planned once (batched, producers
 * first) into the plan cache, so the files that plan the same stacks (the offline check,
 * teardown, adopt, the review scenarios…) find their plans there instead of planning them at the
 * same time in two workers.
 *
 * The planning runs in the background of vitest's main process: the unit project's files run
 * meanwhile (they come first: vitest.config.ts's groupOrder), and a terraform file waits for the
 * marker only when it plans through the cache (plan-once.ts). Nothing is planned without
 * terraform (the files then skip, or fail in CI) or with `TF_PLAN_CACHE=off`.
 */
import { rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { synthAllToTemp } from "../../scripts/shared/synth-all";
import { findTerraform } from "../../scripts/shared/terraform";
import { planStacksNow } from "./plan-once";

export default function warmUp(project: TestProject): (() => Promise<void>) | undefined {
  project.provide("warmUpDone", "");
  if (!findTerraform()) return undefined;
  const started = Date.now();
  const outdir = synthAllToTemp();
  project.provide("mainSynth", outdir);
  if (process.env.TF_PLAN_CACHE === "off") return undefined;
  const workRoot = resolve(".tf-test", "warm-up");
  const marker = resolve(workRoot, "done");
  rmSync(marker, { force: true });
  project.provide("warmUpDone", marker);
  const planned = planStacksNow(outdir, { workRoot })
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
  return () => planned;
}
