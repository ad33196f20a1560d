/**
 * The pull request comment: one Markdown document for the plans of many stacks, built so the
 * first two lines answer "is this safe?" and the approval alarm can never be cut for size.
 * Every address, key, value and error line is escaped: no input can break a table, open an
 * HTML comment or close a `<details>` early.
 */
import { approvalReasons, type ApprovalReason } from "./approval";
import type { Finding } from "./data-loss";
import { maskErrorLine } from "../shared/error-text";
import {
  hasChanges,
  statefulChanges,
  totals,
  type Counts,
  type OutputChange,
  type ResourceSummary,
  type StackSummary,
  type ValueChange,
} from "./plan-summary";
import { SENSITIVE_TEXT, UNKNOWN_TEXT } from "./plan-values";
import { compareEnvironments, compareStacks } from "../shared/stack-names";

/** GitHub rejects comment bodies longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Hidden first line the workflow searches for, so each push updates the same comment. */
export const DEFAULT_MARKER = "<!-- terraform-plan-review -->";

export interface ReviewOptions {
  /** Longest comment produced; details shrink first to fit. @default 65,000 (under GitHub's 65,536) */
  readonly maxChars?: number;
  /** First line, an HTML comment. @default DEFAULT_MARKER */
  readonly marker?: string;
  /** Stacks removed from the app: nothing destroys their resources, so the review warns. */
  readonly removedStacks?: readonly string[];
  /** Changed stacks CI does not plan (local state, e.g. bootstrap): applied by hand. */
  readonly manualStacks?: readonly string[];
  /** Stacks whose synthesized Terraform did not change, so no plan was made. */
  readonly unplannedStacks?: readonly string[];
  /** Stacks whose plan failed (no plan JSON). */
  readonly failedStacks?: readonly string[];
  /** A last line, e.g. a link to the workflow run and its plan artifacts. */
  readonly footer?: string;
  /** Expected stacks without a readable plan (no file, unreadable, not a plan): the review fails. */
  readonly problems?: readonly PlanProblem[];
  /** The commit the plans were made of (shown shortened in the header). */
  readonly commit?: string;
  /** When the plans were made, for plan files that do not say (`timestamp`). */
  readonly plannedAt?: string;
  /** Lines about what could not be checked, shown as a note. */
  readonly notes?: readonly string[];
  /** Approval reasons of stacks with no plan here (removed `prevent_destroy` in a hand-applied stack). */
  readonly extraApprovals?: readonly ApprovalReason[];
  /**
   * Markdown sections our own tools wrote for the same commit (the policy pack's
   * `pnpm policy --markdown`), shown after the summary table and before the details.
   */
  readonly sections?: readonly string[];
}

/** A stack the review expected a plan for and could not read one: it fails closed. */
export interface PlanProblem {
  readonly stack: string;
  /** What is wrong, naming the file where there is one. */
  readonly reason: string;
}

export interface DisruptiveFinding extends Finding {
  readonly stack: string;
  readonly address: string;
}

export interface StatefulFinding extends ResourceSummary {
  readonly stack: string;
}

export interface Review {
  readonly markdown: string;
  /** Destroys and replaces of stateful resources, in every stack. */
  readonly stateful: readonly StatefulFinding[];
  /** Every reason for an explicit approval (approval.ts), in every stack. */
  readonly approvals: readonly ApprovalReason[];
  /** Disruptive in-place changes, listed on their own. */
  readonly disruptive: readonly DisruptiveFinding[];
  /** True when an explicit approval is needed: stateful destroys/replaces, data-losing updates, removed guards, removed stacks. */
  readonly needsApproval: boolean;
  readonly hasChanges: boolean;
  /** Some plan failed, Terraform marked one errored, or an expected plan is missing or unreadable. */
  readonly errored: boolean;
  /** Detail level each stack ended at (0 full … 4 omitted), for the record and tests. */
  readonly detailLevels: Readonly<Record<string, number>>;
}

const DETAIL_LEVELS = 5;

