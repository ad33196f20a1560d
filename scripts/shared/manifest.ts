import { readFileSync } from "node:fs";
import { join } from "node:path";

/** One stack as cdktf records it in `cdktf.out/manifest.json`. */
export interface ManifestStack {
  readonly name: string;
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
  readonly dependencies: readonly string[];
}

export interface Manifest {
  readonly outdir: string;
  readonly stacks: Readonly<Record<string, ManifestStack>>;
}

export function readManifest(outdir: string): Manifest {
  const raw = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, ManifestStack>;
  };
  return { outdir, stacks: raw.stacks };
}

/**
 * Groups stacks into deploy waves: every stack comes after all its dependencies, and the
 * stacks of one wave are independent of each other, so they may deploy in parallel.
 * Throws on a cycle (cdktf would refuse it too) or a dependency on an unknown stack.
 */
export function deployWaves(stacks: Readonly<Record<string, { readonly dependencies: readonly string[] }>>): string[][] {
  const remaining = new Map(Object.entries(stacks).map(([name, s]) => [name, new Set(s.dependencies)]));
  for (const [name, deps] of remaining) {
    for (const dep of deps) {
      if (!remaining.has(dep)) throw new Error(`stack ${name} depends on unknown stack ${dep}`);
    }
  }
  const waves: string[][] = [];
  const done = new Set<string>();
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => [...deps].every((d) => done.has(d))).map(([n]) => n);
    if (ready.length === 0) throw new Error(`dependency cycle among stacks: ${[...remaining.keys()].join(", ")}`);
    ready.sort();
    waves.push(ready);
    for (const name of ready) {
      remaining.delete(name);
      done.add(name);
    }
  }
  return waves;
}

/** Stacks that depend on any of `changed`, directly or through other stacks, plus `changed`. */
export function withDependents(
  stacks: Readonly<Record<string, { readonly dependencies: readonly string[] }>>,
  changed: readonly string[],
): string[] {
  const result = new Set(changed);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, s] of Object.entries(stacks)) {
      if (!result.has(name) && s.dependencies.some((d) => result.has(d))) {
        result.add(name);
        grew = true;
      }
    }
  }
  return [...result].sort();
}
