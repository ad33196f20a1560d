import { defineConfig } from "vitest/config";

// Two projects: fast synth/unit tests, and the terraform tier (validate + offline plan of
// every stack of every environment), which needs the terraform binary and the AWS provider.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          isolate: false,
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