export function renderReview(summaries: readonly StackSummary[], options: ReviewOptions = {}): Review {
  const max = Math.min(options.maxChars ?? 65_000, GITHUB_COMMENT_LIMIT);
  const stacks = [...summaries].sort((a, b) => compareStacks(a.stack, b.stack));
  const stateful = stacks.flatMap((s) => statefulChanges(s).map((r) => ({ ...r, stack: s.stack })));
  const approvals = [...stacks.flatMap(approvalReasons), ...(options.extraApprovals ?? [])];
  const disruptive = stacks.flatMap((s) => s.resources.flatMap((r) => r.disruptive.map((f) => ({ ...f, stack: s.stack, address: r.address }))));
  const failedStacks = [...new Set([...(options.failedStacks ?? []), ...stacks.filter((s) => s.errored).map((s) => s.stack)])].sort(compareStacks);
  const problems = [...(options.problems ?? [])].sort((a, b) => compareStacks(a.stack, b.stack));
  const removed = [...(options.removedStacks ?? [])].sort(compareStacks);
  const changed = stacks.filter(hasChanges);
  const needsApproval = approvals.length > 0 || removed.length > 0;

  const levels = new Map(changed.map((s) => [s.stack, 0]));
  const detailCache = new Map<string, string>();
  const details = (s: StackSummary) => {
    const key = `${s.stack}\u0000${levels.get(s.stack)}`;
    if (!detailCache.has(key)) detailCache.set(key, detailsBlock(s, levels.get(s.stack)!));
    return detailCache.get(key)!;
  };
  const shape = { driftLevel: 0, tableRows: Infinity, statefulRows: Infinity, compactStateful: false, errorLines: 12 };

  const render = () => {
    const parts = [
      options.marker ?? DEFAULT_MARKER,
      headline(stacks, changed, stateful, approvals, removed, failedStacks, problems),
      "",
      metaLine(stacks, options),
      "",
    ];
    const alarm = alarmSection(stateful, approvals, removed, shape.statefulRows, shape.compactStateful);
    if (alarm) parts.push(alarm, "");
    if (problems.length > 0) parts.push(problemSection(problems), "");
    if (failedStacks.length > 0) parts.push(failedSection(failedStacks, stacks, shape.errorLines), "");
    if (disruptive.length > 0) parts.push(disruptiveSection(disruptive, shape.compactStateful), "");
    for (const note of options.notes ?? []) parts.push(`> [!NOTE]\n> ${text(note)}`, "");
    if (changed.length > 0) parts.push(table(changed, shape.tableRows), "");
    const quiet = quietLine(stacks.filter((s) => !hasChanges(s) && !s.errored).map((s) => s.stack), options.unplannedStacks ?? []);
    if (quiet) parts.push(quiet, "");
    if ((options.manualStacks ?? []).length > 0) {
      parts.push(`**Applied by hand** (local state, not planned here): ${codeList(options.manualStacks!)}. See README → Bootstrap.`, "");
    }
    const drift = driftSection(stacks, shape.driftLevel);
    if (drift) parts.push(drift, "");
    for (const section of options.sections ?? []) parts.push(section.trim(), "");
    if (changed.length > 0) {
      parts.push("### Changes by stack", "", ...changed.map(details), "");
    }
    parts.push(
      `<sub>Values cut at ${MAX_SHOWN} characters; sensitive values are never shown.${options.footer ? ` ${options.footer}` : ""}</sub>`,
    );
    return parts.join("\n");
  };

  // Shrink the largest stack's details one level at a time, then drift, then the table, then
  // the error excerpts; the approval alarm is compacted last and its headline count always stays.
  let markdown = render();
  while (markdown.length > max) {
    const open = changed.filter((s) => levels.get(s.stack)! < DETAIL_LEVELS - 1);
    if (open.length > 0) {
      const biggest = open.reduce((a, b) => (details(b).length > details(a).length ? b : a));
      levels.set(biggest.stack, levels.get(biggest.stack)! + 1);
    } else if (shape.driftLevel < 2) {
      shape.driftLevel++;
    } else if (shape.tableRows > 20 && changed.length > 20) {
      shape.tableRows = 20;
    } else if (shape.errorLines > 3 && failedStacks.length > 0) {
      shape.errorLines = 3;
    } else if (!shape.compactStateful) {
      shape.compactStateful = true;
    } else if (shape.statefulRows > 10 && approvals.length > 10) {
      shape.statefulRows = shape.statefulRows === Infinity ? Math.max(10, Math.floor(approvals.length / 2)) : Math.max(10, Math.floor(shape.statefulRows / 2));
    } else {
      // Nothing left to shrink without dropping the alarm; cut at a line boundary.
      markdown = markdown.slice(0, max - 80);
      markdown = `${markdown.slice(0, markdown.lastIndexOf("\n"))}\n\n…cut to fit GitHub's comment limit: see the plan artifacts.`;
      break;
    }
    markdown = render();
  }
  return {
    markdown,
    stateful,
    approvals,
    disruptive,
    needsApproval,
    hasChanges: changed.length > 0,
    errored: failedStacks.length > 0 || problems.length > 0,
    detailLevels: Object.fromEntries(levels),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Longest value shown (plan-values cuts there); said in the footer. */
const MAX_SHOWN = 80;

/**
 * One line of untrusted text: line breaks shown as `⏎` (a newline could end a table row or
 * start an HTML block such as `</details>`), other control characters replaced.
 */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\r\n|[\r\n\u2028\u2029]/g, "⏎").replace(/[\u0000-\u001f\u007f]/g, "�");
}

