/**
 * CI: plan stacks against their real backends and keep the redacted plan JSON for review.
 *
 *   pnpm exec tsx scripts/deploy/plan-stacks.ts --stacks staging-network,staging-compute --out plans/
 *
 * Stacks are planned in dependency waves. A consumer whose producer is in the same run is
 * planned against the producer's PLANNED outputs (known values as planned, the others marked
 * "known after apply" and listed in the plan's `platform_pending`), so the reviewed plan is what
 * the deploy will do once the producer has applied, and an output added in the same change can
 * be consumed at once. Producers not in the run are read from their real state.
 *
 * Writes `<out>/<stack>.json`: the redacted `terraform show -json`, safe to upload as an
 * artifact. A stack whose plan failed gets `{"format_version":"1.2","errored":true,
 * "resource_changes":[],"error_lines":[…]}` there (the first error lines, masked; the full
 * error goes to the log), so the review reports it and the deploy refuses it; its consumers in
 * the run fail too ("producer X failed") instead of being planned against stale outputs.
 * Exit status 1 when any plan failed.
 */
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { planStacksInWaves } from "./ci-terraform";
import { prepareTerraform } from "../shared/terraform";

const { values } = parseArgs({
  options: {
    stacks: { type: "string" },
    outdir: { type: "string", default: "cdktf.out" },
    out: { type: "string", default: "plans" },
    concurrency: { type: "string", default: "4" },
  },
});

const stacks = (values.stacks ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const out = resolve(values.out!);
mkdirSync(out, { recursive: true });
const workDir = join(tmpdir(), "platform-ci-terraform");
const setup = prepareTerraform(workDir);
const results = await planStacksInWaves(setup, resolve(values.outdir!), stacks, out, {
  workDir,
  concurrency: Number(values.concurrency),
  log: (line) => console.log(line),
});
const failed = results.filter((r) => !r.ok).map((r) => r.stack);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
