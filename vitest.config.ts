import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const TERRAFORM_TEST_FILES = readdirSync(new URL("test/terraform/", import.meta.url)).filter((name) => name.endsWith(".test.ts")).length;

// Two projects: fast synth/unit tests, and the terraform tier (validate + offline plan of
// every stack of every environment), which needs the terraform binary and the AWS provider.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          // One module graph per worker, not per file: cdktf and the AWS provider load once per
          // worker, and apps synthesized by several files are synthesized once (synthAppStacks).
          // The tests share no mutable state (shuffled runs pass: --sequence.shuffle).
          isolate: false,
          // vitest's default leaves one core to its main process (1 worker on 2 cores); the main
          // process is nearly idle once files are transformed, so use every core.
          maxWorkers: availableParallelism(),
          // GitHub's workflow parser imports its schema JSON without an import attribute, which
          // Node's loader refuses; pre-bundled by vite (once, cached in node_modules/.vite), tests
          // call the parser in-process.
          deps: { optimizer: { ssr: { enabled: true, include: ["@actions/workflow-parser"] } } },
          include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "scripts/**/test/**/*.test.ts", "test/seeds/**/*.test.ts"],
          environment: "node",
          pool: "forks",
          // First: the terraform tier's warm-up plans in the background meanwhile (global-setup.ts).
          sequence: { groupOrder: 0 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "terraform",
          include: ["test/terraform/**/*.test.ts"],
          globalSetup: ["test/terraform/global-setup.ts"],
          setupFiles: ["test/terraform/setup-shared-planner.ts"],
          // Every file at once: a file mostly waits for terraform, and the batches of files that
          // wait together are planned in one terraform run (scripts/tf-check/shared-planner.ts).
          // With fewer workers, a clean clone (no vitest timing cache: files in name order) left
          // pipeline-plan's chain of CI plans for last, with a core idle. Cold `pnpm test` on 2
          // cores: 182–205 s and 23–24 planner runs with 11 workers, 200–212 s and 29–30 with 7.
          maxWorkers: TERRAFORM_TEST_FILES,
          environment: "node",
          pool: "forks",
          // After the unit files, which fill the cores while the warm-up plans.
          sequence: { groupOrder: 1 },
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
