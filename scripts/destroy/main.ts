/**
 * Tear an environment down (docs/runbooks/teardown.md).
 *
 *   pnpm destroy staging --plan                 plan -destroy of every stack, reverse waves; deletes nothing
 *   pnpm destroy staging                        destroy (teardown: "allowed" in its config)
 *   pnpm destroy prod --confirm prod            a protected environment: type its name
 *
 * Options:
 *   --outdir DIR        synth output (default cdktf.out; run `pnpm synth` first)
 *   --plan              `terraform plan -destroy` only, and print the SSM parameters it would delete
 *   --confirm ENV       required for every environment whose config does not set teardown: "allowed"
 *
 * Credentials come from the shell (AWS_PROFILE …), variables without defaults from TF_VAR_… or
 * the git-ignored *.auto.tfvars next to the stack, as for a deploy. Exit status 1 when a stack
 * failed (later waves are not started: their producers are still needed) or on bad input.
 */
import { resolve, join } from "node:path";
import { tmpdir } from "node:os";
import { parseArgs } from "node:util";
import { SSMClient } from "@aws-sdk/client-ssm";
import { prod } from "../../apps/prod/src/config";
import { staging } from "../../apps/staging/src/config";
import { stackDir } from "../deploy/ci-terraform";
import { usesLocalState } from "../changed-stacks/changed-stacks";
import { readManifest } from "../shared/manifest";
import { mapLimit } from "../shared/pool";
import { prepareTerraform, runTerraform } from "../shared/terraform";
import { destroyArgs, destroyRefusal, destroyWaves, destroyedCount, lambdaWrittenParameters, removeLambdaWrites, type TeardownMode } from "./destroy";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    outdir: { type: "string", default: "cdktf.out" },
    plan: { type: "boolean", default: false },
    confirm: { type: "string" },
  },
});

const environment = positionals[0];
if (!environment) {
  console.error("usage: pnpm destroy <environment> [--plan] [--confirm <environment>] (see scripts/destroy/main.ts)");
  process.exit(1);
}
const plans = Object.fromEntries([staging, prod].map((p) => [p.environment.name, (p.teardown ?? "protected") as TeardownMode]));
const planOnly = values.plan!;
const refusal = destroyRefusal(environment, plans[environment], { confirm: values.confirm, planOnly });
if (refusal) {
  console.error(`refused: ${refusal}`);
  process.exit(1);
}

const outdir = resolve(values.outdir!);
const manifest = readManifest(outdir);
const local = new Set(Object.keys(manifest.stacks).filter((s) => usesLocalState(outdir, manifest, s)));
const waves = destroyWaves(manifest, environment, local);
if (waves.length === 0) {
  console.error(`no stacks of environment ${environment} in ${outdir}/manifest.json: run \`pnpm synth\` first`);
  process.exit(1);
}
console.log(`${planOnly ? "plan -destroy" : "destroy"} of ${environment}, in this order:\n${waves.map((w, i) => `  ${i + 1}. ${w.join(", ")}`).join("\n")}`);

const setup = prepareTerraform(join(tmpdir(), "platform-ci-terraform"));
let failed = false;
for (const wave of waves) {
  await mapLimit(wave, 2, async (stack) => {
    const dir = stackDir(outdir, stack);
    const init = await runTerraform(setup, dir, ["init", "-input=false", "-no-color"]);
    const run = init.code === 0 ? await runTerraform(setup, dir, destroyArgs(planOnly)) : init;
    const output = run.stdout + run.stderr;
    if (run.code !== 0) {
      failed = true;
      console.error(`FAILED ${stack}:\n${output.trim().split("\n").slice(-25).join("\n")}`);
      return;
    }
    console.log(`${planOnly ? "planned" : "destroyed"} ${stack}: ${destroyedCount(output) ?? "?"} resource(s)`);
  });
  // A producer stays while a consumer of it failed to go: its outputs are still read.
  if (failed) break;
}
if (failed) {
  console.error("stopped: fix the failed stack and run the same command again (finished stacks plan no changes)");
  process.exit(1);
}

const parameters = lambdaWrittenParameters(outdir, manifest, environment);
const region = [staging, prod].find((p) => p.environment.name === environment)!.environment.region;
await removeLambdaWrites(new SSMClient({ region }), parameters, { dryRun: planOnly, log: (line) => console.log(line) });
console.log(planOnly ? "plan only: nothing was deleted" : `${environment} is torn down`);
