import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The totals of the README's line-by-line hand calculation. */
function handTotals(): Record<string, number> {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const line = /^Hand totals: (.*)$/m.exec(readme)?.[1] ?? "";
  return Object.fromEntries([...line.matchAll(/(\w+) (base|peak) \$(\d+(?:\.\d+)?)/g)].map((m) => [`${m[1]} ${m[2]}`, Number(m[3])]));
}

describe("pnpm cost --json against the README's hand calculation", () => {
  it("is within ±5 % for staging and prod, base and peak", () => {
    const hand = handTotals();
    expect(Object.keys(hand).sort()).toEqual(["prod base", "prod peak", "staging base", "staging peak"]);
    const root = new URL("../../../", import.meta.url).pathname;
    // A fresh synth (an empty folder makes pnpm cost synthesize into it), never a stale cdktf.out.
    const outdir = join(mkdtempSync(join(tmpdir(), "cost-hand-")), "out");
    let out: string;
    try {
      out = execFileSync("node_modules/.bin/tsx", ["scripts/cost/main.ts", outdir, "--json"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 180_000 });
    } finally {
      rmSync(join(outdir, ".."), { recursive: true, force: true });
    }
    const { environments } = JSON.parse(out) as { environments: Record<string, { base: number; peak: number }> };
    for (const [key, expected] of Object.entries(hand)) {
      const [env, which] = key.split(" ") as [string, "base" | "peak"];
      const actual = environments[env]![which];
      expect(Math.abs(actual - expected) / expected, `${key}: estimate $${actual}, hand $${expected}`).toBeLessThanOrEqual(0.05);
    }
  });
});
