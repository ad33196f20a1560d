/**
 * The terraform tier's proof of an adoption, shared by the staging and prod fixtures: the stacks
 * are checked offline (producers' planned outputs feed consumers, as in tf:check), then each is
 * planned again with `-refresh=false` on the state an import would record (the matched legacy
 * resources at the new addresses).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Adoption } from "../../scripts/adopt/match";
import { newStackStates } from "../../scripts/adopt/state-mv";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import { OFFLINE_ENV, prepareOfflineTerraform, runTerraform } from "../../scripts/shared/terraform";
import { planStacksOnce } from "./plan-once";

export interface AdoptedPlans {
  readonly checks: StackCheck[];
  /** Stack → its `terraform show -json` plan on the adopted state. */
  readonly plans: Map<string, string>;
}

export async function planOnAdoptedStates(adoption: Adoption, outdir: string, workRoot: string, stacks: readonly string[]): Promise<AdoptedPlans> {
  const checks = await planStacksOnce(outdir, { workRoot, stacks });
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) throw new Error(`offline check failed: ${failed.map((c) => `${c.stack}: ${c.error}`).join("\n")}`);
  // The working copies checkStacks leaves are run through the unpacked provider, with no init.
  const setup = await prepareOfflineTerraform(workRoot);
  const states = newStackStates(adoption);
  const plans = new Map<string, string>();
  for (const stack of stacks) {
    const dir = join(workRoot, "stacks", stack);
    writeFileSync(join(dir, "offline.tfstate"), states.get(stack)!);
    const plan = await runTerraform(setup, dir, ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=adopt.tfplan"], OFFLINE_ENV);
    if (plan.code !== 0) throw new Error(`${stack}: plan on the adopted state failed:\n${plan.stderr}`);
    const show = await runTerraform(setup, dir, ["show", "-json", "adopt.tfplan"], OFFLINE_ENV);
    const file = join(dir, `${stack}.adopt.json`);
    writeFileSync(file, show.stdout);
    plans.set(stack, file);
  }
  return { checks, plans };
}
