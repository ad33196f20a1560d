/**
 * Desired state, not deltas: converge every stack of one environment to the synthesized main.
 *
 * Producers first, wave by wave. Per stack: plan; nothing to do → unchanged; a plan that does
 * what a reviewed plan did → apply the saved plan; a plan reviewed against a producer's
 * not-yet-known outputs (`platform_pending`) → apply without a second review only when the
 * re-plan made after the producer destroys, replaces and loses nothing; anything else →
 * refused, with the reason and how to get it applied. Stacks that read from a refused or
 * failed stack are blocked, never applied against stale outputs.
 *
 * The approval gate is main's: `approvalReasons` runs here on the fresh plan, and a stack that
 * needs approval is applied only when this run was approved (the `stateful-change` job).
 *
 * Terraform is injected (planner/applier), so the tests drive this with real offline plans.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { approvalReasons, type ApprovalReason } from "../review/approval";
import type { PlannedStack } from "./ci-terraform";
import { classifyActions, type PlanJson } from "../shared/plan-json";
import { comparePlans, planHasChanges } from "../shared/plan-redact";
import { summarizePlan, type ResourceSummary } from "../review/plan-summary";

/** Plans one stack now (saved plan + redacted JSON), as `planStack` does in CI. */
export interface Planner {
  plan(stack: string): Promise<PlannedStack>;
}

/** Applies the saved plan a planner made for the stack. */
export interface Applier {
  apply(planned: PlannedStack): Promise<{ readonly ok: boolean; readonly error?: string }>;
}

/** A producer output the reviewed plan of a consumer could not know yet (written by plan-stacks). */
export interface PendingValue {
  readonly producer: string;
  readonly output: string;
}

/** A plan reviewed on a pull request, as the deploy finds it among the downloaded artifacts. */
export interface ReviewedPlan {
  readonly stack: string;
  readonly path: string;
  /** Merge order of its pull request since the last deploy (higher = merged later). */
  readonly order: number;
  /** The merge commit it came with (`<n>-<sha>` folder), for the summary. */
  readonly source: string;
  readonly plan: PlanJson & { readonly platform_pending?: readonly PendingValue[] };
}

export type Mode = "apply" | "preview" | "drift";

export type Outcome =
  | "applied"
  | "unchanged"
  | "will apply"
  | "refused"
  | "failed"
  | "blocked"
  | "manual"
  | "drifted"
  | "pending changes";

export interface StackResult {
  readonly stack: string;
  readonly outcome: Outcome;
  /** One line: why this outcome. */
  readonly why: string;
  /** What an operator does to get the stack applied (refused/failed/blocked only). */
  readonly todo?: string;
  /** The gate, recomputed from the fresh plan. */
  readonly approval: readonly ApprovalReason[];
  /** The reviewed plan used, when one was. */
  readonly reviewedFrom?: string;
  /** Resources changed outside Terraform (refresh), from the fresh plan. */
  readonly drift: readonly ResourceSummary[];
  /** What applying main would do, from the fresh plan. */
  readonly changes: readonly ResourceSummary[];
}

