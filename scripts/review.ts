/**
 * One pull request comment from the `terraform show -json` plans of many stacks.
 *
 *   pnpm review plans/                        a folder of <stack>.json plans
 *   pnpm review .tf-test/stacks               the offline check's plans (<stack>/plan.json)
 *   pnpm review a.json b.json --out comment.md --github-output "$GITHUB_OUTPUT"
 *
 * Options:
 *   --out FILE             write the comment there (default: print it)
 *   --github-output FILE   append needs_approval=, stateful_count=, has_changes=, errored= lines
 *   --summary-json FILE    the per-stack summary (counts, addresses, paths; no values)
 *   --changed-stacks FILE  output of `pnpm changed-stacks`: removed, hand-applied and unplanned stacks
 *   --failed STACKS        comma-separated stacks whose plan failed
 *   --stateful-type TYPE   treat another resource type as stateful (repeatable)
 *   --max-chars N          size limit (default 65000; GitHub's is 65536)
 *   --footer TEXT          appended to the last line (e.g. a link to the run)
 *
 * Exit status: 0 fine, 2 a stateful resource is destroyed or replaced or a stack was removed
 * (CI asks for an explicit approval), 1 a plan failed or the input is unreadable.
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { findPlanFiles, readPlan } from "./lib/plan-json";
import { summarizePlan } from "./lib/plan-summary";
import { renderReview } from "./lib/review-comment";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: "string" },
    "github-output": { type: "string" },
    "summary-json": { type: "string" },
    "changed-stacks": { type: "string" },
    failed: { type: "string" },
    "stateful-type": { type: "string", multiple: true },
    "max-chars": { type: "string" },
    footer: { type: "string" },
  },
});

try {
  const changed = values["changed-stacks"]
    ? (JSON.parse(readFileSync(values["changed-stacks"], "utf8")) as { removed?: string[]; manual?: string[]; unchanged?: string[] })
    : undefined;
  const files = positionals.length > 0 ? findPlanFiles(positionals) : [];
  if (files.length === 0 && !changed) {
    console.error("usage: pnpm review <plan folder | plan files…> [--out comment.md] (see scripts/review.ts)");
    process.exit(1);
  }
  const extraTypes = Object.fromEntries((values["stateful-type"] ?? []).map((t) => [t, `${t}: its data`]));
  const summaries = files.map((f) => summarizePlan(f.stack, readPlan(f.path), { extraTypes }));
  const review = renderReview(summaries, {
    maxChars: values["max-chars"] ? Number(values["max-chars"]) : undefined,
    removedStacks: changed?.removed,
    manualStacks: changed?.manual,
    unplannedStacks: changed?.unchanged,
    failedStacks: values.failed?.split(",").map((s) => s.trim()).filter(Boolean),
    footer: values.footer,
  });
  if (values.out) writeFileSync(values.out, review.markdown);
  else console.log(review.markdown);
  if (values["summary-json"]) writeFileSync(values["summary-json"], JSON.stringify(summaries, null, 2));
  if (values["github-output"]) {
    appendFileSync(
      values["github-output"],
      [
        `needs_approval=${review.needsApproval}`,
        `stateful_count=${review.stateful.length}`,
        `has_changes=${review.hasChanges}`,
        `errored=${review.errored}`,
        "",
      ].join("\n"),
    );
  }
  if (review.stateful.length > 0) {
    console.error(`review: ${review.stateful.length} stateful resource(s) destroyed or replaced: ${review.stateful.map((r) => `${r.stack} ${r.address}`).join(", ")}`);
  }
  process.exit(review.errored ? 1 : review.needsApproval ? 2 : 0);
} catch (error) {
  console.error(`review: ${(error as Error).message}`);
  process.exit(1);
}
