/**
 * `pnpm synth`: every environment into cdktf.out/, from a cached esbuild bundle of apps/main.ts
 * run by plain node (rebuilt only when a source file changed), with V8's compiled code of every
 * module cached too. `cdktf synth` (cdktf.json) still runs apps/main.ts through tsx and writes
 * the same output.
 *
 *   pnpm synth [--outdir dir]
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadApp } from "./app-bundle.mjs";
import { shareBinaryVersionChecks } from "./binary-version-checks.mjs";
import { enableCompileCache } from "./compile-cache.mjs";

const { values } = parseArgs({ options: { outdir: { type: "string" } } });
enableCompileCache(fileURLToPath(new URL("../../node_modules/.cache/synth/compile", import.meta.url)));
// Before the app loads, so `terraform version` runs on the other core meanwhile; the synth
// below is synchronous, so the output is collected before it starts.
const versionChecks = shareBinaryVersionChecks(fileURLToPath(new URL("../../package.json", import.meta.url)));
const app = await loadApp({ log: (line) => console.error(line) });
await versionChecks.prefetched;
app.synthesizeAll(values.outdir ? { outdir: values.outdir } : {});
