import {
  ENVIRONMENT_LOOKUPS,
  environmentOutputs,
  synthesizeContract,
  unexplainedEdges,
} from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildProd } from "../src/main";

const result = synthesizeContract((app) => {
  buildProd(app);
});
const { outputs, dependencies } = result.contract;

describe("prod cross-stack contract", () => {
  it("is the reviewed one: every output another stack reads, its producer and consumers (a change here is a contract change)", async () => {
    await expect(JSON.stringify(result.contract, null, 2) + "\n").toMatchFileSnapshot("./cross-stack-contract.json");
  });

  it("exports only outputs some stack reads", () => {
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.filter((o) => o.consumers.length === 0)).toEqual([]);
  });

  it("never passes region, partition or account between stacks, and no stack looks them up", () => {
    expect(environmentOutputs(result.contract)).toEqual([]);
    for (const [stack, types] of Object.entries(result.dataSourceTypes)) {
      expect(types.filter((t) => (ENVIRONMENT_LOOKUPS as readonly string[]).includes(t)), stack).toEqual([]);
    }
  });

  it("explains every ordering in manifest.json by an output read or a declared dependency", () => {
    expect(result.manifestEdges.length).toBeGreaterThan(0);
    expect(unexplainedEdges(result)).toEqual([]);
  });

  it("deploys the database before compute by a declared dependency, not through an output", () => {
    expect(dependencies).toContainEqual(expect.objectContaining({ consumer: "prod-compute", producer: "prod-database" }));
    expect(result.manifestEdges).toContainEqual({ consumer: "prod-compute", producer: "prod-database" });
    expect(outputs.filter((o) => o.producer === "prod-database" && o.consumers.includes("prod-compute"))).toEqual([]);
  });
});
