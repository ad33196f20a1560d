import { DEV_OVERRIDES_NOTICE } from "../shared/terraform";
import type { StackConfigJson } from "../shared/planned-outputs";

export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

export interface StackJson extends StackConfigJson {
  variable?: Record<string, { type?: string; default?: unknown }>;
}

/**
 * The AWS provider blocks of a stack with dummy credentials and the provider's skip flags, for
 * an override file: plans that never reach an AWS account.
 */
export function offlineProviders(json: StackConfigJson): Array<Record<string, unknown>> {
  return (json.provider?.aws ?? [{}]).map((p) => ({
    ...(p.alias ? { alias: p.alias } : {}),
    access_key: "mock-access-key",
    secret_key: "mock-secret-key",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    // The account guard needs the real account ID, which an offline run cannot ask for.
    allowed_account_ids: null,
  }));
}

/** Mock values for the stack's variables that have no default. */
export function mockVariables(json: StackJson): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(json.variable ?? {})
      .filter(([, v]) => v.default === undefined)
      .map(([n, v]) => [n, mockVariable(v.type)]),
  );
}

/** Documentation-range values (RFC 5737) that satisfy our variables' validation blocks. */
function mockVariable(type: string | undefined): unknown {
  if (!type || type === "string") return "mock";
  if (type === "number") return 1;
  if (type === "bool") return false;
  if (type.startsWith("list") || type.startsWith("set")) return ["203.0.113.0/24"];
  if (type.startsWith("map")) return {};
  return null;
}

export interface RawDiagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename?: string };
}

/** `terraform validate -json` diagnostics, without the dev_overrides notice of the fast path. */
export function parseValidateOutput(stdout: string): RawDiagnostic[] {
  try {
    const parsed = JSON.parse(stdout) as { diagnostics?: RawDiagnostic[] };
    return (parsed.diagnostics ?? []).filter((d) => d.summary !== DEV_OVERRIDES_NOTICE);
  } catch {
    return [{ severity: "error", summary: `unreadable validate output: ${tail(stdout)}` }];
  }
}

export function toDiagnostic(d: RawDiagnostic, address = d.address): Diagnostic {
  return { severity: d.severity, summary: d.summary, detail: d.detail, address };
}

export function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
