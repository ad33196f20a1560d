import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

/** Markdown files operators read: the READMEs, docs/ and every package README. */
function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));
  const packages = readdirSync("packages").map((p) => join("packages", p, "README.md")).filter(existsSync);
  return ["README.md", "README.ja.md", ...walk("docs"), ...packages];
}

/** GitHub's heading anchor: lower case, punctuation dropped (letters of any script kept), spaces → hyphens. */
export function githubSlug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

function anchorsOf(file: string): Set<string> {
  const headings = [...readFileSync(file, "utf8").matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => githubSlug(m[1]!));
  const seen = new Map<string, number>();
  return new Set(
    headings.map((slug) => {
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      return n === 0 ? slug : `${slug}-${n}`;
    }),
  );
}

describe("documentation links", () => {
  it("slugs headings as GitHub does, Japanese included", () => {
    expect(githubSlug("Alarms and budgets")).toBe("alarms-and-budgets");
    expect(githubSlug("1. Apply the zone and print the name servers")).toBe("1-apply-the-zone-and-print-the-name-servers");
    expect(githubSlug("手順書: 環境の初回デプロイ")).toBe("手順書-環境の初回デプロイ");
  });

  it("points every relative link at a file (and heading) that exists", () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!) || target!.startsWith("#")) continue;
        const [path, anchor] = target!.split("#");
        const resolved = join(dirname(file), decodeURIComponent(path!));
        if (!existsSync(resolved)) broken.push(`${file}: ${target} (no such file)`);
        else if (anchor && resolved.endsWith(".md") && !anchorsOf(resolved).has(decodeURIComponent(anchor))) broken.push(`${file}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("has every runbook in English and Japanese", () => {
    const runbooks = readdirSync("docs/runbooks").filter((f) => f.endsWith(".md") && f !== "README.md");
    const missing = runbooks.flatMap((f) => {
      const twin = f.endsWith(".ja.md") ? f.replace(/\.ja\.md$/, ".md") : f.replace(/\.md$/, ".ja.md");
      return runbooks.includes(twin) ? [] : [`${f} has no ${twin}`];
    });
    expect(missing).toEqual([]);
  });

  it("shows in every package README the usage that typechecks (packages/<pkg>/test/readme-usage.ts, after its marker)", () => {
    const drift: string[] = [];
    for (const pkg of readdirSync("packages")) {
      const usage = join("packages", pkg, "test", "readme-usage.ts");
      if (!existsSync(usage)) continue;
      const source = readFileSync(usage, "utf8");
      const body = source.slice(source.indexOf("// README usage")).split("\n").slice(1).join("\n").trim();
      const shown = /```ts\n([\s\S]*?)```/.exec(readFileSync(join("packages", pkg, "README.md"), "utf8"))?.[1] ?? "";
      if (!shown.includes(body)) drift.push(`packages/${pkg}/README.md does not show the usage in ${usage}`);
    }
    expect(drift).toEqual([]);
  });

  it("gives every package a README", () => {
    expect(readdirSync("packages").filter((p) => !existsSync(join("packages", p, "README.md")))).toEqual([]);
  });
});
