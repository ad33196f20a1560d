/** Child process of the benchmark: synthesizes everything and reports its own time and peak memory. */
import { synthAllToTemp } from "../shared/synth-all";

const started = performance.now();
const outdir = synthAllToTemp();
const synthMs = performance.now() - started;
console.log(JSON.stringify({ outdir, synthMs, maxRssKiB: process.resourceUsage().maxRSS }));
