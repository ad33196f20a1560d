import type { execSync } from "node:child_process";

export interface SharedBinaryVersionChecks {
  /** How many version commands ran synchronously (not answered from a shared output). */
  runs(): number;
  /** Settles when the background `terraform version` ended (or at once without prefetch). */
  readonly prefetched: Promise<void>;
  /** Gives cdktf its own check back. */
  restore(): void;
}
/** Runs each binary's version command once per process for cdktf's version checks. */
export function shareBinaryVersionChecks(
  from: string,
  options?: { readonly prefetch?: boolean; readonly execSync?: typeof execSync },
): SharedBinaryVersionChecks;
