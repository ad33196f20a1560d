import { synthesizeContract } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { buildEnvironment } from "../src/index";
import { minimalConfig, configWith } from "./fixtures";

const web = minimalConfig.compute.services.web!;

/** What cdktf writes for `staging-compute`: the stacks it deploys after, and why where declared. */
function computeOrder(databaseUrl: boolean | undefined) {
  const result = synthesizeContract((app) => {
    buildEnvironment(app, configWith({ compute: { ...minimalConfig.compute, services: { web: { ...web, databaseUrl } } } }));
  });
  return {
    declared: result.contract.dependencies.filter((d) => d.consumer === "staging-compute").map((d) => d.producer),
    after: result.manifestEdges.filter((e) => e.consumer === "staging-compute").map((e) => e.producer),
  };
}

describe("stack order", () => {
  it("deploys the database before compute when a service reads DATABASE_URL, by a declared dependency", () => {
    const order = computeOrder(undefined);
    expect(order.declared).toEqual(["staging-database"]);
    expect(order.after).toContain("staging-database");
  });

  it("does not tie compute to the database when no service reads DATABASE_URL", () => {
    const order = computeOrder(false);
    expect(order.declared).toEqual([]);
    expect(order.after).toEqual(["staging-network", "staging-registry", "staging-security"]);
  });
});
