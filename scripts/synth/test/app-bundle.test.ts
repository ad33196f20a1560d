import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appBundle } from "../app-bundle.mjs";

/** An app entry importing a file of its own, and a cache folder for it alone. */
function app(): { entry: string; dep: string; cacheDir: string } {
  const dir = mkdtempSync(join(tmpdir(), "app-bundle-src-"));
  const dep = join(dir, "dep.ts");
  writeFileSync(dep, 'export const name: string = "first";\n');
  const entry = join(dir, "main.ts");
  writeFileSync(entry, 'export { name } from "./dep";\n');
  return { entry, dep, cacheDir: mkdtempSync(join(tmpdir(), "app-bundle-cache-")) };
}

describe("appBundle", () => {
  it("reuses the bundle while its inputs are unchanged, even when they were only touched", async () => {
    const { entry, dep, cacheDir } = app();
    const first = await appBundle({ entry, cacheDir });
    expect(first.rebuilt).toBe(true);
    expect(await appBundle({ entry, cacheDir })).toEqual({ file: first.file, rebuilt: false });
    const later = new Date(Date.now() + 60_000);
    utimesSync(dep, later, later);
    expect((await appBundle({ entry, cacheDir })).rebuilt).toBe(false);
    expect((await appBundle({ entry, cacheDir })).rebuilt).toBe(false);
  });

  it("rebuilds when an imported file changed", async () => {
    const { entry, dep, cacheDir } = app();
    await appBundle({ entry, cacheDir });
    writeFileSync(dep, 'export const name: string = "second";\n');
    const changed = await appBundle({ entry, cacheDir });
    expect(changed.rebuilt).toBe(true);
    expect(readFileSync(changed.file, "utf8")).toContain('"second"');
  });

  it("rebuilds when the bundle file is missing", async () => {
    const { entry, cacheDir } = app();
    const first = await appBundle({ entry, cacheDir });
    rmSync(first.file);
    expect((await appBundle({ entry, cacheDir })).rebuilt).toBe(true);
    expect(readFileSync(first.file, "utf8")).toContain('"first"');
  });
});
