/**
 * The main app's synth output for the terraform tier: synthesized once by the warm-up
 * (global-setup.ts) and shared read-only by every file (a file that edits stacks copies them
 * first), so no file pays for loading and synthesizing the app again. Without the warm-up
 * (a file run on its own with terraform missing) it is synthesized here.
 */
import { existsSync } from "node:fs";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Folder of the warm-up's synth of every environment (manifest.json, stacks/…). */
    mainSynth: string;
  }
}

export async function mainSynth(): Promise<string> {
  const provided = inject("mainSynth");
  if (provided && existsSync(provided)) return provided;
  const { synthAllToTemp } = await import("../../scripts/shared/synth-all");
  return synthAllToTemp();
}
