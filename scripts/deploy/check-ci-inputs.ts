/**
 * CI: fail before terraform runs when a stack's required input (a variable without a default,
 * such as the staging ALB allowlist) has no `TF_VAR_<name>`, naming the secret to create.
 *
 *   pnpm exec tsx scripts/deploy/check-ci-inputs.ts --stacks staging-security,staging-compute [--outdir cdktf.out]
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { missingInputsOf } from "./ci-inputs";
import { readManifest } from "../shared/manifest";

const { values } = parseArgs({ options: { stacks: { type: "string", default: "" }, outdir: { type: "string", default: "cdktf.out" } } });
const outdir = resolve(values.outdir!);
const stacks = values.stacks!.split(",").map((s) => s.trim()).filter(Boolean);
const missing = missingInputsOf(outdir, readManifest(outdir), stacks);
for (const line of missing) console.error(`::error::${line}`);
if (missing.length === 0) console.log(`inputs of ${stacks.length} stack(s) present`);
process.exit(missing.length > 0 ? 1 : 0);
