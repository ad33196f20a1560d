import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { graphSection, readStackGraph, replaceGraphSection, toMermaid } from "../lib/graph";
import { deployWaves, withDependents } from "../lib/manifest";
import { synthAllToTemp } from "../lib/synth-all";

describe("deployWaves", () => {
  it("puts each stack after its producers and independent stacks together", () => {
    expect(
      deployWaves({
        "s-compute": { dependencies: ["s-network", "s-security", "s-registry"] },
        "s-security": { dependencies: ["s-network"] },
        "s-network": { dependencies: [] },
        "s-registry": { dependencies: [] },
      }),
    ).toEqual([["s-network", "s-registry"], ["s-security"], ["s-compute"]]);
  });

  it("fails on a cycle, naming the stacks", () => {
    expect(() => deployWaves({ a: { dependencies: ["b"] }, b: { dependencies: ["a"] } })).toThrow(/cycle among stacks: a, b/);
  });

  it("fails on a dependency on an unknown stack", () => {
    expect(() => deployWaves({ a: { dependencies: ["zz"] } })).toThrow(/a depends on unknown stack zz/);
  });

  it("finds transitive dependents of changed stacks", () => {
    const stacks = { a: { dependencies: [] }, b: { dependencies: ["a"] }, c: { dependencies: ["b"] }, d: { dependencies: [] } };
    expect(withDependents(stacks, ["a"])).toEqual(["a", "b", "c"]);
    expect(withDependents(stacks, ["d"])).toEqual(["d"]);
  });
});

describe("stack graph of this repository", () => {
  const graph = readStackGraph(synthAllToTemp());

  it("has one wave per dependency level and an edge per cross-stack reference", () => {
    for (const edge of graph.edges) {
      const waveOf = (s: string) => graph.waves.findIndex((w) => w.includes(s));
      expect(waveOf(edge.from), `${edge.from} -> ${edge.to}`).toBeLessThan(waveOf(edge.to));
      expect(edge.values.length, `${edge.from} -> ${edge.to} carries values`).toBeGreaterThan(0);
    }
    expect(toMermaid(graph)).toContain("flowchart LR");
  });

  it("is what the README shows (run `pnpm graph` when this fails)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(replaceGraphSection(readme, graphSection(graph))).toBe(readme);
  });
});
