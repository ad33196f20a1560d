/**
 * The pull request comment: one Markdown document for the plans of many stacks, built so the
 * first two lines answer "is this safe?" and the stateful alarm can never be cut for size.
 */
import {
  hasChanges,
  statefulChanges,
  totals,
  type Counts,
  type ResourceSummary,
  type StackSummary,
} from "./plan-summary";
import { compareEnvironments, compareStacks } from "./stack-names";

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
}

export interface StatefulFinding extends ResourceSummary {
  readonly stack: string;
}

export interface Review {
  readonly markdown: string;
  /** Destroys and replaces of stateful resources, in every stack. */
  readonly stateful: readonly StatefulFinding[];
  /** True when an explicit approval is needed: stateful destroys/replaces, or stacks removed. */
  readonly needsApproval: boolean;
  readonly hasChanges: boolean;
  /** Some plan failed or Terraform marked one errored. */
  readonly errored: boolean;
  /** Detail level each stack ended at (0 full … 4 omitted), for the record and tests. */
  readonly detailLevels: Readonly<Record<string, number>>;
}

const DETAIL_LEVELS = 5;
const PATHS_PER_LEVEL = [15, 3, 0];

export function renderReview(summaries: readonly StackSummary[], options: ReviewOptions = {}): Review {
  const max = Math.min(options.maxChars ?? 65_000, GITHUB_COMMENT_LIMIT);
  const stacks = [...summaries].sort((a, b) => compareStacks(a.stack, b.stack));
  const stateful = stacks.flatMap((s) => statefulChanges(s).map((r) => ({ ...r, stack: s.stack })));
  const failed = [...(options.failedStacks ?? []), ...stacks.filter((s) => s.errored).map((s) => s.stack)];
  const removed = [...(options.removedStacks ?? [])].sort(compareStacks);
  const changed = stacks.filter(hasChanges);
  const needsApproval = stateful.length > 0 || removed.length > 0;

  const levels = new Map(changed.map((s) => [s.stack, 0]));
  const detailCache = new Map<string, string>();
  const details = (s: StackSummary) => {
    const key = `${s.stack}\u0000${levels.get(s.stack)}`;
    if (!detailCache.has(key)) detailCache.set(key, detailsBlock(s, levels.get(s.stack)!));
    return detailCache.get(key)!;
  };
  const shape = { driftLevel: 0, tableRows: Infinity, statefulRows: Infinity, compactStateful: false };

  const render = () => {
    const parts = [options.marker ?? DEFAULT_MARKER, headline(stacks, changed, stateful, removed, failed), ""];
    const alarm = alarmSection(stateful, removed, shape.statefulRows, shape.compactStateful);
    if (alarm) parts.push(alarm, "");
    if (failed.length > 0) {
      parts.push(`> [!WARNING]\n> The plan failed for ${codeList(failed)}: see the plan job's log. Nothing below covers ${failed.length === 1 ? "it" : "them"}.`, "");
    }
    if (changed.length > 0) parts.push(table(changed, shape.tableRows), "");
    const quiet = quietLine(stacks.filter((s) => !hasChanges(s) && !s.errored).map((s) => s.stack), options.unplannedStacks ?? []);
    if (quiet) parts.push(quiet, "");
    if ((options.manualStacks ?? []).length > 0) {
      parts.push(`**Applied by hand** (local state, not planned here): ${codeList(options.manualStacks!)}. See README → Bootstrap.`, "");
    }
    const drift = driftSection(stacks, shape.driftLevel);
    if (drift) parts.push(drift, "");
    if (changed.length > 0) {
      parts.push("### Changes by stack", "", ...changed.map(details), "");
    }
    parts.push(
      `<sub>Attribute paths only, never values, so secrets stay out of this comment.${options.footer ? ` ${options.footer}` : ""}</sub>`,
    );
    return parts.join("\n");
  };

  // Shrink the largest stack's details one level at a time, then drift, then the table; the
  // stateful alarm is compacted last and its headline count always stays.
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
    } else if (!shape.compactStateful) {
      shape.compactStateful = true;
    } else if (shape.statefulRows > 10 && stateful.length > 10) {
      shape.statefulRows = shape.statefulRows === Infinity ? Math.max(10, Math.floor(stateful.length / 2)) : Math.max(10, Math.floor(shape.statefulRows / 2));
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
    needsApproval,
    hasChanges: changed.length > 0,
    errored: failed.length > 0,
    detailLevels: Object.fromEntries(levels),
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Inline code, safe for any text: backticks cannot close it early. */
function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function codeList(items: readonly string[]): string {
  return items.map(code).join(", ");
}

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
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

function headline(
  stacks: readonly StackSummary[],
  changed: readonly StackSummary[],
  stateful: readonly StatefulFinding[],
  removed: readonly string[],
  failed: readonly string[],
): string {
  const t = totals(stacks);
  const envs = [...new Set(changed.map((s) => s.environment))].sort(compareEnvironments);
  const where = changed.length > 0 ? ` in ${plural(changed.length, "stack")} (${envs.join(", ")})` : "";
  let title: string;
  if (stateful.length > 0) {
    title = `## 🚨 Terraform plan: ${plural(stateful.length, "stateful resource")} would be destroyed or replaced`;
  } else if (removed.length > 0) {
    title = `## 🚨 Terraform plan: ${plural(removed.length, "stack")} removed from the app`;
  } else if (failed.length > 0) {
    title = `## ⚠️ Terraform plan failed for ${plural(failed.length, "stack")}`;
  } else if (changed.length > 0) {
    title = `## Terraform plan: ${changed.length} of ${plural(stacks.length, "stack")} change`;
  } else {
    title = `## ✅ Terraform plan: no changes`;
  }
  const summary =
    changed.length > 0
      ? `**${countsText(t)}**${where}.`
      : failed.length > 0
        ? "The other plans have no changes."
        : stacks.length > 0
          ? `${plural(stacks.length, "stack")} planned, nothing to do.`
          : "No stack's synthesized Terraform changed, so nothing was planned.";
  return `${title}\n\n${summary}`;
}

function alarmSection(
  stateful: readonly StatefulFinding[],
  removed: readonly string[],
  rows: number,
  compact: boolean,
): string | undefined {
  if (stateful.length === 0 && removed.length === 0) return undefined;
  const lines = ["### 🚨 Needs explicit approval", ""];
  if (stateful.length > 0) {
    lines.push(
      "Destroying these loses what a re-create does not bring back. Approve only with a backup or snapshot in hand, " +
        "or fix the code (a renamed construct ID needs `moveTo` / a `moved` block; a force-new attribute may have a non-destructive alternative).",
      "",
    );
    const shown = stateful.slice(0, rows);
    if (compact) {
      for (const r of shown) lines.push(`- ${code(r.stack)} **${r.action}** ${code(r.address)}`);
    } else {
      lines.push("| Stack | Action | Resource | Loses | Why |", "| --- | --- | --- | --- | --- |");
      for (const r of shown) {
        lines.push(`| ${code(r.stack)} | **${r.action === "delete" ? "destroy" : r.action}** | ${code(r.address)} | ${r.stateful} | ${why(r)} |`);
      }
    }
    if (stateful.length > shown.length) lines.push("", `…and ${stateful.length - shown.length} more: see the plan artifacts.`);
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

function why(r: ResourceSummary): string {
  const parts: string[] = [];
  if (r.replacePaths.length > 0) parts.push(`forced by ${codeList(r.replacePaths.slice(0, 6))}${r.replacePaths.length > 6 ? ` +${r.replacePaths.length - 6}` : ""}`);
  if (r.reason) parts.push(r.reason);
  if (r.possibleRenameTo) parts.push(`a new one is created at ${code(r.possibleRenameTo)}: renamed? use \`moveTo\``);
  return parts.join("; ") || "–";
}

function cell(n: number, alarm = false): string {
  return n === 0 ? "·" : alarm ? `**${n}** 🚨` : String(n);
}

function table(changed: readonly StackSummary[], maxRows: number): string {
  const withForget = changed.some((s) => s.counts.forget > 0);
  const head = ["Environment", "Stack", "Add", "Change", "Destroy", "Replace", "Moved", "Imported", ...(withForget ? ["Forget"] : [])];
  const lines = [`| ${head.join(" | ")} |`, `| --- | --- | ${head.slice(2).map(() => "---:").join(" | ")} |`];
  // Rows with a stateful alarm always stay when the table has to be cut.
  const ranked = [...changed].sort((a, b) => Number(statefulChanges(b).length > 0) - Number(statefulChanges(a).length > 0));
  const kept = new Set(ranked.slice(0, maxRows).map((s) => s.stack));
  for (const s of changed.filter((x) => kept.has(x.stack))) {
    const alarmed = new Set(statefulChanges(s).map((r) => r.action));
    const c = s.counts;
    const row = [
      s.environment,
      code(s.stack),
      cell(c.add),
      cell(c.change),
      cell(c.destroy, alarmed.has("delete")),
      cell(c.replace, alarmed.has("replace")),
      cell(c.moved),
      cell(c.imported),
      ...(withForget ? [cell(c.forget)] : []),
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
      lines.push(`- ${code(s.stack)}: ${plural(s.drift.length, "resource")} drifted`);
      continue;
    }
    for (const r of s.drift) {
      const what = r.action === "delete" ? "deleted outside Terraform" : r.action === "update" ? "changed" : r.action;
      const paths = level === 0 && r.paths.length > 0 ? `: ${pathList(r.paths, 10)}` : "";
      lines.push(`- ${code(s.stack)} ${code(r.address)} ${what}${paths}`);
    }
  }
  return lines.join("\n");
}

function pathList(paths: readonly string[], max: number): string {
  const shown = paths.slice(0, max).map(code).join(", ");
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

function resourceLine(r: ResourceSummary, section: string, maxPaths: number): string {
  const flag = r.stateful ? " 🚨" : "";
  if (section === "Moved") return `- ${code(r.movedFrom!)} → ${code(r.address)}`;
  if (section === "Imported" || section === "Add") return `- ${code(r.address)}`;
  const notes: string[] = [];
  if (r.deposed) notes.push("deposed object");
  if (section === "Replace") {
    if (maxPaths > 0 && r.replacePaths.length > 0) notes.push(`forced by ${pathList(r.replacePaths, maxPaths)}`);
    else if (r.reason) notes.push(r.reason);
  } else if (section === "Destroy") {
    if (r.reason) notes.push(r.reason);
  }
  const others = section === "Replace" ? r.paths.filter((p) => !r.replacePaths.includes(p)) : r.paths;
  if (maxPaths > 0 && others.length > 0) notes.push(`${section === "Replace" ? "also " : ""}${pathList(others, maxPaths)}`);
  return `- ${code(r.address)}${flag}${notes.length > 0 ? `: ${notes.join("; ")}` : ""}`;
}

/** One stack's `<details>` at a level: 0 full, 1 few paths, 2 addresses, 3 counts by type, 4 omitted. */
export function detailsBlock(s: StackSummary, level: number): string {
  const alarm = statefulChanges(s).length > 0 ? " 🚨" : "";
  const summary = `<summary><code>${html(s.stack)}</code>${alarm}: ${html(countsText(s.counts))}</summary>`;
  const body: string[] = [];
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
      body.push(`- ${code(type)}: ${[...m].map(([k, n]) => `${n} ${k}`).join(", ")}`);
    }
  } else {
    const maxPaths = PATHS_PER_LEVEL[level]!;
    for (const section of SECTIONS) {
      const picked = s.resources.filter(section.pick);
      if (picked.length === 0) continue;
      body.push(`**${section.title}**`, "", ...picked.map((r) => resourceLine(r, section.title, maxPaths)), "");
    }
    const o = s.outputs;
    if (o.add + o.change + o.remove > 0) {
      body.push(`Outputs: ${[o.add && `${o.add} added`, o.change && `${o.change} changed`, o.remove && `${o.remove} removed`].filter(Boolean).join(", ")}.`);
    }
  }
  return `<details>${summary}\n\n${body.join("\n").trim()}\n\n</details>`;
}
