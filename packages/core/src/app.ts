import { existsSync, readdirSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { IConstruct } from "constructs";
import { ConfigError } from "./errors";

export interface SynthesizeOptions {
  /**
   * Output directory.
   * @default `CDKTF_OUTDIR` when the cdktf CLI runs us, else `cdktf.out`
   */
  readonly outdir?: string;
  /**
   * Runs after every construct validation and before anything is written; throw (e.g. a
   * ConfigError listing every problem) to fail the synth with nothing written. The apps pass
   * the policy pack here: core does not depend on it.
   */
  readonly beforeWrite?: (app: App) => void;
}

/**
 * Builds every stack, runs every construct validation, and only then writes.
 * cdktf validates stack by stack while writing, so a late error would leave some stacks
 * new and others stale; validating first means a bad config writes nothing.
 */
export function synthesizeApp(build: (app: App) => void, options: SynthesizeOptions = {}): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  try {
    build(app);
    assertValid(app);
    options.beforeWrite?.(app);
  } catch (error) {
    // cdktf creates the output folders up front; leave no trace of a failed synth.
    removeEmptyFolders(app.outdir);
    throw error;
  }
  app.synth();
  return app;
}

function removeEmptyFolders(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
  }
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

/** Throws a ConfigError listing every failed construct validation under `root`. */
export function assertValid(root: IConstruct): void {
  const issues = root.node
    .findAll()
    .flatMap((c) => c.node.validate().map((message) => ({ field: c.node.path, fix: message })));
  if (issues.length > 0) throw new ConfigError(issues);
}