export interface ConvergeOptions {
  /** The environment's stacks with their dependencies (manifest.json). */
  readonly stacks: Readonly<Record<string, { readonly dependencies: readonly string[] }>>;
  /** Deploy waves over `stacks` (manifest's deployWaves). */
  readonly waves: readonly (readonly string[])[];
  /** Stacks on local state (bootstrap): reported, never planned by CI. */
  readonly manual?: ReadonlySet<string>;
  /** The selected reviewed plan per stack (see selectReviewedPlans). */
  readonly reviewed: ReadonlyMap<string, ReviewedPlan>;
  readonly planner: Planner;
  readonly applier: Applier;
  readonly mode: Mode;
  /** This run passed the `stateful-change` approval. */
  readonly approvedStateful?: boolean;
  /** A person dispatched this run to apply changes nobody reviewed on a pull request (after approval). */
  readonly approveUnreviewed?: boolean;
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

export const HOW_TO_REVIEW =
  "open a pull request with the label `replan` (an empty commit is enough) so the review plans every stack, or run the deploy workflow by hand with " +
  "approve_unreviewed after reading the plan in the job summary";
const HOW_TO_APPROVE = "approve the `stateful-change` job of the deploy run (re-run it if it expired)";

/**
 * Reviewed plans downloaded as `<dir>/<n>-<sha>/**\/<stack>.json` (n = merge order, oldest
 * first). The newest reviewed plan of each stack wins: a later pull request was planned on top
 * of the earlier ones, so its plan is what main now says. Errored plans are no reviewed plans.
 */
export function selectReviewedPlans(dir: string): Map<string, ReviewedPlan> {
  const selected = new Map<string, ReviewedPlan>();
  if (!existsSync(dir)) return selected;
  const sources = readdirSync(dir)
    .map((name) => ({ name, match: /^(\d+)-/.exec(name) }))
    .filter((s) => s.match && statSync(join(dir, s.name)).isDirectory())
    .map((s) => ({ name: s.name, order: Number(s.match![1]) }))
    .sort((a, b) => a.order - b.order);
  for (const source of sources) {
    for (const path of jsonFiles(join(dir, source.name))) {
      const stack = path.slice(path.lastIndexOf("/") + 1).replace(/\.json$/, "");
      let plan: ReviewedPlan["plan"];
      try {
        plan = JSON.parse(readFileSync(path, "utf8")) as ReviewedPlan["plan"];
      } catch (error) {
        throw new Error(`reviewed plan ${path} is not JSON: ${(error as Error).message}`);
      }
      if (plan.errored || !Array.isArray(plan.resource_changes)) continue;
      selected.set(stack, { stack, path, order: source.order, source: source.name, plan });
    }
  }
  return selected;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const full = join(dir, entry);
      return statSync(full).isDirectory() ? jsonFiles(full) : entry.endsWith(".json") ? [full] : [];
    });
}

/** Destroys and replaces in a plan (a pending-value re-plan may do neither without review). */
export function destructiveChanges(plan: PlanJson): string[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => ["delete", "replace"].includes(classifyActions(rc.change.actions)))
    .map((rc) => `${rc.address}: ${classifyActions(rc.change.actions)}`);
}

interface Decision {
  readonly apply: boolean;
  readonly outcome?: Outcome;
  readonly why: string;
  readonly todo?: string;
  readonly reviewedFrom?: string;
}

/** What to do with a stack whose fresh plan has changes (pure: the heart of the deploy's rules). */
export function decide(
  fresh: PlanJson,
  reviewed: ReviewedPlan | undefined,
  approval: readonly ApprovalReason[],
  settled: (producer: string) => boolean,
  run: { readonly approvedStateful: boolean; readonly approveUnreviewed: boolean },
): Decision {
  const gate = approval.map((a) => `${a.address} (${a.why})`).join("; ");
  if (approval.length > 0 && !run.approvedStateful) {
    return { apply: false, why: `needs the stateful-change approval: ${gate}`, todo: HOW_TO_APPROVE };
  }
  const from = reviewed ? `reviewed in ${reviewed.source}` : undefined;
  if (reviewed && comparePlans(reviewed.plan, fresh).length === 0) {
    return { apply: true, why: `matches the plan ${from}${approval.length > 0 ? "; stateful change approved on stateful-change" : ""}`, reviewedFrom: reviewed.source };
  }
  const pending = reviewed?.plan.platform_pending ?? [];
  if (reviewed && pending.length > 0) {
    const producers = [...new Set(pending.map((p) => p.producer))];
    const unsettled = producers.filter((p) => !settled(p));
    const destructive = destructiveChanges(fresh);
    // Values may differ where the reviewed plan said "known after apply"; which resources
    // change, and with which actions, may not: a new address or another action is a different plan.
    const otherResources = comparePlans(reviewed.plan, fresh).filter((d) => !d.includes(": changes differently than reviewed (at "));
    if (unsettled.length === 0 && destructive.length === 0 && approval.length === 0 && otherResources.length === 0) {
      return {
        apply: true,
        why: `re-planned after ${producers.join(", ")} applied (the plan ${from} waited for ${pending.map((p) => `${p.producer}.${p.output}`).join(", ")}); no destroy, replace or data loss`,
        reviewedFrom: reviewed.source,
      };
    }
    const because = [
      ...(unsettled.length > 0 ? [`producer ${unsettled.join(", ")} not applied in this run`] : []),
      ...destructive,
      ...otherResources,
      ...approval.map((a) => `${a.address} (${a.why})`),
    ].join("; ");
    return { apply: false, why: `the plan ${from} waited for producer values, and the re-plan is not safe to apply unreviewed: ${because}`, todo: HOW_TO_REVIEW };
  }
  if (run.approveUnreviewed) {
    return { apply: true, why: `applied without a reviewed plan: approve_unreviewed in a run approved on stateful-change` };
  }
  if (!reviewed) return { apply: false, why: "main differs from AWS, and no pull request merged since the last deploy reviewed this plan", todo: HOW_TO_REVIEW };
  const differences = comparePlans(reviewed.plan, fresh);
  const shown = differences.slice(0, 5).join("; ") + (differences.length > 5 ? `; … ${differences.length - 5} more` : "");
  return { apply: false, why: `the plan differs from the one ${from}: ${shown}`, todo: HOW_TO_REVIEW };
}

