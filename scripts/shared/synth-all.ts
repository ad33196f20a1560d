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

let shared: string | undefined;

/**
 * One synth of every environment per test worker, for tests that only read the folder (never
 * write into it, never run terraform in it): `synthAllToTemp` for those that do.
 */
export function sharedSynthAll(): string {
  shared ??= synthAllToTemp();
  return shared;
}
