/**
 * The cdktf app: every stack of every environment. `cdktf synth` (via cdktf.json) and
 * `pnpm synth` both run this file and write cdktf.out/.
 */
import { pathToFileURL } from "node:url";
import { synthesizeApp, type SynthesizeOptions } from "@platform/core";
import type { App } from "cdktf";
import { policyGate } from "@platform/policy";
import { buildBootstrap } from "./bootstrap/src/main";
import { policyTargets } from "./policy";
import { buildProd } from "./prod/src/main";
import { buildStaging } from "./staging/src/main";

/** Adds every environment's stacks to `app`. */
export function buildAll(app: App): void {
  buildBootstrap(app);
  buildStaging(app);
  buildProd(app);
}

/** Synthesizes every environment; the policy pack runs first, so a finding writes nothing. */
export function synthesizeAll(options: Omit<SynthesizeOptions, "beforeWrite"> = {}): App {
  return synthesizeApp(buildAll, { ...options, beforeWrite: policyGate(policyTargets) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  synthesizeAll();
}
