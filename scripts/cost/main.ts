/**
 * Monthly cost of the synthesized stacks, per environment and stack, at base and peak.
 *
 *   pnpm cost [OUTDIR]            the table (default cdktf.out; synthesized first when missing)
 *   pnpm cost --json              { environments: { <env>: { base, peak, stacks, lines } } }
 *   pnpm cost --base-outdir A --head-outdir B --markdown [--out FILE]
 *                                 the pull-request cost section (before → after per changed stack)
 *   pnpm cost --base-ref SHA --head-outdir B --markdown
 *                                 the same, synthesizing the base commit first (needs its git history)
 *   pnpm cost --year 2027         count schedules over another calendar year
 *
 * Prices: packages/cost/prices.json (its date is printed); usage: packages/cost/usage/<env>.json.
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { estimate, loadPriceTable, readSynthStacks, renderCostDeltaMarkdown, renderCostJson, renderCostTable, yearWindow } from "@platform/cost";
import { synthesizeAll } from "../../apps/main";
import { synthesizeRef } from "../changed-stacks/changed-stacks";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: "boolean" },
    markdown: { type: "boolean" },
    "base-outdir": { type: "string" },
    "base-ref": { type: "string" },
    "head-outdir": { type: "string" },
    out: { type: "string" },
    year: { type: "string" },
  },
});

const table = loadPriceTable();
const window = values.year ? yearWindow(Number(values.year)) : undefined;
const estimateOf = (outdir: string) => estimate(readSynthStacks(outdir), table, window ? { window } : {});

let text: string;
if (values["base-outdir"] || values["base-ref"] || values["head-outdir"]) {
  if (!(values["base-outdir"] || values["base-ref"]) || !values["head-outdir"]) {
    console.error("cost: --head-outdir goes with --base-outdir or --base-ref (the synthesized base and head)");
    process.exit(1);
  }
  let baseOutdir = values["base-outdir"];
  let note = "";
  const temp = values["base-ref"] && !baseOutdir ? mkdtempSync(join(tmpdir(), "cost-base-")) : undefined;
  if (temp && values["base-ref"]) {
    // An all-zero or empty ref is a new branch: nothing before.
    if (/^0*$/.test(values["base-ref"])) note = "No base commit: every stack is counted from $0.";
    else {
      try {
        synthesizeRef(values["base-ref"], process.cwd(), join(temp, "out"));
        baseOutdir = join(temp, "out");
      } catch (error) {
        note = `The base could not be synthesized (${(error as Error).message.split("\n")[0]}); every stack is counted from $0.`;
      }
    }
  }
  try {
    // A base without stacks (the first PR of a repository) costs nothing.
    const before = baseOutdir && existsSync(join(baseOutdir, "stacks")) ? estimateOf(baseOutdir) : { environments: {} };
    const after = estimateOf(values["head-outdir"]);
    text = values.json
      ? JSON.stringify({ before: before.environments, after: after.environments }, null, 2)
      : `${renderCostDeltaMarkdown(before, after, table.asOf)}${note ? `\n\n${note}` : ""}`;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
} else {
  const outdir = positionals[0] ?? "cdktf.out";
  if (!existsSync(join(outdir, "stacks"))) {
    console.error(`cost: ${outdir} has no stacks; synthesizing into it first`);
    synthesizeAll({ outdir });
  }
  else if (existsSync(join(outdir, "manifest.json"))) {
    // The estimate is of what was synthesized: say when, so a config edit without `pnpm synth` is noticed.
    console.error(`cost: ${outdir} synthesized ${statSync(join(outdir, "manifest.json")).mtime.toISOString()}; run pnpm synth after a config change`);
  }
  const result = estimateOf(outdir);
  text = values.json ? renderCostJson(result) : renderCostTable(result, table.asOf);
  if (values.json) console.error(`cost: price table as of ${table.asOf}`);
}
if (values.out) writeFileSync(values.out, `${text}\n`);
else console.log(text);
