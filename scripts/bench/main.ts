/**
 * Benchmark (not a test): synth of every environment (wall time from process start, and
 * peak memory), then terraform validate of every stack, then the offline plan of every stack.
 *
 *   pnpm bench [--runs 3] [--skip-terraform]
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkStacks } from "../tf-check/offline-check";
import { findTerraform } from "../shared/terraform";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, "skip-terraform": { type: "boolean", default: false } },
});

const tsx = resolve("node_modules/.bin/tsx");
const runs: Array<{ wallMs: number; synthMs: number; maxRssKiB: number; outdir: string }> = [];
for (let i = 0; i < Number(values.runs); i++) {
  const started = performance.now();
  const child = spawnSync(tsx, ["scripts/bench/synth-measure.ts"], { encoding: "utf8" });
  const wallMs = performance.now() - started;
  if (child.status !== 0) {
    console.error(child.stderr);
    process.exit(1);
  }
  runs.push({ wallMs, ...(JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Omit<(typeof runs)[0], "wallMs">) });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `synth all environments: wall ${(median(runs.map((r) => r.wallMs)) / 1000).toFixed(2)} s (median of ${runs.length}, ` +
    `in-process synth ${(median(runs.map((r) => r.synthMs)) / 1000).toFixed(2)} s), ` +
    `peak RSS ${Math.round(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024)} MiB`,
);

if (!values["skip-terraform"] && findTerraform()) {
  const outdir = runs[0]!.outdir;
  const concurrency = Math.max(2, availableParallelism());
  for (const plan of [false, true]) {
    const started = performance.now();
    const results = await checkStacks({ outdir, workRoot: resolve(".tf-test"), plan, concurrency });
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      `${plan ? "offline plan" : "validate"} of ${results.length} stacks: ${((performance.now() - started) / 1000).toFixed(1)} s ` +
        `(concurrency ${concurrency}${failed ? `, ${failed} FAILED` : ""})`,
    );
  }
}
