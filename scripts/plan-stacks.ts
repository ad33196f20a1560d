/**
 * CI: plan stacks against their real backends and keep the redacted plan JSON for review.
 *
 *   pnpm exec tsx scripts/plan-stacks.ts --stacks staging-network,staging-compute --out plans/
 *
 * Writes `<out>/<stack>.json`: the redacted `terraform show -json`, safe to upload as an
 * artifact. A stack whose plan failed gets `{"errored": true}` there (its error goes to the log
 * only, where Terraform's messages may quote values), so the review reports it and the deploy
 * refuses it. Exit status 1 when any plan failed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { planStack } from "./lib/ci-terraform";
import { mapLimit } from "./lib/pool";
import { prepareTerraform } from "./lib/terraform";

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
const setup = prepareTerraform(join(tmpdir(), "platform-ci-terraform"));
const results = await mapLimit(stacks, Number(values.concurrency), async (stack) => {
  const r = await planStack(setup, resolve(values.outdir!), stack, join(out, `${stack}.json`));
  console.log(r.ok ? `planned ${stack}` : `FAILED ${stack}: ${r.error}`);
  if (!r.ok) writeFileSync(join(out, `${stack}.json`), JSON.stringify({ format_version: "1.2", errored: true, resource_changes: [] }));
  return r;
});
const failed = results.filter((r) => !r.ok).map((r) => r.stack);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
