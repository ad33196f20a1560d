/**
 * The policy pack over the synthesized stacks of each environment (nothing is written).
 *
 *   pnpm policy                 every environment: a table, then totals
 *   pnpm policy --env prod      one environment
 *   pnpm policy --json          machine-readable results
 *   pnpm policy --markdown      the pull-request comment section
 *
 * Exit status: 0 when every checked environment has no unwaived finding and no waiver error, 1 otherwise.
 */
import { parseArgs } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertValid } from "@platform/core";
import { checkPolicy, collectStacks, passes, renderPolicyJson, renderPolicyMarkdown, renderPolicyTable } from "@platform/policy";
import { App } from "cdktf";
import { buildAll } from "../../apps/main";
import { policyTargets } from "../../apps/policy";

const { values } = parseArgs({
  options: { env: { type: "string" }, json: { type: "boolean" }, markdown: { type: "boolean" } },
});

const targets = values.env ? policyTargets.filter((t) => t.name === values.env) : policyTargets;
if (targets.length === 0) {
  console.error(`unknown environment ${JSON.stringify(values.env)}; one of ${policyTargets.map((t) => t.name).join(", ")}`);
  process.exit(1);
}

// cdktf creates the output folder when the app is built; keep it out of the repository.
const outdir = mkdtempSync(join(tmpdir(), "policy-"));
try {
  const app = new App({ outdir, skipValidation: false });
  buildAll(app);
  assertValid(app);
  // The shared-account rule needs every environment's account, so all targets stay in view.
  const results = checkPolicy(collectStacks(app), policyTargets).filter((r) => targets.some((t) => t.name === r.environment));
  console.log(values.json ? renderPolicyJson(results) : values.markdown ? renderPolicyMarkdown(results) : renderPolicyTable(results));
  process.exitCode = results.every(passes) ? 0 : 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
