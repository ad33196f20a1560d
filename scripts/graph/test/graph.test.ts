import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { graphSection, readStackGraph, replaceGraphSection, toMermaid } from "../graph";
import { deployWaves, withDependents } from "../../shared/manifest";
import { sharedSynthAll } from "../../shared/synth-all";

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
  const graph = readStackGraph(sharedSynthAll());

  it("has one wave per dependency level and an edge per cross-stack reference", () => {
    for (const edge of graph.edges) {
      const waveOf = (s: string) => graph.waves.findIndex((w) => w.includes(s));
      expect(waveOf(edge.from), `${edge.from} -> ${edge.to}`).toBeLessThan(waveOf(edge.to));
    }
    expect(toMermaid(graph)).toContain("flowchart LR");
  });

  it("orders database before compute by a declared dependency, drawn dashed, with no values", () => {
    for (const env of ["staging", "prod"]) {
      const edge = graph.edges.find((e) => e.from === `${env}-database` && e.to === `${env}-compute`);
      expect(edge, `${env}-database -> ${env}-compute`).toEqual({ from: `${env}-database`, to: `${env}-compute`, values: [] });
      expect(toMermaid(graph)).toContain(`  ${env}_database -.->|"depends on"| ${env}_compute`);
    }
    const withValues = graph.edges.filter((e) => e.values.length > 0);
    expect(withValues.length).toBeGreaterThan(graph.edges.length / 2);
    for (const edge of withValues) expect(toMermaid(graph)).toContain(`${edge.from.replace(/-/g, "_")} -->|`);
  });

  it("is what the README shows (run `pnpm graph` when this fails)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(replaceGraphSection(readme, graphSection(graph))).toBe(readme);
  });
});
