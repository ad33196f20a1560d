import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderRuleTable } from "../src";

describe("README", () => {
  it("lists every rule with its anchors (regenerate the table with renderRuleTable())", () => {
    expect(readFileSync(new URL("../README.md", import.meta.url), "utf8")).toContain(renderRuleTable());
  });
});
