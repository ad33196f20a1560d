import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const compileCache = pathToFileURL(resolve(import.meta.dirname, "../compile-cache.mjs")).href;

/** A fresh node process that enables the cache, then requires `main.cjs` of `dir`. */
function load(dir: string, cache: string): { value: Record<string, unknown>; stats: { hits: number; misses: number } } {
  const runner = [
    `import { createRequire } from "node:module";`,
    `import { enableCompileCache } from ${JSON.stringify(compileCache)};`,
    `const cache = enableCompileCache(${JSON.stringify(cache)});`,
    `const value = createRequire(${JSON.stringify(join(dir, "runner.mjs"))})("./main.cjs");`,
    `console.log(JSON.stringify({ value, stats: cache.stats() }));`,
  ].join("\n");
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", runner], { encoding: "utf8" });
  expect(child.stderr).toBe("");
  expect(child.status).toBe(0);
  return JSON.parse(child.stdout);
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "compile-cache-src-"));
  writeFileSync(join(dir, "dep.cjs"), "exports.greeting = 'hello';\n");
  writeFileSync(
    join(dir, "main.cjs"),
    [
      "const dep = require('./dep.cjs');",
      "module.exports = {",
      "  greeting: dep.greeting, filename: __filename, dirname: __dirname,",
      "  resolved: require.resolve('./dep.cjs'), cached: Object.keys(require.cache).includes(require.resolve('./dep.cjs')),",
      "  thisIsExports: this === exports,",
      "};",
    ].join("\n"),
  );
  return dir;
}

describe("enableCompileCache", () => {
  it("runs each module as Node would, from cached code on the second load", () => {
    const dir = project();
    const cache = mkdtempSync(join(tmpdir(), "compile-cache-"));
    const expected = {
      greeting: "hello",
      filename: join(dir, "main.cjs"),
      dirname: dir,
      resolved: join(dir, "dep.cjs"),
      cached: true,
      thisIsExports: true,
    };
    const first = load(dir, cache);
    expect(first).toEqual({ value: expected, stats: { hits: 0, misses: 2 } });
    expect(load(dir, cache)).toEqual({ value: expected, stats: { hits: 2, misses: 0 } });
  });

  it("compiles an edited file afresh and keeps the unchanged one's cache", () => {
    const dir = project();
    const cache = mkdtempSync(join(tmpdir(), "compile-cache-"));
    load(dir, cache);
    writeFileSync(join(dir, "dep.cjs"), "exports.greeting = 'hallo';\n");
    const edited = load(dir, cache);
    expect(edited.value.greeting).toBe("hallo");
    expect(edited.stats).toEqual({ hits: 1, misses: 1 });
  });

  it("compiles afresh when a cache entry is damaged, and rewrites it", () => {
    const dir = project();
    const cache = mkdtempSync(join(tmpdir(), "compile-cache-"));
    load(dir, cache);
    const entries = join(cache, readdirSync(cache)[0]!);
    for (const [i, f] of readdirSync(entries).entries()) writeFileSync(join(entries, f), i === 0 ? "" : "\u0005\u0000xy");
    expect(load(dir, cache)).toMatchObject({ value: { greeting: "hello" }, stats: { hits: 0, misses: 2 } });
    expect(load(dir, cache).stats).toEqual({ hits: 2, misses: 0 });
  });
});
