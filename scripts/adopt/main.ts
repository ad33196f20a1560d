/**
 * Adopt what already runs: pair the live resources of a Terragrunt repository's states with
 * the resources an environment's stacks would create, and report before anything runs.
 *
 *   pnpm adopt staging --from ./pulled-states              the report (Markdown)
 *   pnpm adopt staging --from ./pulled-states --json       the report as JSON
 *   pnpm adopt staging --from ./pulled-states --write      + apps/staging/imports/<stack>.json (import blocks at synth)
 *   pnpm adopt staging --from ./pulled-states --write --mode state-mv --state-out ./new-states
 *                                                          + one state per stack; old states backed up, then trimmed
 *   pnpm adopt staging --check-plans ./plans                the first plans (`terraform show -json`, one
 *                                                          `<stack>.json` each): refused when one destroys or
 *                                                          replaces a stateful resource
 *
 * `--from` is a folder with one `terraform state pull` file per unit (`network.tfstate`,
 * `database/terraform.tfstate`, …) or a single state file. Synthesizes into `--outdir`
 * (default cdktf.out) first when it holds no manifest.
 * Exit status: 0 done; 1 bad input (every problem listed, each naming its file); 2 refused
 * (a stateful resource would be replaced: the report names the setting that keeps it).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { synthesizeAll } from "../../apps/main";
import { prod } from "../../apps/prod/src/config";
import { staging } from "../../apps/staging/src/config";
import { approvalsOf, refusals } from "./guard";
import { AdoptInputError } from "./live-state";
import { adoptionJson, adoptionMarkdown } from "./report";
import { AdoptRefusedError, planAdoption, writeImports, writeMovedStates } from "./run";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: "string" },
    outdir: { type: "string", default: "cdktf.out" },
    json: { type: "boolean" },
    write: { type: "boolean" },
    mode: { type: "string", default: "imports" },
    "state-out": { type: "string" },
    "check-plans": { type: "string" },
  },
});

const environments = { staging, prod };

if (values["check-plans"]) {
  const dir = values["check-plans"];
  const plans = new Map(readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => [f.replace(/\.json$/, ""), join(dir, f)]));
  const refused = refusals(plans);
  for (const r of approvalsOf(plans).filter((x) => x.kind !== "destroy")) console.error(`approval needed: ${r.stack} ${r.address}: ${r.why}`);
  if (refused.length > 0) {
    console.error(new AdoptRefusedError(refused.map((r) => `${r.stack} ${r.address}: ${r.why}`)).message);
    process.exit(2);
  }
  console.log(`${plans.size} plan(s): no stateful resource destroyed or replaced`);
  process.exit(0);
}
const env = positionals[0];
const plan = env ? environments[env as keyof typeof environments] : undefined;
if (!plan || !values.from || !["imports", "state-mv"].includes(values.mode!) || (values.mode === "state-mv" && values.write && !values["state-out"])) {
  console.error(
    `usage: pnpm adopt <${Object.keys(environments).join("|")}> --from <folder|state file> [--json] [--write [--mode imports|state-mv --state-out <dir>]]`,
  );
  process.exit(1);
}

try {
  if (!existsSync(join(values.outdir!, "manifest.json"))) synthesizeAll({ outdir: values.outdir });
  const e = plan.environment;
  const adoption = planAdoption({ place: { name: e.name, region: e.region, accountId: e.accountId }, from: values.from, outdir: values.outdir! });
  console.log(values.json ? JSON.stringify(adoptionJson(adoption), null, 2) : adoptionMarkdown(adoption));
  if (values.write) {
    if (values.mode === "state-mv") {
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const { backup, written } = writeMovedStates(adoption, values.from, values["state-out"]!, stamp);
      console.error(`old states backed up to ${backup}; wrote ${written.join(", ")}`);
    } else {
      const written = writeImports(adoption, join("apps", e.name, "imports"));
      console.error(`wrote ${written.join(", ")}; run pnpm synth, then terraform plan each stack`);
    }
  }
} catch (error) {
  if (error instanceof AdoptInputError) {
    console.error(error.message);
    process.exit(1);
  }
  if (error instanceof AdoptRefusedError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
