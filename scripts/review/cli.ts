import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { preventDestroyReasons } from "./approval";
import type { ChangedStacks } from "../changed-stacks/changed-stacks";
import { findPlanFiles, readPlan } from "../shared/plan-json";
import { summarizePlan, type StackSummary } from "./plan-summary";
import { renderReview, type PlanProblem } from "./review-comment";
import { environmentOf } from "../shared/stack-names";

/** Output streams of `pnpm review` (main.ts passes the console's). */
export interface ReviewIo {
  readonly out: (text: string) => void;
  readonly err: (line: string) => void;
}

/**
 * `pnpm review` without the process around it (main.ts is the thin shell), so tests call it
 * in-process instead of spawning tsx per case. Returns the exit status described in main.ts.
 */
export function runReview(args: readonly string[], io: ReviewIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
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

  try {
    const changed = values["changed-stacks"] ? readChanged(values["changed-stacks"]) : undefined;
    // With --changed-stacks a missing plan folder is one more way of "no plans": reported per stack.
    const inputs = changed ? positionals.filter(existsSync) : positionals;
    const files = inputs.length > 0 ? findPlanFiles(inputs) : [];
    if (files.length === 0 && !changed) {
      io.err("usage: pnpm review <plan folder | plan files…> [--changed-stacks changed.json] [--out comment.md] (see scripts/review/main.ts)");
      return 1;
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
    else io.out(review.markdown);
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
    for (const p of problems) io.err(`review: no readable plan for ${p.stack}: ${p.reason}`);
    for (const a of review.approvals) io.err(`review: needs approval: ${a.stack} ${a.address}: ${a.why}`);
    return review.errored ? 1 : review.needsApproval ? 2 : 0;
  } catch (error) {
    io.err(`review: ${(error as Error).message}`);
    return 1;
  }
}

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

function readSection(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--section ${file}: ${(error as Error).message}`);
  }
}
