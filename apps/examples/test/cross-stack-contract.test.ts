import { ENVIRONMENT_LOOKUPS, environmentOutputs, synthesizeContract, unexplainedEdges } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildExamples } from "../src/main";

const result = synthesizeContract((app) => {
  buildExamples(app);
});

describe("examples cross-stack contract", () => {
  it("is the reviewed one: each example is self-contained, so no stack reads another's outputs", async () => {
    await expect(JSON.stringify(result.contract, null, 2) + "\n").toMatchFileSnapshot("./cross-stack-contract.json");
    expect(result.contract.outputs).toEqual([]);
    expect(result.manifestEdges).toEqual([]);
  });

  it("never passes region, partition or account between stacks, and no stack looks them up", () => {
    expect(environmentOutputs(result.contract)).toEqual([]);
    for (const [stack, types] of Object.entries(result.dataSourceTypes)) {
      expect(types.filter((t) => (ENVIRONMENT_LOOKUPS as readonly string[]).includes(t)), stack).toEqual([]);
    }
    expect(unexplainedEdges(result)).toEqual([]);
  });
});
