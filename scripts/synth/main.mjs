/**
 * `pnpm synth`: every environment into cdktf.out/, from a cached esbuild bundle of apps/main.ts
 * run by plain node (rebuilt only when a source file changed). `cdktf synth` (cdktf.json) still
 * runs apps/main.ts through tsx and writes the same output.
 *
 *   pnpm synth [--outdir dir]
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadApp } from "./app-bundle.mjs";
import { shareBinaryVersionChecks } from "./binary-version-checks.mjs";

const { values } = parseArgs({ options: { outdir: { type: "string" } } });
// First, so `terraform version` runs on the other core while the app loads; the synth below is
// synchronous, so its output is collected before it starts.
const versionChecks = shareBinaryVersionChecks(fileURLToPath(new URL("../../package.json", import.meta.url)));
const app = await loadApp({ log: (line) => console.error(line) });
await versionChecks.prefetched;
app.synthesizeAll(values.outdir ? { outdir: values.outdir } : {});
