/**
 * One pull request comment from the `terraform show -json` plans of many stacks.
 *
 *   pnpm review plans/ --changed-stacks changed.json --commit "$HEAD_SHA"
 *   pnpm review .tf-test/stacks               the offline check's plans (<stack>/plan.json)
 *   pnpm review a.json b.json --out comment.md --github-output "$GITHUB_OUTPUT"
 *
 * Options:
 *   --out FILE             write the comment there (default: print it)
 *   --github-output FILE   append needs_approval=, approval_count=, stateful_count=, has_changes=, errored= lines
 *   --summary-json FILE    the per-stack summary (counts, addresses, values as shown in the comment)
 *   --changed-stacks FILE  output of `pnpm changed-stacks`: every stack it expects planned must have a
 *                          readable plan (fail closed); also removed, hand-applied and unplanned stacks,
 *                          and removed `prevent_destroy` guards
 *   --commit SHA           the commit the plans were made of (header); default $GITHUB_SHA
 *   --planned-at TIME      when the plans were made, for plan files without a `timestamp`
 *   --failed STACKS        comma-separated stacks whose plan failed
 *   --stateful-type TYPE   treat another resource type as stateful (repeatable)
 *   --max-chars N          size limit (default 65000; GitHub's is 65536)
 *   --footer TEXT          appended to the last line (e.g. a link to the run)
 *   --section FILE         a Markdown section to include (repeatable), e.g. `pnpm policy --markdown`
 *
 * Exit status: 0 fine; 2 an explicit approval is needed (a stateful resource destroyed or
 * replaced, an update that loses data, a removed prevent_destroy, a removed stack); 1 a plan
 * failed, an expected plan is missing or unreadable (a state file, an unknown format), or the
 * input is bad. The comment is written in every case but bad input.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { preventDestroyReasons } from "./approval";
import type { ChangedStacks } from "../changed-stacks/changed-stacks";
import { findPlanFiles, readPlan } from "../shared/plan-json";
import { summarizePlan, type StackSummary } from "./plan-summary";
import { renderReview, type PlanProblem } from "./review-comment";
import { environmentOf } from "../shared/stack-names";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: "string" },
    "github-output": { type: "string" },
    "summary-json": { type: "string" },
    "changed-stacks": { type: "string" },
    commit: { type: "string" },
    "planned-at": { type: "string" },
    failed: { type: "string" },
    "stateful-type": { type: "string", multiple: true },
    "max-chars": { type: "string" },
    footer: { type: "string" },
    section: { type: "string", multiple: true },
  },
});

type Changed = Partial<ChangedStacks>;

function readChanged(path: string): Changed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (error) {
    throw new Error(`--changed-stacks ${path}: ${(error as Error).message.split("\n")[0]} (expected the output of \`pnpm changed-stacks --out\`)`);
  }
  if (typeof parsed !== "object" || parsed === null || !Array.isArray((parsed as Changed).stacks)) {
    throw new Error(`--changed-stacks ${path}: no \`stacks\` list, so not the output of \`pnpm changed-stacks --out\``);
  }
  return parsed as Changed;
}

/** The stacks CI plans: every environment's stacks (hand-applied ones excluded). */
function expectedStacks(changed: Changed): string[] {
  if (changed.environments) return changed.environments.flatMap((e) => [...e.stacks]);
  return (changed.stacks ?? []).filter((s) => !(changed.manual ?? []).includes(s));
}

try {
  const changed = values["changed-stacks"] ? readChanged(values["changed-stacks"]) : undefined;
  // With --changed-stacks a missing plan folder is one more way of "no plans": reported per stack.
  const inputs = changed ? positionals.filter(existsSync) : positionals;
  const files = inputs.length > 0 ? findPlanFiles(inputs) : [];
  if (files.length === 0 && !changed) {
    console.error("usage: pnpm review <plan folder | plan files…> [--changed-stacks changed.json] [--out comment.md] (see scripts/review/main.ts)");
    process.exit(1);
  }
  const failed = values.failed?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  const extraTypes = Object.fromEntries((values["stateful-type"] ?? []).map((t) => [t, `${t}: its data`]));
  const guards = changed?.preventDestroyRemoved ?? {};
  const problems: PlanProblem[] = [];
  const summaries: StackSummary[] = [];
  for (const f of files) {
    try {
      summaries.push(summarizePlan(f.stack, readPlan(f.path), { extraTypes, preventDestroyRemoved: guards[f.stack] ?? [] }));
    } catch (error) {
      problems.push({ stack: f.stack, reason: (error as Error).message });
    }
  }
  const have = new Set(files.map((f) => f.stack));
  const expected = changed ? expectedStacks(changed) : [];
  const missing = expected.filter((s) => !have.has(s) && !failed.includes(s));
  for (const stack of missing) {
    const environment = environmentOf(stack);
    const none = expected.filter((s) => environmentOf(s) === environment).every((s) => !have.has(s));
    problems.push({
      stack,
      reason: none
        ? `no plan file: the ${environment} plan job wrote no plans at all (skipped, cancelled, failed before planning, or no credentials, e.g. on a fork)`
        : `no plan file ${stack}.json among the plans, although ${values["changed-stacks"]} expects one`,
    });
  }
  const notes = changed?.baseError
    ? ["The base commit could not be synthesized: every stack was planned, and removals of lifecycle.prevent_destroy could not be checked."]
    : [];
  const planned = new Set(summaries.map((s) => s.stack));
  const review = renderReview(summaries, {
    maxChars: values["max-chars"] ? Number(values["max-chars"]) : undefined,
    removedStacks: changed?.removed,
    manualStacks: changed?.manual,
    unplannedStacks: changed?.unchanged,
    failedStacks: failed,
    problems,
    commit: values.commit ?? process.env.GITHUB_SHA,
    plannedAt: values["planned-at"],
    notes,
    extraApprovals: Object.entries(guards)
      .filter(([stack]) => !planned.has(stack))
      .flatMap(([stack, addresses]) => preventDestroyReasons(stack, addresses)),
    footer: values.footer,
    sections: (values.section ?? []).map((file) => readSection(file)),
  });
  if (values.out) writeFileSync(values.out, review.markdown);
  else console.log(review.markdown);
  if (values["summary-json"]) writeFileSync(values["summary-json"], JSON.stringify(summaries, null, 2));
  if (values["github-output"]) {
    appendFileSync(
      values["github-output"],
      [
        `needs_approval=${review.needsApproval}`,
        `approval_count=${review.approvals.length}`,
        `stateful_count=${review.stateful.length}`,
        `has_changes=${review.hasChanges}`,
        `errored=${review.errored}`,
        "",
      ].join("\n"),
    );
  }
  for (const p of problems) console.error(`review: no readable plan for ${p.stack}: ${p.reason}`);
  for (const a of review.approvals) console.error(`review: needs approval: ${a.stack} ${a.address}: ${a.why}`);
  process.exit(review.errored ? 1 : review.needsApproval ? 2 : 0);
} catch (error) {
  console.error(`review: ${(error as Error).message}`);
  process.exit(1);
}

function readSection(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--section ${file}: ${(error as Error).message}`);
  }
}
