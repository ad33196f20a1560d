/**
 * Converge one environment to the synthesized main (see lib/converge.ts for the rules).
 *
 *   pnpm run deploy staging --reviewed reviewed/ --summary summary.md     apply
 *   pnpm run deploy prod --mode preview --github-output "$GITHUB_OUTPUT"  plan only: what would apply, needs_approval
 *   pnpm run deploy staging --mode drift --summary drift.md               plan only: drift and unapplied changes
 *
 * (`pnpm run deploy`: a bare `pnpm deploy` is pnpm's own command.)
 *
 * Options:
 *   --outdir DIR            synth output (default cdktf.out)
 *   --reviewed DIR          reviewed plans as `<n>-<sha>/**\/<stack>.json` (scripts/deploy/reviewed-plans.ts)
 *   --approved-stateful     this run passed the `stateful-change` approval
 *   --approve-unreviewed    apply plans nobody reviewed (dispatch input; the workflow requires the approval too)
 *   --summary FILE          append the Markdown summary (e.g. "$GITHUB_STEP_SUMMARY")
 *   --github-output FILE    append needs_approval=, stopped=, drift= lines
 *
 * Exit status: 1 when a stack was refused, failed or blocked (apply mode), or on bad input;
 * 0 otherwise. Preview and drift runs exit 0 and say what they found in the outputs.
 */
import { appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { missingInputsOf } from "./ci-inputs";
import { applySavedPlan, planStack } from "./ci-terraform";
import { anyStopped, converge, renderSummary, selectReviewedPlans, type Mode } from "./converge";
import { usesLocalState } from "../changed-stacks/changed-stacks";
import { deployWaves, readManifest } from "../shared/manifest";
import { environmentOf } from "../shared/stack-names";
import { firstCallAlone, prepareTerraform } from "../shared/terraform";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    outdir: { type: "string", default: "cdktf.out" },
    reviewed: { type: "string", default: "reviewed" },
    mode: { type: "string", default: "apply" },
    "approved-stateful": { type: "boolean", default: false },
    "approve-unreviewed": { type: "boolean", default: false },
    summary: { type: "string" },
    "github-output": { type: "string" },
    concurrency: { type: "string", default: "4" },
  },
});

const environment = positionals[0];
const mode = values.mode as Mode;
if (!environment || !["apply", "preview", "drift"].includes(mode)) {
  console.error("usage: pnpm run deploy <environment> [--mode apply|preview|drift] (see scripts/deploy/main.ts)");
  process.exit(1);
}
const outdir = resolve(values.outdir!);
const manifest = readManifest(outdir);
const mine = Object.keys(manifest.stacks).filter((s) => environmentOf(s) === environment);
if (mine.length === 0) {
  console.error(`no stacks of environment ${environment} in ${outdir}/manifest.json`);
  process.exit(1);
}
const manual = new Set(mine.filter((s) => usesLocalState(outdir, manifest, s)));
const missing = missingInputsOf(outdir, manifest, mine.filter((s) => !manual.has(s)));
if (missing.length > 0) {
  for (const line of missing) console.error(`::error::${line}`);
  process.exit(1);
}

const stacks = Object.fromEntries(mine.map((s) => [s, { dependencies: manifest.stacks[s]!.dependencies.filter((d) => mine.includes(d)) }]));
const waves = deployWaves(manifest.stacks).map((w) => w.filter((s) => mine.includes(s))).filter((w) => w.length > 0);
const reviewed = selectReviewedPlans(resolve(values.reviewed!));
for (const r of reviewed.values()) if (mine.includes(r.stack)) console.log(`reviewed plan of ${r.stack}: ${r.source}`);

const setup = prepareTerraform(join(tmpdir(), "platform-ci-terraform"));
const work = join(tmpdir(), "platform-deploy-plans");
const results = await converge({
  stacks,
  waves,
  manual,
  reviewed,
  mode,
  approvedStateful: values["approved-stateful"],
  approveUnreviewed: values["approve-unreviewed"],
  concurrency: Number(values.concurrency),
  log: (line) => console.log(line),
  // The first plan fills the plugin cache alone (parallel inits into an empty cache collide).
  planner: { plan: firstCallAlone((stack: string) => planStack(setup, outdir, stack, join(work, `${stack}.json`))) },
  applier: {
    apply: (planned) => applySavedPlan(setup, outdir, planned.stack),
  },
});

const markdown = renderSummary(environment, mode, results, { commit: process.env.GITHUB_SHA });
console.log(markdown);
if (values.summary) appendFileSync(values.summary, markdown);
const stopped = anyStopped(results);
const drift = results.some((r) => r.outcome === "drifted" || r.outcome === "pending changes");
if (values["github-output"]) {
  appendFileSync(
    values["github-output"],
    [`needs_approval=${results.some((r) => r.approval.length > 0)}`, `stopped=${stopped}`, `drift=${drift}`, ""].join("\n"),
  );
}
process.exit(mode === "apply" && stopped ? 1 : 0);
