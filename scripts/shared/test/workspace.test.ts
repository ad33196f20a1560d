import { readFileSync, readdirSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const projects = ["apps", "packages"].flatMap((dir) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name)),
);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "__snapshots__" ? [] : sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("workspace", () => {
  it.each(["cdktf", "constructs", "@cdktf/provider-aws/lib/provider"])(
    "resolves one copy of %s from every package (cdktf's instanceof checks depend on it)",
    (name) => {
      const root = realpathSync(createRequire(join(process.cwd(), "package.json")).resolve(name));
      for (const project of projects) {
        const resolved = realpathSync(createRequire(join(process.cwd(), project, "package.json")).resolve(name));
        expect(resolved, project).toBe(root);
      }
    },
  );

  it("pins cdktf, constructs and the AWS provider exactly", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toMatchObject({ cdktf: "0.21.0", constructs: "10.4.2", "@cdktf/provider-aws": "20.1.0" });
  });

  it("imports provider classes by deep path only (the package root costs ~8 s and ~670 MB)", () => {
    const offenders = ["apps", "packages", "scripts", "test"]
      .flatMap(sourceFiles)
      .filter((file) => /from\s+["']@cdktf\/provider-aws["']|require\(["']@cdktf\/provider-aws["']\)/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
