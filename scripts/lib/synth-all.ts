import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeApp } from "@platform/core";
import { buildAll } from "../../apps/main";

/** Synthesizes every environment into a fresh temporary folder and returns it. */
export function synthAllToTemp(): string {
  const outdir = mkdtempSync(join(tmpdir(), "platform-synth-"));
  synthesizeApp(buildAll, { outdir });
  return outdir;
}
