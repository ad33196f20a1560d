/**
 * The terraform tier's proof of an adoption, shared by the staging and prod fixtures: the stacks
 * are checked offline (producers' planned outputs feed consumers, as in tf:check), then all are
 * planned again, in one batch, with `-refresh=false` on the states an import would record (the
 * matched legacy resources at the new addresses).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Adoption } from "../../scripts/adopt/match";
import { newStackStates } from "../../scripts/adopt/state-mv";
import type { StackCheck } from "../../scripts/tf-check/offline-check";
import { prepareOfflineTerraform } from "../../scripts/shared/terraform";
import { planBatch } from "../../scripts/tf-check/plan-batch";
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
  // The working copies checkStacks leaves, each on its adopted state, planned in one run.
  const setup = await prepareOfflineTerraform(workRoot);
  const states = newStackStates(adoption);
  const jobs = stacks.map((stack) => {
    const dir = join(workRoot, "stacks", stack);
    const statePath = join(dir, "adopted.tfstate");
    writeFileSync(statePath, states.get(stack)!);
    return { id: stack, stackDir: dir, statePath, remoteState: (producer: string) => join(workRoot, "mocks", `${producer}.tfstate`) };
  });
  const results = await planBatch(setup, jobs, { workDir: join(workRoot, "adopted") });
  const plans = new Map<string, string>();
  for (const stack of stacks) {
    const result = results.get(stack)!;
    if (!result.ok) throw new Error(`${stack}: plan on the adopted state failed:\n${result.error}`);
    const file = join(workRoot, "stacks", stack, `${stack}.adopt.json`);
    writeFileSync(file, JSON.stringify(result.plan));
    plans.set(stack, file);
  }
  return { checks, plans };
}
