import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { bundleFromDisk, esbuildRunCount } from "../src/bundle";

// Counts real esbuild builds, so a test can tell a cache hit from a rebuild with the same output.
let buildsBefore = 0;
const builds = () => esbuildRunCount() - buildsBefore;

/** A handler importing a dependency file, with a value no other test bundles. */
function handlerFolder(): { dir: string; entry: string; dep: string; token: string } {
  const dir = mkdtempSync(join(tmpdir(), "bundle-cache-src-"));
  const token = randomUUID();
  const dep = join(dir, "dep.ts");
  writeFileSync(dep, `export const greeting = "${token}";\n`);
  const entry = join(dir, "handler.ts");
  writeFileSync(entry, 'import { greeting } from "./dep";\nexport const handler = async () => greeting;\n');
  return { dir, entry, dep, token };
}

const recordFile = (cache: string) => join(cache, readdirSync(cache).find((f) => f.endsWith(".json"))!);

describe("bundle cache", () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), "bundle-cache-"));
    process.env.PLATFORM_BUNDLE_CACHE = cache;
    buildsBefore = esbuildRunCount();
    return () => {
      delete process.env.PLATFORM_BUNDLE_CACHE;
      rmSync(cache, { recursive: true, force: true });
    };
  });

  it("serves an unchanged handler from the cache: no build, the same zip file, not rewritten", () => {
    const { entry } = handlerFolder();
    const first = bundleFromDisk(entry);
    const zipBytes = readFileSync(first.zipPath);
    const second = bundleFromDisk(entry);
    expect(builds()).toBe(1);
    expect(second).toEqual(first);
    expect(first.directory.startsWith(cache)).toBe(true);
    expect(readFileSync(second.zipPath).equals(zipBytes)).toBe(true);
  });

  it("rebuilds when the handler's own source changed", () => {
    const { entry, token } = handlerFolder();
    const first = bundleFromDisk(entry);
    writeFileSync(entry, `export const handler = async () => "${token}-changed";\n`);
    const second = bundleFromDisk(entry);
    expect(builds()).toBe(2);
    expect(second.codeHash).not.toBe(first.codeHash);
    expect(readFileSync(join(second.directory, "index.js"), "utf8")).toContain(`${token}-changed`);
  });

  it("rebuilds when a file the handler imports changed", () => {
    const { entry, dep, token } = handlerFolder();
    const first = bundleFromDisk(entry);
    writeFileSync(dep, `export const greeting = "${token}-dep-changed";\n`);
    const second = bundleFromDisk(entry);
    expect(builds()).toBe(2);
    expect(second.codeHash).not.toBe(first.codeHash);
    expect(readFileSync(join(second.directory, "index.js"), "utf8")).toContain(`${token}-dep-changed`);
  });

  it("does not rebuild an input that was only touched (new times, same content)", () => {
    const { entry, dep } = handlerFolder();
    const first = bundleFromDisk(entry);
    const later = new Date(Date.now() + 60_000);
    utimesSync(dep, later, later);
    writeFileSync(entry, readFileSync(entry));
    expect(bundleFromDisk(entry)).toEqual(first);
    expect(bundleFromDisk(entry)).toEqual(first);
    expect(builds()).toBe(1);
  });

  it("rebuilds when the cached zip or index.js was damaged, restoring the same bytes", () => {
    const { entry } = handlerFolder();
    const first = bundleFromDisk(entry);
    const zipBytes = readFileSync(first.zipPath);
    writeFileSync(first.zipPath, zipBytes.subarray(0, 100));
    expect(bundleFromDisk(entry)).toEqual(first);
    expect(readFileSync(first.zipPath).equals(zipBytes)).toBe(true);
    writeFileSync(join(first.directory, "index.js"), "broken");
    expect(bundleFromDisk(entry)).toEqual(first);
    expect(readFileSync(join(first.directory, "index.js"), "utf8")).not.toBe("broken");
    expect(builds()).toBe(3);
  });

  it("rebuilds when the cached output folder or the cache record is missing or corrupt", () => {
    const { entry } = handlerFolder();
    const first = bundleFromDisk(entry);
    rmSync(first.directory, { recursive: true });
    expect(bundleFromDisk(entry)).toEqual(first);
    writeFileSync(recordFile(cache), "{ not json");
    expect(bundleFromDisk(entry)).toEqual(first);
    rmSync(recordFile(cache));
    expect(bundleFromDisk(entry)).toEqual(first);
    expect(builds()).toBe(4);
    expect(bundleFromDisk(entry)).toEqual(first);
    expect(builds()).toBe(4);
  });

  it("writes a fresh build into a new folder of its own, outside the cache", () => {
    const { entry } = handlerFolder();
    const cached = bundleFromDisk(entry);
    const fresh = bundleFromDisk(entry, true);
    expect(builds()).toBe(2);
    expect(fresh.directory).not.toBe(cached.directory);
    expect(fresh.directory.startsWith(cache)).toBe(false);
    expect(fresh.codeHash).toBe(cached.codeHash);
    expect(readFileSync(fresh.zipPath).equals(readFileSync(cached.zipPath))).toBe(true);
  });
});
