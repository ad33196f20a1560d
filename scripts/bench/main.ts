/**
 * Benchmark (not a test): each fast path against the path it replaced, measured in the same
 * run, medians of wall times.
 *
 * - synth of every environment: `pnpm synth` (cached esbuild bundle, plain node) against
 *   `cdktf synth` (cdktf.json: tsx) and `tsx apps/main.ts` (what `pnpm synth` ran before);
 * - terraform validate of every stack: one combined root module against init + validate per stack;
 * - offline plan of every stack: the shared path against the per-stack path.
 *
 *   pnpm bench [--runs 5] [--tf-runs 1] [--skip-terraform] [--skip-plan] [--skip-synth] [--concurrency 2]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkStacks, type CheckOptions } from "../tf-check/offline-check";
import { findTerraform } from "../shared/terraform";
import { synthAllToTemp } from "../shared/synth-all";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "tf-runs": { type: "string", default: "1" },
    "skip-terraform": { type: "boolean", default: false },
    "skip-plan": { type: "boolean", default: false },
    "skip-synth": { type: "boolean", default: false },
    concurrency: { type: "string" },
  },
});

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Wall time of a command that synthesizes into a fresh folder. */
function timeSynth(command: string, args: (outdir: string) => string[]): number {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  const started = performance.now();
  const child = spawnSync(command, args(outdir), { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  const ms = performance.now() - started;
  rmSync(outdir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`${command} ${args(outdir).join(" ")} failed:\n${child.stderr}${child.stdout}`);
  return ms;
}

const bin = (name: string) => resolve("node_modules/.bin", name);
const synthPaths = {
  "pnpm synth (bundle + node)": () => timeSynth(process.execPath, (o) => ["scripts/synth/main.mjs", "--outdir", o]),
  "cdktf synth (cdktf.json)": () => timeSynth(bin("cdktf"), (o) => ["synth", "--output", o]),
  "tsx apps/main.ts (before)": () => timeSynth(bin("tsx"), () => ["apps/main.ts"]),
};
if (!values["skip-synth"]) {
  // The last one writes cdktf.out/ as `pnpm synth` did; this first call builds the bundle if stale.
  synthPaths["pnpm synth (bundle + node)"]();
  const synth = new Map<string, number[]>(Object.keys(synthPaths).map((k) => [k, []]));
  for (let i = 0; i < Number(values.runs); i++) {
    // Interleaved, so load from other processes falls on every path alike.
    for (const [name, run] of Object.entries(synthPaths)) synth.get(name)!.push(run());
  }
  console.log(`synth of every environment, median of ${values.runs} (interleaved):`);
  for (const [name, ms] of synth) console.log(`  ${name.padEnd(28)} ${secs(median(ms))}   [${ms.map((m) => (m / 1000).toFixed(2)).join(", ")}]`);
  const fast = median(synth.get("pnpm synth (bundle + node)")!);
  console.log(`  ratio cdktf synth / pnpm synth: ${(median(synth.get("cdktf synth (cdktf.json)")!) / fast).toFixed(2)}×`);
  console.log(`  ratio tsx / pnpm synth:         ${(median(synth.get("tsx apps/main.ts (before)")!) / fast).toFixed(2)}×`);
}

if (!values["skip-terraform"] && findTerraform()) {
  const outdir = synthAllToTemp();
  const concurrency = Number(values.concurrency ?? Math.max(2, Math.min(4, availableParallelism())));
  // Both paths share one plugin cache, so neither pays for filling it.
  process.env.TF_PLUGIN_CACHE_DIR ??= resolve(".tf-test", "plugin-cache");
  const run = async (path: NonNullable<CheckOptions["path"]>, plan: boolean) => {
    const workRoot = resolve(".tf-test", "bench", path);
    rmSync(join(workRoot, "stacks"), { recursive: true, force: true });
    const started = performance.now();
    const results = await checkStacks({ outdir, workRoot, plan, concurrency, path });
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) throw new Error(`${path} ${plan ? "plan" : "validate"} failed: ${failed.map((r) => `${r.stack}: ${r.error}`).join("\n")}`);
    return { ms: performance.now() - started, stacks: results.length };
  };
  for (const plan of values["skip-plan"] ? [false] : [false, true]) {
    const times = { "per-stack": [] as number[], shared: [] as number[] };
    let stacks = 0;
    for (let i = 0; i < Number(values["tf-runs"]); i++) {
      for (const path of ["per-stack", "shared"] as const) {
        const r = await run(path, plan);
        times[path].push(r.ms);
        stacks = r.stacks;
      }
    }
    const label = plan ? "offline plan" : "terraform validate";
    console.log(`${label} of ${stacks} stacks, concurrency ${concurrency}, median of ${values["tf-runs"]}:`);
    console.log(`  per-stack (init + validate${plan ? " + plan" : ""} per stack)  ${secs(median(times["per-stack"]))}`);
    console.log(`  shared (${plan ? "batched plans that validate, no init" : "one root module"})${" ".repeat(plan ? 2 : 13)}${secs(median(times.shared))}`);
    console.log(`  ratio: ${(median(times["per-stack"]) / median(times.shared)).toFixed(2)}×`);
  }
}
