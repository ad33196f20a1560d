import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A workspace imports only what its package.json declares. pnpm resolves an undeclared
 * `@platform/<name>` anyway (through the workspace links), and knip does not flag workspace
 * packages, so this checks it: every `@platform/*` import of a package or app (src, test,
 * examples) and every npm import of its `src/` is among its dependencies, peerDependencies or
 * devDependencies. Tests may also use the root's devDependencies (vitest). Root code (apps/*.ts,
 * scripts/, test/) is checked against the root package.json. dependency-cruiser (pnpm lint:deps)
 * checks the graph itself: cycles, apps importing apps, relative paths into other packages.
 */
const ROOT = join(import.meta.dirname, "../../..");
const SKIPPED_DIRS = new Set(["node_modules", "__snapshots__", "cdktf.out", "dist", "fixtures"]);
const IMPORT = /(?:^|\s)(?:import|export)\s[^"'`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/gm;

interface Manifest {
  readonly name?: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
const declared = (m: Manifest) => new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {}), ...Object.keys(m.devDependencies ?? {})]);
const runtime = (m: Manifest) => new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : files(path);
    return /\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Package names a file imports (bare specifiers only; `node:` and builtins left out). */
export function importedPackages(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:") || builtinModules.includes(spec)) continue;
    const parts = spec.split("/");
    names.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!);
  }
  return [...names];
}

function undeclaredImports(): string[] {
  const root = readManifest(ROOT);
  const rootDev = new Set(Object.keys(root.devDependencies ?? {}));
  const problems: string[] = [];
  const workspaces = ["packages", "apps"].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(ROOT, group, e.name, "package.json")))
      .map((e) => join(ROOT, group, e.name)),
  );
  for (const dir of workspaces) {
    const manifest = readManifest(dir);
    for (const file of files(dir)) {
      const rel = relative(ROOT, file);
      const inSrc = relative(dir, file).startsWith("src/");
      for (const name of importedPackages(readFileSync(file, "utf8"))) {
        if (name === manifest.name) continue;
        const workspace = name.startsWith("@platform/");
        if (inSrc) {
          if (!runtime(manifest).has(name)) problems.push(`${rel} imports ${name}, which ${manifest.name} does not declare as a dependency`);
        } else if (!declared(manifest).has(name) && (workspace || !rootDev.has(name))) {
          problems.push(`${rel} imports ${name}, which ${manifest.name} does not declare`);
        }
      }
    }
  }
  const rootFiles = [
    ...readdirSync(join(ROOT, "apps")).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, "apps", f)),
    ...files(join(ROOT, "apps/test-support")),
    ...files(join(ROOT, "scripts")),
    ...files(join(ROOT, "test")),
  ];
  for (const file of rootFiles) {
    for (const name of importedPackages(readFileSync(file, "utf8"))) {
      if (!declared(root).has(name)) problems.push(`${relative(ROOT, file)} imports ${name}, which the root package.json does not declare`);
    }
  }
  return problems;
}

describe("every workspace imports only what its package.json declares", () => {
  it("finds no undeclared import", () => {
    expect(undeclaredImports()).toEqual([]);
  });

  it("reads import specifiers of every form", () => {
    const text = [
      'import { a } from "@platform/network";',
      'import type { B } from "@cdktf/provider-aws/lib/vpc";',
      'export { c } from "zod";',
      // Split so this file's own scan does not read it as an import of esbuild.
      'const d = await imp' + 'ort("esbuild");',
      'import "./side-effect";',
      'import { e } from "node:fs";',
      'import { f } from "path";',
    ].join("\n");
    expect(importedPackages(text).sort()).toEqual(["@cdktf/provider-aws", "@platform/network", "esbuild", "zod"]);
  });
});
