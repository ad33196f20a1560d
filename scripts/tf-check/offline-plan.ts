import { DEV_OVERRIDES_NOTICE, OFFLINE_ENV, runTerraform, type TerraformSetup } from "../shared/terraform";
import { tail, type RawDiagnostic } from "./offline-config";

export type OfflinePlanRun =
  | { readonly ok: true; readonly showJson: string; readonly diagnostics: readonly RawDiagnostic[] }
  | { readonly ok: false; readonly error: string };

export interface OfflinePlanOptions {
  readonly destroy?: boolean;
  /**
   * `plan -json`, for the plan's diagnostics: a plan validates the configuration first, so its
   * warnings are the ones `terraform validate` gives (each once, though the plan repeats them).
   * Without it `diagnostics` is empty.
   */
  readonly diagnostics?: boolean;
}

/**
 * The one offline plan of a prepared folder (a working copy, or a batch's root): `plan` with no
 * refresh and no lock (nothing is shared, no account is reached), then `show -json` of it.
 */
export async function planAndShow(setup: TerraformSetup, dir: string, options: OfflinePlanOptions = {}): Promise<OfflinePlanRun> {
  const args = ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", ...(options.destroy ? ["-destroy"] : []), ...(options.diagnostics ? ["-json"] : []), "-out=tfplan"];
  const plan = await runTerraform(setup, dir, args, OFFLINE_ENV);
  const diagnostics = options.diagnostics ? planDiagnostics(plan.stdout) : [];
  if (plan.code !== 0) {
    const errors = diagnostics.filter((d) => d.severity === "error").map((d) => `Error: ${d.summary}${d.address ? ` (${d.address})` : ""}\n${d.detail ?? ""}`);
    return { ok: false, error: `plan failed: ${errors.length > 0 ? errors.join("\n") : tail(plan.stderr || plan.stdout, 40)}` };
  }
  const show = await runTerraform(setup, dir, ["show", "-json", "tfplan"], OFFLINE_ENV);
  if (show.code !== 0) return { ok: false, error: `show failed: ${tail(show.stderr)}` };
  return { ok: true, showJson: show.stdout, diagnostics };
}

/** The diagnostics of `plan -json`'s stream, each once, without the dev_overrides notice. */
export function planDiagnostics(stdout: string): RawDiagnostic[] {
  const seen = new Map<string, RawDiagnostic>();
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const message = JSON.parse(line) as { type?: string; diagnostic?: RawDiagnostic };
    const d = message.type === "diagnostic" ? message.diagnostic : undefined;
    if (!d || d.summary === DEV_OVERRIDES_NOTICE) continue;
    const { severity, summary, detail, address, range } = d;
    seen.set(JSON.stringify([severity, summary, detail, address, range?.filename]), { severity, summary, detail, address, range: range && { filename: range.filename } });
  }
  return [...seen.values()];
}
