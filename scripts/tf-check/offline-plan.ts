import { OFFLINE_ENV, runTerraform, type TerraformSetup } from "../shared/terraform";
import { tail } from "./offline-config";

export type OfflinePlanRun = { readonly ok: true; readonly showJson: string } | { readonly ok: false; readonly error: string };

/**
 * The one offline plan of a prepared folder (a working copy, or a batch's root): `plan` with no
 * refresh and no lock (nothing is shared, no account is reached), then `show -json` of it.
 */
export async function planAndShow(setup: TerraformSetup, dir: string, options: { readonly destroy?: boolean } = {}): Promise<OfflinePlanRun> {
  const args = ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", ...(options.destroy ? ["-destroy"] : []), "-out=tfplan"];
  const plan = await runTerraform(setup, dir, args, OFFLINE_ENV);
  if (plan.code !== 0) return { ok: false, error: `plan failed: ${tail(plan.stderr || plan.stdout, 40)}` };
  const show = await runTerraform(setup, dir, ["show", "-json", "tfplan"], OFFLINE_ENV);
  if (show.code !== 0) return { ok: false, error: `show failed: ${tail(show.stderr)}` };
  return { ok: true, showJson: show.stdout };
}
