import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PlanCache } from "../plan-cache";

/** `echo` stands in for terraform: its "version" line is part of every key. */
const ECHO = "/bin/echo";

describe("PlanCache", () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

  function synth(stacks: Record<string, { json: object; dependencies?: string[]; asset?: string }>): string {
    const outdir = mkdtempSync(join(tmpdir(), "plan-cache-"));
    roots.push(outdir);
    for (const [name, s] of Object.entries(stacks)) {
      mkdirSync(join(outdir, "stacks", name, "assets"), { recursive: true });
      writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(s.json));
      if (s.asset) writeFileSync(join(outdir, "stacks", name, "assets", "handler.zip"), s.asset);
    }
    return outdir;
  }
  const manifest = (deps: Record<string, string[]>) =>
    Object.fromEntries(Object.entries(deps).map(([name, dependencies]) => [name, { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: "", dependencies }]));

  function cacheFor(outdir: string, cacheDir: string, deps: Record<string, string[]>): PlanCache {
    const cache = new PlanCache(cacheDir, ECHO);
    cache.keyAll(outdir, manifest(deps), Object.keys(deps));
    return cache;
  }

  it("returns a stored plan for the same inputs, and misses when the stack, an asset or a producer changes", () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "plan-cache-store-"));
    roots.push(cacheDir);
    const deps = { net: [], app: ["net"] };
    const base = synth({ net: { json: { a: 1 } }, app: { json: { b: 1 }, asset: "v1" } });
    const planFile = join(base, "plan.json");
    writeFileSync(planFile, '{"format_version":"1.2"}');

    const first = cacheFor(base, cacheDir, deps);
    expect(first.get("app")).toBeUndefined();
    first.put("net", { stack: "net", ok: true }, planFile);
    first.put("app", { stack: "app", ok: true }, planFile);

    const same = cacheFor(synth({ net: { json: { a: 1 } }, app: { json: { b: 1 }, asset: "v1" } }), cacheDir, deps);
    expect(same.get("app")?.result).toEqual({ stack: "app", ok: true });

    const producerChanged = cacheFor(synth({ net: { json: { a: 2 } }, app: { json: { b: 1 }, asset: "v1" } }), cacheDir, deps);
    expect([producerChanged.get("net"), producerChanged.get("app")]).toEqual([undefined, undefined]);

    const assetChanged = cacheFor(synth({ net: { json: { a: 1 } }, app: { json: { b: 1 }, asset: "v2" } }), cacheDir, deps);
    expect(assetChanged.get("net")).toBeDefined();
    expect(assetChanged.get("app")).toBeUndefined();
  });

  it("refuses to key a consumer before its producer", () => {
    const outdir = synth({ net: { json: {} }, app: { json: {} } });
    expect(() => new PlanCache(join(outdir, "cache"), ECHO).keyAll(outdir, manifest({ net: [], app: ["net"] }), ["app", "net"])).toThrow(
      "app: producer net has no key yet",
    );
  });
});
