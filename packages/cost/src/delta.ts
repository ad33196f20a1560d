import type { Estimate, Totals } from "./estimate";

/** One stack whose monthly cost changed between two estimates (absent = 0). */
export interface StackDelta {
  readonly environment: string;
  readonly stack: string;
  readonly before: Totals;
  readonly after: Totals;
}

const ZERO: Totals = { base: 0, peak: 0 };

/** Stacks whose base or peak differs by at least a cent between `before` and `after`. */
export function costDelta(before: Estimate, after: Estimate): StackDelta[] {
  const out: StackDelta[] = [];
  const envs = new Set([...Object.keys(before.environments), ...Object.keys(after.environments)]);
  for (const environment of [...envs].sort()) {
    const b = before.environments[environment]?.stacks ?? {};
    const a = after.environments[environment]?.stacks ?? {};
    for (const stack of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
      const x = b[stack] ?? ZERO;
      const y = a[stack] ?? ZERO;
      if (Math.abs(x.base - y.base) >= 0.01 || Math.abs(x.peak - y.peak) >= 0.01) out.push({ environment, stack, before: x, after: y });
    }
  }
  return out;
}

const usd = (n: number): string => `$${n.toFixed(2)}`;
const signed = (n: number): string => `${n >= 0 ? "+" : "−"}$${Math.abs(n).toFixed(2)}`;

/** The pull-request comment section: base and peak before → after per changed stack, and the monthly change. */
export function renderCostDeltaMarkdown(before: Estimate, after: Estimate, asOf: string): string {
  const deltas = costDelta(before, after);
  const out = ["### Cost", ""];
  if (deltas.length === 0) {
    out.push(`No change to the estimated monthly cost (list prices as of ${asOf}).`);
    return out.join("\n");
  }
  out.push("| environment | stack | base before → after | peak before → after | monthly change (base / peak) |", "| --- | --- | --- | --- | --- |");
  for (const d of deltas) {
    out.push(
      `| ${d.environment} | ${d.stack} | ${usd(d.before.base)} → ${usd(d.after.base)} | ${usd(d.before.peak)} → ${usd(d.after.peak)} | ${signed(d.after.base - d.before.base)} / ${signed(d.after.peak - d.before.peak)} |`,
    );
  }
  const total = (e: Estimate, k: "base" | "peak") => Object.values(e.environments).reduce((s, x) => s + x[k], 0);
  out.push(
    "",
    `Total monthly change: ${signed(total(after, "base") - total(before, "base"))} at base, ${signed(total(after, "peak") - total(before, "peak"))} at peak. ` +
      `On-demand list prices as of ${asOf}, usage from packages/cost/usage/<env>.json; \`pnpm cost\` shows every line.`,
  );
  return out.join("\n");
}
