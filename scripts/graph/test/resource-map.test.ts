import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAll } from "../../../apps/main";
import { replaceResourceMapSection, resourceMap, resourceMapSection, type PackageResources } from "../resource-map";

describe("where each kind of resource lives", () => {
  let rows: PackageResources[];
  beforeAll(async () => {
    rows = await resourceMap(buildAll, ["staging", "prod"]);
  });
  const row = (name: string) => rows.find((r) => r.packageName === name)!;

  it("attributes every resource of the app to the package whose construct asked for it", () => {
    expect(rows.map((r) => r.packageName)).not.toContain("(app)");
    expect(row("@platform/network").types).toContain("aws_vpc");
    expect(row("@platform/scheduler").layers).toEqual(["compute"]);
    expect(row("@platform/state").layers).toEqual(["bootstrap"]);
  });

  it("shows the certificate wait in its own stack, apart from the zone", () => {
    expect(row("@platform/edge").layers).toEqual(["certificate", "dns", "edge"]);
  });

  it("is what the README shows (run `pnpm graph` when this fails)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(replaceResourceMapSection(readme, resourceMapSection(rows))).toBe(readme);
  });
});
