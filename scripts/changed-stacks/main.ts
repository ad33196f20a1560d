/**
 * The stacks a change touches, plus every stack that reads from them, in deploy waves, as
 * JSON for the workflow (see scripts/changed-stacks/changed-stacks.ts for how the base is synthesized).
 *
 *   pnpm changed-stacks --base origin/main
 *   pnpm changed-stacks --base "$BEFORE_SHA" --head-outdir cdktf.out --out changed.json --github-output "$GITHUB_OUTPUT"
 *
 * A base that is empty, all zeros (a new branch) or fails to synthesize makes every stack
 * count as changed: planning too much is safe, planning too little is not. `--all` selects every
 * stack (the pull-request label `replan`): how a stack a deploy refused gets a reviewed plan.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { changedStacks, synthesizeRef } from "./changed-stacks";
import { synthAllToTemp } from "../shared/synth-all";

const { values } = parseArgs({
  options: {
    base: { type: "string" },
    "head-outdir": { type: "string" },
    out: { type: "string" },
    "github-output": { type: "string" },
    all: { type: "boolean" },
  },
});

const base = values.base ?? "";
const headOutdir = values["head-outdir"] ? resolve(values["head-outdir"]) : synthAllToTemp();
let baseOutdir: string | undefined;
let baseCommit: string | undefined;
let baseError: string | undefined;
if (!base || /^0+$/.test(base)) {
  baseError = "no base commit: every stack counts as changed";
} else {
  try {
    baseOutdir = join(mkdtempSync(join(tmpdir(), "platform-base-synth-")), "out");
    baseCommit = synthesizeRef(base, process.cwd(), baseOutdir);
  } catch (error) {
    baseOutdir = undefined;
    baseError = `${(error as Error).message}\nevery stack counts as changed`;
  }
}
if (baseError) console.error(`changed-stacks: ${baseError}`);

const result = changedStacks(base, baseOutdir, headOutdir, { baseCommit, baseError, replanAll: values.all });
const text = JSON.stringify(result, null, 2);
if (values.out) writeFileSync(values.out, `${text}\n`);
else console.log(text);
if (values["github-output"]) {
  appendFileSync(
    values["github-output"],
    [
      `any=${result.environments.length > 0}`,
      `stacks=${JSON.stringify(result.stacks)}`,
      `environments=${JSON.stringify(result.environments)}`,
      `environment_names=${JSON.stringify(result.environments.map((e) => e.environment))}`,
      `manual=${JSON.stringify(result.manual)}`,
      `removed=${JSON.stringify(result.removed)}`,
      `prevent_destroy_removed=${JSON.stringify(result.preventDestroyRemoved)}`,
      "",
    ].join("\n"),
  );
}
console.error(
  `changed-stacks: ${result.modified.length} modified, ${result.added.length} added, ${result.removed.length} removed, ` +
    `${result.dependents.length} dependents → ${result.stacks.length} to plan in ${result.waves.length} waves`,
);
for (const [stack, addresses] of Object.entries(result.preventDestroyRemoved)) {
  console.error(`changed-stacks: ${stack}: lifecycle.prevent_destroy removed from ${addresses.join(", ")} (the review asks for an explicit approval)`);
}
