/**
 * Deploy waves and a Mermaid picture of the stacks and the refs between them, from
 * cdktf.out/manifest.json (replaces `terragrunt graph-dependencies` and `run --all` ordering).
 *
 *   pnpm graph            synthesize, print, and refresh the README section
 *   pnpm graph --check    fail when the README section is stale
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildAll } from "../../apps/main";
import { graphSection, readStackGraph, replaceGraphSection } from "./graph";
import { replaceResourceMapSection, resourceMap, resourceMapSection } from "./resource-map";
import { synthAllToTemp } from "../shared/synth-all";

const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
const section = graphSection(readStackGraph(synthAllToTemp()));
const table = resourceMapSection(await resourceMap(buildAll, ["staging", "prod"]));
const readme = readFileSync("README.md", "utf8");
const updated = replaceResourceMapSection(replaceGraphSection(readme, section), table);
if (values.check) {
  if (updated !== readme) {
    console.error("README.md stack graph or resource map is stale: run `pnpm graph`");
    process.exit(1);
  }
  console.log("README.md stack graph and resource map are current");
} else {
  writeFileSync("README.md", updated);
  console.log(section);
}
