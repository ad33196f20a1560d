import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, EnvironmentStack, synthesizeApp } from "../src/index";
import { testEnvironment } from "../src/testing";

describe("synthesizeApp beforeWrite", () => {
  const build = (app: Parameters<Parameters<typeof synthesizeApp>[0]>[0]) => {
    new EnvironmentStack(app, { environment: testEnvironment(), layer: "unit" });
  };

  it("runs before anything is written and a throw leaves no output", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "before-write-")), "out");
    let sawOutput: boolean | undefined;
    expect(() =>
      synthesizeApp(build, {
        outdir,
        beforeWrite: () => {
          sawOutput = existsSync(join(outdir, "manifest.json"));
          throw new ConfigError([{ field: "policy", fix: "a finding" }]);
        },
      }),
    ).toThrow(/a finding/);
    expect(sawOutput).toBe(false);
    expect(existsSync(outdir) ? readdirSync(outdir, { recursive: true }) : []).toEqual([]);
  });

  it("writes as usual when it passes", () => {
    const outdir = join(mkdtempSync(join(tmpdir(), "before-write-")), "out");
    let calls = 0;
    synthesizeApp(build, { outdir, beforeWrite: () => void calls++ });
    expect(calls).toBe(1);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(true);
  });
});
