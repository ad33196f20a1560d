import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeAll } from "../../apps/main";

/** Synthesizes every environment (policy pack included) into a fresh temporary folder and returns it. */
export function synthAllToTemp(): string {
  const outdir = mkdtempSync(join(tmpdir(), "platform-synth-"));
  synthesizeAll({ outdir });
  return outdir;
}
