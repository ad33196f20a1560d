import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * Loads the inlined workflow parser (see `server.deps.inline` below) without its source-map
 * comments: its package ships the maps but not the sources they name, and vite would warn
 * about every file on every run.
 */
const workflowParserWithoutSourceMaps: Plugin = {
  name: "workflow-parser-without-source-maps",
  load(id) {
    if (!/\/@actions\/workflow-parser\/dist\/.*\.js$/.test(id)) return null;
    return readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, "");
  },
};

// Two projects: fast synth/unit tests, and the terraform tier (validate + offline plan of
// every stack of every environment), which needs the terraform binary and the AWS provider.
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [workflowParserWithoutSourceMaps],
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
          // Node's loader refuses; inlined, vite's loader reads it, so tests call the parser in-process.
          server: { deps: { inline: ["@actions/workflow-parser"] } },
          include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "scripts/**/test/**/*.test.ts", "test/seeds/**/*.test.ts"],
          environment: "node",
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "terraform",
          include: ["test/terraform/**/*.test.ts"],
          environment: "node",
          pool: "forks",
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
