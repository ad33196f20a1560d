/** The adoption report, read before anything runs: Markdown for people, JSON for tools. */
import type { Adoption } from "./match";

export interface AdoptionCounts {
  readonly matched: number;
  readonly unmatched: number;
  readonly created: number;
  /** Attributes the first plan changes in place, over every matched resource. */
  readonly changedAttributes: number;
  /** Attributes that would replace a matched resource unless a config setting keeps them. */
  readonly immutableDifferences: number;
}

export function adoptionCounts(a: Adoption): AdoptionCounts {
  return {
    matched: a.matched.length,
    unmatched: a.unmatched.length,
    created: a.created.length,
    changedAttributes: a.matched.reduce((n, m) => n + m.changes.length, 0),
    immutableDifferences: a.matched.reduce((n, m) => n + m.immutable.length, 0),
  };
}

const show = (v: unknown): string => {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  const one = (text ?? "null").replace(/\s+/g, " ");
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
};
const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;

/** The report as JSON (stable keys, for CI and tests). */
export function adoptionJson(a: Adoption): object {
  return {
    env: a.env,
    counts: adoptionCounts(a),
    matched: a.matched.map((m) => ({
      stack: m.ours.stack,
      address: m.ours.address,
      type: m.ours.type,
      unit: m.live.unit,
      liveAddress: m.live.address,
      by: m.by,
      importId: m.importId ?? null,
      changes: m.changes,
      immutable: m.immutable,
    })),
    unmatched: a.unmatched.map((l) => ({ unit: l.unit, file: l.file, address: l.address, type: l.type, id: l.attributes.id ?? null })),
    created: a.created.map((c) => ({ stack: c.ours.stack, address: c.ours.address, type: c.ours.type, why: c.why })),
  };
}

/** The report as Markdown. */
export function adoptionMarkdown(a: Adoption): string {
  const c = adoptionCounts(a);
  const lines: string[] = [
    `## Adopting ${a.env}`,
    "",
    `${c.matched} matched · ${c.unmatched} live resources match nothing · ${c.created} new · ${c.changedAttributes} attributes change in place · ${c.immutableDifferences} would force a replace`,
    "",
  ];
  const immutable = a.matched.filter((m) => m.immutable.length > 0);
  if (immutable.length > 0) {
    lines.push("### Set these first: the live value differs where a change replaces the resource", "");
    lines.push("| stack | resource | attribute | live | ours | keep the live value with |", "| --- | --- | --- | --- | --- | --- |");
    for (const m of immutable) {
      for (const i of m.immutable) {
        lines.push(`| ${m.ours.stack} | ${code(m.ours.address)} | ${i.attribute} | ${code(show(i.live))} | ${code(show(i.ours))} | ${code(i.setting)} |`);
      }
    }
    lines.push("");
  }
  lines.push("### Matched (imported, then updated in place)", "", "| stack | resource | live (unit: address) | by | import ID | first plan changes |", "| --- | --- | --- | --- | --- | --- |");
  for (const m of a.matched) {
    const changes = m.changes.map((ch) => `${ch.attribute}: ${show(ch.live)} → ${show(ch.ours)}`).join("<br>") || "—";
    lines.push(
      `| ${m.ours.stack} | ${code(m.ours.address)} | ${m.live.unit}: ${code(m.live.address)} | ${m.by.replace(/\|/g, "\\|")} | ${m.importId ? code(m.importId) : "nothing to import: created at apply"} | ${changes.replace(/\|/g, "\\|")} |`,
    );
  }
  lines.push("", "### Live resources that match nothing (they stay in the old state: `terraform state rm` them there, or delete them deliberately)", "");
  if (a.unmatched.length === 0) lines.push("none");
  for (const l of a.unmatched) lines.push(`- ${l.unit}: ${code(l.address)} (${String(l.attributes.id ?? "")})`);
  lines.push("", "### New (the first apply creates them)", "");
  if (a.created.length === 0) lines.push("none");
  for (const n of a.created) lines.push(`- ${n.ours.stack}: ${code(n.ours.address)}: ${n.why}`);
  return `${lines.join("\n")}\n`;
}