/**
 * Inline code, safe for any text: no backtick can close it, no line break can end it, and a
 * `|` is escaped, because GitHub splits table cells at every `|`, even inside code (and shows
 * `\|` in a table as `|`). Outside tables `tableSafe` is false, so `|` stays as it is.
 */
function code(value: string, tableSafe = true): string {
  const inner = oneLine(value).replace(/`/g, "'");
  return `\`${tableSafe ? inner.replace(/\|/g, "\\|") : inner}\``;
}

function codeList(items: readonly string[]): string {
  return items.map((i) => code(i)).join(", ");
}

/** Plain text: HTML (`<!--`, `</details>`) and Markdown syntax shown as themselves. */
export function text(value: string): string {
  return oneLine(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|#~!]/g, (c) => `\\${c}`);
}

function html(value: string): string {
  return oneLine(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;");
}

/** A formatted value: in code, or the marker in italics. */
function shownValue(value: string): string {
  return value === SENSITIVE_TEXT || value === UNKNOWN_TEXT ? `_${value}_` : code(value);
}

function valueText(c: { readonly before: string; readonly after: string }): string {
  return `${shownValue(c.before)} → ${shownValue(c.after)}`;
}

function countsText(c: Counts): string {
  const parts = [
    c.add && `${c.add} to add`,
    c.change && `${c.change} to change`,
    c.destroy && `${c.destroy} to destroy`,
    c.replace && `${c.replace} to replace`,
    c.moved && `${c.moved} moved`,
    c.imported && `${c.imported} imported`,
    c.forget && `${c.forget} to forget`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}

function stackCountsText(s: StackSummary): string {
  const counts = countsText(s.counts);
  const outputs = s.outputChanges.length > 0 ? plural(s.outputChanges.length, "output") + " changed" : "";
  if (!outputs) return counts;
  return counts === "no changes" ? outputs : `${counts}, ${outputs}`;
}

function headline(
  stacks: readonly StackSummary[],
  changed: readonly StackSummary[],
  stateful: readonly StatefulFinding[],
  approvals: readonly ApprovalReason[],
  removed: readonly string[],
  failed: readonly string[],
  problems: readonly PlanProblem[],
): string {
  const t = totals(stacks);
  const envs = [...new Set(changed.map((s) => s.environment))].sort(compareEnvironments);
  const where = changed.length > 0 ? ` in ${plural(changed.length, "stack")} (${text(envs.join(", "))})` : "";
  const others = approvals.length - stateful.length;
  let title: string;
  if (stateful.length > 0) {
    title = `## 🚨 Terraform plan: ${plural(stateful.length, "stateful resource")} would be destroyed or replaced`;
    if (others > 0) title += `, ${plural(others, "more change")} can lose data`;
  } else if (others > 0) {
    title = `## 🚨 Terraform plan: ${plural(others, "change")} can lose data: explicit approval needed`;
  } else if (removed.length > 0) {
    title = `## 🚨 Terraform plan: ${plural(removed.length, "stack")} removed from the app`;
  } else if (problems.length > 0) {
    title = `## 🛑 Terraform plan review incomplete: ${plural(problems.length, "stack")} without a readable plan`;
  } else if (failed.length > 0) {
    title = `## ⚠️ Terraform plan failed for ${plural(failed.length, "stack")}`;
  } else if (changed.length > 0) {
    title = `## Terraform plan: ${changed.length} of ${plural(stacks.length, "stack")} change`;
  } else {
    title = `## ✅ Terraform plan: no changes`;
  }
  const outputs = changed.reduce((n, s) => n + s.outputChanges.length, 0);
  const counts = countsText(t);
  const summary =
    changed.length > 0
      ? `**${counts === "no changes" ? "" : counts}${counts !== "no changes" && outputs > 0 ? ", " : ""}${outputs > 0 ? `${plural(outputs, "output")} changed` : ""}**${where}.`
      : problems.length > 0 || failed.length > 0
        ? "The other plans have no changes; this check fails until every expected stack has a readable plan."
        : stacks.length > 0
          ? `${plural(stacks.length, "stack")} planned, nothing to do.`
          : "No stack's synthesized Terraform changed, so nothing was planned.";
  return `${title}\n\n${summary}`;
}

/** `2026-11-30 15:12 UTC` from an RFC 3339 time; the raw text (escaped) if it does not parse. */
function timeText(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? text(value) : `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The header a reviewer tells a stale comment from a fresh one by: commit and plan time. */
function metaLine(stacks: readonly StackSummary[], options: ReviewOptions): string {
  const times = stacks
    .map((s) => s.plannedAt)
    .filter((t): t is string => t !== undefined)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  const first = times[0] ?? options.plannedAt;
  const last = times[times.length - 1];
  let when = "plan time unknown";
  if (first) when = `planned ${timeText(first)}${last && timeText(last) !== timeText(first) ? ` – ${timeText(last)}` : ""}`;
  const commit = options.commit ? `Commit ${code(options.commit.slice(0, 12), false)}` : "Commit unknown";
  return `<sub>${commit} · ${when}</sub>`;
}

function alarmSection(
  stateful: readonly StatefulFinding[],
  approvals: readonly ApprovalReason[],
  removed: readonly string[],
  rows: number,
  compact: boolean,
): string | undefined {
  if (approvals.length === 0 && removed.length === 0) return undefined;
  const lines = ["### 🚨 Needs explicit approval", ""];
  if (approvals.length > 0) {
    lines.push(
      "Each of these loses what a re-create does not bring back, or removes the guard against losing it. " +
        "Approve only with a backup or snapshot in hand, or fix the code (a renamed construct ID needs `moveTo` / a `moved` block; " +
        "a force-new attribute may have a non-destructive alternative; a protection turned off can stay on).",
      "",
    );
    const shown = approvals.slice(0, rows);
    const byAddress = new Map(stateful.map((r) => [`${r.stack}\u0000${r.address}`, r]));
    const resourceOf = (a: ApprovalReason) => byAddress.get(`${a.stack}\u0000${a.address}`);
    if (compact) {
      for (const a of shown) lines.push(`- ${code(a.stack, false)} **${actionLabel(a, resourceOf(a))}** ${code(a.address, false)}`);
    } else {
      lines.push("| Stack | Action | Resource | Loses | Why |", "| --- | --- | --- | --- | --- |");
      for (const a of shown) {
        const r = resourceOf(a);
        const [loses, reason] =
          a.kind === "destroy" && r
            ? [text(r.stateful ?? ""), why(r)]
            : a.kind === "data-loss"
              ? dataLossCells(a)
              : ["the guard `lifecycle.prevent_destroy`", "removed in the synthesized JSON: nothing refuses a later destroy of it"];
        lines.push(`| ${code(a.stack)} | **${actionLabel(a, r)}** | ${code(a.address)} | ${loses} | ${reason} |`);
      }
    }
    if (approvals.length > shown.length) lines.push("", `…and ${approvals.length - shown.length} more: see the plan artifacts.`);
  }
  if (removed.length > 0) {
    lines.push(
      "",
      `**Stacks removed from the app:** ${codeList(removed)}. CI never destroys a removed stack: its resources stay in AWS with nothing managing them. ` +
        "Destroy them from the base commit first (`terraform destroy` in its synthesized folder), or keep the stack.",
    );
  }
  return lines.join("\n");
}

function actionLabel(a: ApprovalReason, r: ResourceSummary | undefined): string {
  if (a.kind === "destroy") return r?.action === "delete" ? "destroy" : (r?.action ?? "destroy");
  return a.kind === "data-loss" ? "update" : "guard removed";
}

/** What a data-losing update loses, and the value change that does it. */
function dataLossCells(a: ApprovalReason): [string, string] {
  const f = a.finding;
  if (!f) return [text(a.why), "–"];
  return [text(f.what), `${code(f.path)}: ${valueCell(f.before)} → ${valueCell(f.after)}`];
}

function valueCell(value: string): string {
  return value === SENSITIVE_TEXT || value === UNKNOWN_TEXT ? `_${value}_` : code(value);
}

function why(r: ResourceSummary): string {
  const parts: string[] = [];
  if (r.replacePaths.length > 0) parts.push(`forced by ${codeList(r.replacePaths.slice(0, 6))}${r.replacePaths.length > 6 ? ` +${r.replacePaths.length - 6}` : ""}`);
  if (r.reason) parts.push(text(r.reason));
  if (r.possibleRenameTo) parts.push(`a new one is created at ${code(r.possibleRenameTo)}: renamed? use \`moveTo\``);
  return parts.join("; ") || "–";
}

function problemSection(problems: readonly PlanProblem[]): string {
  return [
    "### 🛑 No readable plan",
    "",
    "The review fails closed: a stack it expects a plan for is never reported as “no changes” without one. Re-run the plan job, or fix what is named here.",
    "",
    ...problems.map((p) => `- ${code(p.stack, false)}: ${text(p.reason)}`),
  ].join("\n");
}

/** A fence longer than any backtick run in the text, so no line can close the block early. */
function fenced(lines: readonly string[]): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...lines, fence].join("\n");
}

function failedSection(failed: readonly string[], stacks: readonly StackSummary[], maxLines: number): string {
  const parts = [
    `> [!WARNING]\n> The plan failed for ${codeList(failed)}: nothing below covers ${failed.length === 1 ? "it" : "them"}. ` +
      "First error lines (quoted values masked); the plan job's log has the rest.",
  ];
  for (const stack of failed) {
    const lines = stacks.find((s) => s.stack === stack)?.errorLines ?? [];
    if (lines.length === 0) continue;
    // Masked again here: the file may come from anywhere, and masking is idempotent.
    const shown = lines.slice(0, maxLines).map((l) => oneLine(maskErrorLine(l)).slice(0, 200));
    parts.push("", `**${code(stack, false)}**`, "", fenced(lines.length > shown.length ? [...shown, `… ${lines.length - shown.length} more lines`] : shown));
  }
  return parts.join("\n");
}

function findingText(f: Finding): string {
  return `${text(f.what)}: ${code(f.path, false)} ${valueText(f)}`;
}

function disruptiveSection(found: readonly DisruptiveFinding[], compact: boolean): string {
  const lines = [
    "### ⚠️ Disruptive in-place changes",
    "",
    "No data is lost, but a running system notices (a restart, a failover, a replaced task): apply in a quiet hour.",
    "",
  ];
  for (const f of found) lines.push(compact ? `- ${code(f.stack, false)} ${code(f.address, false)}: ${text(f.what)}` : `- ${code(f.stack, false)} ${code(f.address, false)}: ${findingText(f)}`);
  return lines.join("\n");
}

function cell(n: number, alarm = false): string {
  return n === 0 ? "·" : alarm ? `**${n}** 🚨` : String(n);
}

function table(changed: readonly StackSummary[], maxRows: number): string {
  const withForget = changed.some((s) => s.counts.forget > 0);
  const withOutputs = changed.some((s) => s.outputChanges.length > 0);
  const head = [
    "Environment",
    "Stack",
    "Add",
    "Change",
    "Destroy",
    "Replace",
    "Moved",
    "Imported",
    ...(withForget ? ["Forget"] : []),
    ...(withOutputs ? ["Outputs"] : []),
  ];
  const lines = [`| ${head.join(" | ")} |`, `| --- | --- | ${head.slice(2).map(() => "---:").join(" | ")} |`];
  // Rows with an alarm always stay when the table has to be cut.
  const alarmedStacks = new Set(changed.filter((s) => approvalReasons(s).length > 0).map((s) => s.stack));
  const alarmed = (s: StackSummary) => alarmedStacks.has(s.stack);
  const ranked = [...changed].sort((a, b) => Number(alarmed(b)) - Number(alarmed(a)));
  const kept = new Set(ranked.slice(0, maxRows).map((s) => s.stack));
  for (const s of changed.filter((x) => kept.has(x.stack))) {
    const actions = new Set(statefulChanges(s).map((r) => r.action));
    const dataLoss = s.resources.some((r) => r.dataLoss.length > 0);
    const c = s.counts;
    const row = [
      text(s.environment),
      code(s.stack),
      cell(c.add),
      cell(c.change, dataLoss),
      cell(c.destroy, actions.has("delete")),
      cell(c.replace, actions.has("replace")),
      cell(c.moved),
      cell(c.imported),
      ...(withForget ? [cell(c.forget)] : []),
      ...(withOutputs ? [cell(s.outputChanges.length)] : []),
    ];
    lines.push(`| ${row.join(" | ")} |`);
  }
  if (changed.length > kept.size) lines.push("", `…and ${changed.length - kept.size} more changed stacks: see the plan artifacts.`);
  return lines.join("\n");
}

function quietLine(noChange: readonly string[], unplanned: readonly string[]): string | undefined {
  const parts: string[] = [];
  const names = (list: readonly string[]) => (list.length <= 12 ? `: ${codeList([...list].sort(compareStacks))}` : "");
  if (noChange.length > 0) parts.push(`**No changes** in ${plural(noChange.length, "planned stack")}${names(noChange)}.`);
  if (unplanned.length > 0) parts.push(`**Not planned** (synthesized Terraform unchanged): ${plural(unplanned.length, "stack")}${names(unplanned)}.`);
  return parts.length > 0 ? parts.join(" ") : undefined;
}

function driftSection(stacks: readonly StackSummary[], level: number): string | undefined {
  const drifted = stacks.filter((s) => s.drift.length > 0);
  if (drifted.length === 0) return undefined;
  const lines = [
    "### Drift since the last apply",
    "",
    "Changed outside Terraform. Applying this plan puts them back, unless the code is updated to match.",
    "",
  ];
  for (const s of drifted) {
    if (level >= 2) {
      lines.push(`- ${code(s.stack, false)}: ${plural(s.drift.length, "resource")} drifted`);
      continue;
    }
    for (const r of s.drift) {
      const what = r.action === "delete" ? "deleted outside Terraform" : r.action === "update" ? "changed" : text(r.action);
      const changes = level === 0 && r.changes.length > 0 ? `: ${inlineChanges(r.changes, 10)}` : "";
      lines.push(`- ${code(s.stack, false)} ${code(r.address, false)} ${what}${changes}`);
    }
  }
  return lines.join("\n");
}

function inlineChanges(changes: readonly ValueChange[], max: number): string {
  const shown = changes.slice(0, max).map((c) => `${code(c.path, false)} ${valueText(c)}`).join(", ");
  return changes.length > max ? `${shown} +${changes.length - max} more` : shown;
}

function pathList(paths: readonly string[], max: number): string {
  const shown = paths.slice(0, max).map((p) => code(p, false)).join(", ");
  return paths.length > max ? `${shown} +${paths.length - max} more` : shown;
}

const SECTIONS: ReadonlyArray<{ title: string; pick: (r: ResourceSummary) => boolean }> = [
  { title: "Replace", pick: (r) => r.action === "replace" },
  { title: "Destroy", pick: (r) => r.action === "delete" },
  { title: "Change", pick: (r) => r.action === "update" },
  { title: "Add", pick: (r) => r.action === "create" },
  { title: "Forget (removed from state, kept in AWS)", pick: (r) => r.action === "forget" },
  { title: "Moved", pick: (r) => r.movedFrom !== undefined },
  { title: "Imported", pick: (r) => r.imported },
];

/** Detail level 0: one sub-line per attribute with its values; 1: a few paths inline; 2: the address. */
function resourceLines(r: ResourceSummary, section: string, level: number): string[] {
  const flag = r.stateful || r.dataLoss.length > 0 ? " 🚨" : r.disruptive.length > 0 ? " ⚠️" : "";
  if (section === "Moved") return [`- ${code(r.movedFrom!, false)} → ${code(r.address, false)}`];
  if (section === "Imported" || section === "Add") return [`- ${code(r.address, false)}`];
  const notes: string[] = [];
  if (r.deposed) notes.push("deposed object");
  if (section === "Replace") {
    if (level < 2 && r.replacePaths.length > 0) notes.push(`forced by ${pathList(r.replacePaths, level === 0 ? 15 : 3)}`);
    else if (r.reason) notes.push(text(r.reason));
  } else if (section === "Destroy") {
    if (r.reason) notes.push(text(r.reason));
  }
  const sub: string[] = [];
  const findings = [...r.dataLoss.map((f) => ({ f, mark: "🚨" })), ...r.disruptive.map((f) => ({ f, mark: "⚠️" }))];
  // At level 0 a finding is told on its attribute's line; one without such a line gets its own.
  const shownPaths = new Set(level === 0 ? r.changes.slice(0, 15).map((c) => c.path) : []);
  if (level < 2 && section !== "Destroy") {
    for (const { f, mark } of findings) if (!shownPaths.has(f.path)) sub.push(`  - ${mark} ${findingText(f)}`);
  }
  if (level === 0 && section !== "Destroy") {
    for (const c of r.changes.slice(0, 15)) {
      const forces = r.replacePaths.includes(c.path) ? " (forces replacement)" : "";
      const notes = findings.filter(({ f }) => f.path === c.path).map(({ f, mark }) => ` ${mark} ${text(f.what)}`).join("");
      sub.push(`  - ${code(c.path, false)}: ${valueText(c)}${forces}${notes}`);
    }
    if (r.changes.length > 15) sub.push(`  - …${r.changes.length - 15} more attributes`);
  } else if (level === 1) {
    const others = section === "Replace" ? r.paths.filter((p) => !r.replacePaths.includes(p)) : r.paths;
    if (others.length > 0) notes.push(`${section === "Replace" ? "also " : ""}${pathList(others, 3)}`);
  }
  return [`- ${code(r.address, false)}${flag}${notes.length > 0 ? `: ${notes.join("; ")}` : ""}`, ...sub];
}

function outputLine(o: OutputChange): string {
  if (o.action === "create") return `- ${code(o.path, false)} added: ${shownValue(o.after)}`;
  if (o.action === "delete") return `- ${code(o.path, false)} removed (was ${shownValue(o.before)})`;
  return `- ${code(o.path, false)}: ${valueText(o)}`;
}

/** One stack's `<details>` at a level: 0 full, 1 few paths, 2 addresses, 3 counts by type, 4 omitted. */
export function detailsBlock(s: StackSummary, level: number): string {
  const alarm = approvalReasons(s).length > 0 ? " 🚨" : s.resources.some((r) => r.disruptive.length > 0) ? " ⚠️" : "";
  const summary = `<summary><code>${html(s.stack)}</code>${alarm}: ${html(stackCountsText(s))}</summary>`;
  const body: string[] = [];
  if (s.pendingProducers.length > 0) {
    body.push(
      `⏳ Planned with the planned outputs of ${s.pendingProducers.map((p) => code(p, false)).join(", ")}: values shown as (known after apply) are known after ${s.pendingProducers.length > 1 ? "they apply" : "it applies"}. The deploy applies ${s.pendingProducers.length > 1 ? "them" : "it"} first, plans this stack again, and applies without a second approval only if that plan matches this one or adds no destroy, replace or data loss.`,
      "",
    );
  }
  if (level >= 4) {
    body.push("Left out to fit GitHub's comment limit: see the plan artifact of this stack.");
  } else if (level === 3) {
    const byType = new Map<string, Map<string, number>>();
    for (const r of s.resources) {
      const label = SECTIONS.find((x) => x.pick(r))!.title.split(" ")[0]!.toLowerCase();
      const m = byType.get(r.type) ?? new Map<string, number>();
      m.set(label, (m.get(label) ?? 0) + 1);
      byType.set(r.type, m);
    }
    for (const [type, m] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
      body.push(`- ${code(type, false)}: ${[...m].map(([k, n]) => `${n} ${k}`).join(", ")}`);
    }
    if (s.outputChanges.length > 0) body.push(`- outputs: ${s.outputChanges.length} changed`);
  } else {
    for (const section of SECTIONS) {
      const picked = s.resources.filter(section.pick);
      if (picked.length === 0) continue;
      body.push(`**${section.title}**`, "", ...picked.flatMap((r) => resourceLines(r, section.title, level)), "");
    }
    if (s.outputChanges.length > 0) {
      if (level < 2) body.push("**Outputs** (other stacks may read these)", "", ...s.outputChanges.map(outputLine), "");
      else body.push(`Outputs: ${plural(s.outputChanges.length, "output")} changed.`);
    }
  }
  return `<details>${summary}\n\n${body.join("\n").trim()}\n\n</details>`;
}
