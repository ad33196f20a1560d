import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firstCallAlone, mapWarmingPluginCache, type TerraformSetup } from "../terraform";

/** Records start/end events of overlapping async tasks. */
function recorder() {
  const events: string[] = [];
  const task = async (name: string) => {
    events.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, 10));
    events.push(`end ${name}`);
  };
  return { events, task };
}

const setupWith = (cached: boolean): TerraformSetup => {
  const dir = mkdtempSync(join(tmpdir(), "plugin-cache-"));
  if (cached) mkdirSync(join(dir, "registry.terraform.io", "hashicorp", "aws"), { recursive: true });
  return { binary: "terraform", cliConfigFile: join(dir, "rc"), mirror: undefined, pluginCacheDir: dir };
};

describe("parallel terraform inits and an empty plugin cache", () => {
  it("runs the first stack alone while the cache holds no AWS provider, then the rest in parallel", async () => {
    const { events, task } = recorder();
    await mapWarmingPluginCache(setupWith(false), ["a", "b", "c"], 2, task);
    expect(events.slice(0, 2)).toEqual(["start a", "end a"]);
    expect(events.slice(2, 4)).toEqual(["start b", "start c"]);
  });

  it("runs everything in parallel once the cache holds the provider", async () => {
    const { events, task } = recorder();
    await mapWarmingPluginCache(setupWith(true), ["a", "b"], 2, task);
    expect(events.slice(0, 2)).toEqual(["start a", "start b"]);
  });

  it("firstCallAlone lets later calls start only after the first finished, even if it failed", async () => {
    const events: string[] = [];
    const guarded = firstCallAlone(async (name: string) => {
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 10));
      events.push(`end ${name}`);
      if (name === "a") throw new Error("init failed");
      return name;
    });
    const results = await Promise.allSettled([guarded("a"), guarded("b"), guarded("c")]);
    expect(events.slice(0, 2)).toEqual(["start a", "end a"]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
  });
});
