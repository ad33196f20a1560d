/**
 * The cross-stack contract tests every environment app runs: the committed contract file, and
 * the rules no environment may break (no region/partition/account between stacks, every
 * ordering explained, database before compute by a declared dependency).
 */
import { join } from "node:path";
import { ENVIRONMENT_LOOKUPS, environmentOutputs, synthesizeContract, unexplainedEdges } from "@platform/core/testing";
import type { App } from "cdktf";
import { describe, expect, it } from "vitest";

/** `testDir` holds the committed `cross-stack-contract.json` of the environment `env`. */
export function describeCrossStackContract(env: string, build: (app: App) => void, testDir: string): void {
  const result = synthesizeContract(build);
  const { outputs, dependencies } = result.contract;

  describe(`${env} cross-stack contract`, () => {
    it("is the reviewed one: every output another stack reads, its producer and consumers (a change here is a contract change)", async () => {
      await expect(JSON.stringify(result.contract, null, 2) + "\n").toMatchFileSnapshot(join(testDir, "cross-stack-contract.json"));
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
      const [compute, database] = [`${env}-compute`, `${env}-database`];
      expect(dependencies).toContainEqual(expect.objectContaining({ consumer: compute, producer: database }));
      expect(result.manifestEdges).toContainEqual({ consumer: compute, producer: database });
      expect(outputs.filter((o) => o.producer === database && o.consumers.includes(compute))).toEqual([]);
    });
  });
}
