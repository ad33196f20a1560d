/**
 * terraform init + validate + offline plan for synthesized stacks, against the real AWS
 * provider, with no AWS account: a local backend, dummy credentials, and cross-stack inputs
 * mocked from the producers' own plans.
 *
 *   pnpm tf:check                      every stack in cdktf.out (run `pnpm synth` first)
 *   pnpm tf:check --stacks prod-network,prod-compute
 *   pnpm tf:check --validate-only
 *   pnpm tf:check path/to/dir          one folder holding a cdk.tf.json
 *   pnpm tf:check --per-stack          init + validate in every stack's folder (the old path)
 *
 * By default stacks are planned without a per-stack init, the stacks of each deploy wave
 * together (planBatch: up to 8 per terraform run); a plan validates first and its diagnostics are
 * reported per stack. With --validate-only (or for the stacks of a batch that failed) every stack
 * is validated in one `terraform validate` (a generated root module calling each stack).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkStacks } from "./offline-check";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stacks: { type: "string" },
    "validate-only": { type: "boolean", default: false },
    concurrency: { type: "string" },
    "work-dir": { type: "string", default: ".tf-test" },
    "per-stack": { type: "boolean", default: false },
  },
});

const workRoot = resolve(values["work-dir"]!);
let outdir = resolve(positionals[0] ?? "cdktf.out");
if (existsSync(join(outdir, "cdk.tf.json"))) {
  // A single stack folder: give it a one-stack manifest.
  const name = basename(outdir);
  const adhoc = join(workRoot, "adhoc", name);
  mkdirSync(adhoc, { recursive: true });
  writeFileSync(
    join(adhoc, "manifest.json"),
    JSON.stringify({ stacks: { [name]: { name, workingDirectory: outdir, synthesizedStackPath: "", dependencies: [] } } }),
  );
  outdir = adhoc;
}
if (!existsSync(join(outdir, "manifest.json"))) {
  console.error(`no ${join(outdir, "manifest.json")}: run \`pnpm synth\` first`);
  process.exit(2);
}

const started = Date.now();
const results = await checkStacks({
  outdir,
  workRoot,
  stacks: values.stacks?.split(",").map((s) => s.trim()),
  plan: !values["validate-only"],
  concurrency: Number(values.concurrency ?? Math.max(2, availableParallelism())),
  log: (line) => console.log(line),
  path: values["per-stack"] ? "per-stack" : "shared",
});

for (const r of results) {
  for (const d of r.diagnostics) console.log(`  ${r.stack}: ${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ""}`);
  if (r.changes) console.log(`  ${r.stack}: plan ${r.changes.create} to add, ${r.changes.update} to change, ${r.changes.delete} to destroy`);
}
const failed = results.filter((r) => !r.ok);
console.log(
  `${results.length - failed.length} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
process.exit(failed.length > 0 ? 1 : 0);
