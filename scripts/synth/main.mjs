/**
 * `pnpm synth`: every environment into cdktf.out/, from a cached esbuild bundle of apps/main.ts
 * run by plain node (rebuilt only when a source file changed). `cdktf synth` (cdktf.json) still
 * runs apps/main.ts through tsx and writes the same output.
 *
 *   pnpm synth [--outdir dir]
 */
import { parseArgs } from "node:util";
import { loadApp } from "./app-bundle.mjs";

const { values } = parseArgs({ options: { outdir: { type: "string" } } });
const app = await loadApp({ log: (line) => console.error(line) });
app.synthesizeAll(values.outdir ? { outdir: values.outdir } : {});
