/**
 * CI on main: apply one environment's changed stacks wave by wave, each only if the plan made
 * now matches the plan reviewed on the pull request.
 *
 *   pnpm exec tsx scripts/apply-reviewed.ts --changed changed.json --environment staging --reviewed reviewed/
 *
 * Per stack: init, plan -out, compare with `<reviewed>/**\/<stack>.json` (see comparePlans), then
 * `terraform apply <saved plan>`. A stack with changes but no reviewed plan, or a different
 * plan, is refused. A refused or failed stack stops the run before the next wave.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { applyIfReviewed, findReviewedPlans } from "./lib/ci-terraform";
import type { ChangedStacks } from "./lib/changed-stacks";
import { mapLimit } from "./lib/pool";
import { prepareTerraform } from "./lib/terraform";

const { values } = parseArgs({
  options: {
    changed: { type: "string", default: "changed.json" },
    environment: { type: "string" },
    reviewed: { type: "string", default: "reviewed" },
    outdir: { type: "string", default: "cdktf.out" },
    concurrency: { type: "string", default: "4" },
  },
});

const changed = JSON.parse(readFileSync(values.changed!, "utf8")) as ChangedStacks;
const env = changed.environments.find((e) => e.environment === values.environment);
if (!env) {
  console.log(`nothing to apply in ${values.environment}`);
  process.exit(0);
}
const reviewed = findReviewedPlans(resolve(values.reviewed!));
const setup = prepareTerraform(join(tmpdir(), "platform-ci-terraform"));
const work = join(tmpdir(), "platform-apply-plans");
let failed = 0;
for (const [i, wave] of env.waves.entries()) {
  console.log(`wave ${i + 1}/${env.waves.length}: ${wave.join(", ")}`);
  const results = await mapLimit(wave, Number(values.concurrency), (stack) =>
    applyIfReviewed(setup, resolve(values.outdir!), stack, reviewed.get(stack), work),
  );
  for (const r of results) console.log(`${r.outcome.toUpperCase()} ${r.stack}: ${r.detail}`);
  failed = results.filter((r) => r.outcome === "refused" || r.outcome === "failed").length;
  if (failed > 0) {
    console.log(`stopping before wave ${i + 2}: re-plan on a pull request and merge again to apply what is left`);
    break;
  }
}
process.exit(failed > 0 ? 1 : 0);
