import type { CostLine, Estimate } from "./estimate";

const usd = (n: number): string => `$${n.toFixed(2)}`;

/** `{ environments: { env: { base, peak, stacks, lines } } }`, pretty-printed. */
export function renderCostJson(estimate: Estimate): string {
  return JSON.stringify({ environments: estimate.environments }, null, 2);
}

/** The lines of a stack that cost most at peak, most first. */
export function topLines(lines: readonly CostLine[], stack: string, count: number): CostLine[] {
  return lines.filter((l) => l.stack === stack && (l.base > 0 || l.peak > 0)).sort((a, b) => b.peak - a.peak || b.base - a.base).slice(0, count);
}

/** The terminal table: environment × stack, base and peak per month, then each stack's top lines. */
export function renderCostTable(estimate: Estimate, asOf: string, top = 5): string {
  const out: string[] = [`Monthly cost estimate, USD (on-demand list prices as of ${asOf}; 730 h/month; * = depends on the usage file)`, ""];
  const rows: string[][] = [["environment", "stack", "base", "peak"]];
  for (const [env, e] of Object.entries(estimate.environments)) {
    for (const [stack, t] of Object.entries(e.stacks)) rows.push([env, stack, usd(t.base), usd(t.peak)]);
    rows.push([env, "TOTAL", usd(e.base), usd(e.peak)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  "));
  for (const [env, e] of Object.entries(estimate.environments)) {
    out.push("", `${env}: top lines per stack (base → peak)`);
    for (const stack of Object.keys(e.stacks)) {
      const lines = topLines(e.lines, stack, top);
      if (lines.length === 0) continue;
      out.push(`  ${stack}`);
      for (const l of lines) out.push(`    ${usd(l.base).padStart(9)} → ${usd(l.peak).padStart(9)}  ${l.resource.replace(/_[0-9A-F]{8}$/, "")}: ${l.charge}${l.usageDependent ? " *" : ""}  [${l.basis}]`);
    }
  }
  return out.join("\n");
}