/** Converges the environment; results in wave order. */
export async function converge(options: ConvergeOptions): Promise<StackResult[]> {
  const log = options.log ?? (() => {});
  const results = new Map<string, StackResult>();
  // The stack that stopped this one, for "blocked by": itself when refused or failed.
  const rootCause = new Map<string, string>();
  // A preview says what the run would do once approved; the gate itself is reported per stack.
  const run = {
    approvedStateful: options.mode === "preview" || (options.approvedStateful ?? false),
    approveUnreviewed: options.approveUnreviewed ?? false,
  };
  const settled = (producer: string) => ["applied", "unchanged", "will apply"].includes(results.get(producer)?.outcome ?? "");

  for (const [i, wave] of options.waves.entries()) {
    log(`wave ${i + 1}/${options.waves.length}: ${wave.join(", ")}`);
    const queue = [...wave];
    const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) }, async () => {
      for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
        const result = await convergeStack(stack, options, run, settled, rootCause);
        results.set(stack, result);
        if (["refused", "failed", "blocked"].includes(result.outcome)) {
          const cause = result.outcome === "blocked" ? blockers(stack, options, rootCause)[0]! : stack;
          rootCause.set(stack, cause);
        }
        log(`${result.outcome.toUpperCase()} ${stack}: ${result.why}`);
      }
    });
    await Promise.all(workers);
  }
  return options.waves.flat().map((s) => results.get(s)!);
}

function blockers(stack: string, options: ConvergeOptions, rootCause: ReadonlyMap<string, string>): string[] {
  return [...new Set((options.stacks[stack]?.dependencies ?? []).filter((d) => rootCause.has(d)).map((d) => rootCause.get(d)!))].sort();
}

async function convergeStack(
  stack: string,
  options: ConvergeOptions,
  run: { readonly approvedStateful: boolean; readonly approveUnreviewed: boolean },
  settled: (producer: string) => boolean,
  rootCause: ReadonlyMap<string, string>,
): Promise<StackResult> {
  const empty = { approval: [], drift: [], changes: [] };
  if (options.manual?.has(stack)) {
    return { stack, outcome: "manual", why: "local state: applied by hand (README, Bootstrap)", ...empty };
  }
  const blockedBy = blockers(stack, options, rootCause);
  if (blockedBy.length > 0) {
    return {
      stack,
      outcome: "blocked",
      why: `blocked by ${blockedBy.join(", ")}: it reads their outputs, which are not what main says yet`,
      todo: `get ${blockedBy.join(", ")} applied; the next deploy run converges this stack too`,
      ...empty,
    };
  }
  const planned = await options.planner.plan(stack);
  if (!planned.ok || !planned.plan) {
    return { stack, outcome: "failed", why: `plan failed: ${firstLine(planned.error)}`, todo: "read the job log, fix the cause, re-run the deploy workflow", ...empty };
  }
  const fresh = planned.plan;
  const summary = summarizePlan(stack, fresh);
  const approval = approvalReasons(summary);
  const base = { stack, approval, drift: summary.drift, changes: summary.resources };
  const hasChanges = planHasChanges(fresh);

  if (options.mode === "drift") {
    if (summary.drift.length > 0) return { ...base, outcome: "drifted", why: `changed outside Terraform: ${addresses(summary.drift)}` };
    if (hasChanges) return { ...base, outcome: "pending changes", why: `main is not applied yet: ${addresses(summary.resources) || "outputs"}` };
    return { ...base, outcome: "unchanged", why: "AWS matches main" };
  }
  if (!hasChanges) return { ...base, outcome: "unchanged", why: "AWS matches main" };

  const decision = decide(fresh, options.reviewed.get(stack), approval, settled, run);
  if (!decision.apply) return { ...base, outcome: "refused", why: decision.why, todo: decision.todo, reviewedFrom: decision.reviewedFrom };
  if (options.mode === "preview") return { ...base, outcome: "will apply", why: decision.why, reviewedFrom: decision.reviewedFrom };
  const applied = await options.applier.apply(planned);
  if (!applied.ok) {
    return { ...base, outcome: "failed", why: `apply failed: ${firstLine(applied.error)}`, todo: "read the job log, fix the cause, re-run the deploy workflow", reviewedFrom: decision.reviewedFrom };
  }
  return { ...base, outcome: "applied", why: decision.why, reviewedFrom: decision.reviewedFrom };
}

