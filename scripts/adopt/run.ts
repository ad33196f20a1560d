/** `pnpm adopt`: read, match, report; then write imports or the moved states when asked. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readLiveStates, type EnvironmentPlace } from "./live-state";
import { matchResources, type Adoption } from "./match";
import { readOurStacks } from "./ours";
import { importsByStack } from "./imports";
import { backupFolder, newStackStates, remainingOldStates } from "./state-mv";
import { statefulReplacements } from "./guard";

export interface AdoptOptions {
  readonly place: EnvironmentPlace;
  /** The folder of pulled states (one per unit) or a single state file. */
  readonly from: string;
  /** Synth output with the environment's stacks. */
  readonly outdir: string;
}

/** Reads and pairs; throws AdoptInputError on bad input. */
export function planAdoption(options: AdoptOptions): Adoption {
  const units = readLiveStates(options.from, options.place);
  return matchResources(options.place.name, readOurStacks(options.outdir, options.place.name), units);
}

/** Thrown when writing would lead to a plan that loses a stateful resource. */
export class AdoptRefusedError extends Error {
  constructor(readonly resources: readonly string[]) {
    super(`adopt refuses: the first plan would destroy or replace stateful resources:\n${resources.map((r) => `  - ${r}`).join("\n")}`);
    this.name = "AdoptRefusedError";
  }
}

/** Writes `<importsDir>/<stack>.json` per stack; returns the files written. */
export function writeImports(a: Adoption, importsDir: string): string[] {
  const refused = statefulReplacements(a);
  if (refused.length > 0) throw new AdoptRefusedError(refused);
  const written: string[] = [];
  for (const [stack, entries] of importsByStack(a)) {
    const file = join(importsDir, `${stack}.json`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

/**
 * The state-mv mode: backs up `from`, writes `<stateOut>/<stack>.tfstate` per stack and
 * rewrites each old unit's state without what moved. Returns the backup folder.
 */
export function writeMovedStates(a: Adoption, from: string, stateOut: string, stamp: string): { backup: string; written: string[] } {
  const refused = statefulReplacements(a);
  if (refused.length > 0) throw new AdoptRefusedError(refused);
  if (!existsSync(from)) throw new Error(`${from}: missing`);
  const backup = backupFolder(from, stamp);
  const written: string[] = [];
  mkdirSync(stateOut, { recursive: true });
  for (const [stack, text] of newStackStates(a)) {
    const file = join(stateOut, `${stack}.tfstate`);
    writeFileSync(file, text);
    written.push(file);
  }
  for (const [file, text] of remainingOldStates(a)) {
    writeFileSync(file, text);
    written.push(file);
  }
  return { backup, written };
}
