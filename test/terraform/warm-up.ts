/**
 * The warm-up (global-setup.ts) runs in vitest's main process while the unit project's files
 * run, and says it is over by writing a marker file whose path it provides to the workers. A file
 * of the terraform tier that plans through the plan cache waits for that marker first.
 */
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The file the warm-up writes when it is over (its absence means: still running). Empty without a warm-up. */
    warmUpDone: string;
  }
}

/** Resolves once the warm-up is over, or at once when there is none (a file run without the tier's global setup). */
export async function warmUpFinished(): Promise<void> {
  const marker = inject("warmUpDone");
  if (!marker) return;
  while (!existsSync(marker)) await sleep(250);
}