function firstLine(text: string | undefined): string {
  return (text ?? "unknown error").trim().split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown error";
}

function addresses(resources: readonly ResourceSummary[], max = 5): string {
  const list = resources.slice(0, max).map((r) => `${r.address} (${r.action})`);
  return list.join(", ") + (resources.length > max ? `, … ${resources.length - max} more` : "");
}

/** Markdown-safe text for a table cell: no pipes, no newlines, no HTML. */
export function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[<>]/g, (c) => (c === "<" ? "&lt;" : "&gt;")).replace(/\r?\n/g, " ");
}

const ICON: Readonly<Record<Outcome, string>> = {
  applied: "✅",
  unchanged: "·",
  "will apply": "➡️",
  refused: "⛔",
  failed: "❌",
  blocked: "⏸️",
  manual: "✋",
  drifted: "⚠️",
  "pending changes": "⚠️",
};

/** True when the run must be red (apply and preview modes). */
export function anyStopped(results: readonly StackResult[]): boolean {
  return results.some((r) => r.outcome === "refused" || r.outcome === "failed" || r.outcome === "blocked");
}

/** The job summary: one row per stack, the problems first in the heading. */
export function renderSummary(environment: string, mode: Mode, results: readonly StackResult[], context: { commit?: string } = {}): string {
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const stopped = results.filter((r) => ["refused", "failed", "blocked"].includes(r.outcome));
  const title =
    mode === "drift"
      ? `## ${count("drifted") + count("pending changes") > 0 ? "⚠️" : "✅"} Drift of ${environment}: ${count("drifted")} drifted, ${count("pending changes")} with unapplied changes, ${count("unchanged")} unchanged`
      : `## ${stopped.length > 0 ? "⛔" : "✅"} ${mode === "preview" ? "Deploy preview" : "Deploy"} of ${environment}: ${
          mode === "preview" ? `${count("will apply")} to apply` : `${count("applied")} applied`
        }, ${count("unchanged")} unchanged, ${count("refused")} refused, ${count("failed")} failed, ${count("blocked")} blocked`;
  const lines = [title, ""];
  if (context.commit) lines.push(`main at \`${cell(context.commit)}\`.`, "");
  if (stopped.length > 0) {
    lines.push(`**Not applied:** ${stopped.map((r) => `\`${cell(r.stack)}\``).join(", ")}. The next deploy run (push, schedule or by hand) converges them once the cause is fixed.`, "");
  }
  const gated = results.filter((r) => r.approval.length > 0);
  if (gated.length > 0) {
    lines.push("**Needs the stateful-change approval:**", "");
    for (const r of gated) for (const a of r.approval) lines.push(`- \`${cell(r.stack)}\` \`${cell(a.address)}\`: ${cell(a.why)}`);
    lines.push("");
  }
  lines.push("| Stack | Outcome | Why | What to do |", "| --- | --- | --- | --- |");
  for (const r of results) {
    lines.push(`| \`${cell(r.stack)}\` | ${ICON[r.outcome]} ${r.outcome} | ${cell(r.why)} | ${cell(r.todo ?? "")} |`);
  }
  const detailed = results.filter((r) => r.changes.length > 0 || r.drift.length > 0);
  if (detailed.length > 0) {
    lines.push("", "### Planned changes", "");
    for (const r of detailed) {
      lines.push(`<details><summary><code>${cell(r.stack)}</code>: ${r.changes.length} change(s), ${r.drift.length} drifted</summary>`, "");
      for (const c of r.changes) lines.push(`- ${c.action} \`${cell(c.address)}\`${c.paths.length > 0 ? `: ${c.paths.slice(0, 8).map((p) => `\`${cell(p)}\``).join(", ")}` : ""}`);
      for (const d of r.drift) lines.push(`- drift: ${d.action} \`${cell(d.address)}\`${d.paths.length > 0 ? `: ${d.paths.slice(0, 8).map((p) => `\`${cell(p)}\``).join(", ")}` : ""}`);
      lines.push("", "</details>", "");
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
