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

/**
 * A stack's JSON as a child module of a generated root (the combined validate, a batch of plans):
 * no backend (only a root may hold one) and the offline provider settings merged in (an override
 * file for a child module's provider reads as an empty proxy block: "Redundant empty provider
 * block"). Its import blocks, which only a root may hold, are returned apart, aimed at the same
 * resources inside `module.<name>`.
 */
export function asChildModule(stack: StackJson, name: string): { readonly json: StackJson; readonly imports: Array<Record<string, unknown>> } {
  const json = structuredClone(stack) as StackJson & { terraform?: { backend?: unknown }; import?: Array<{ to: string }> };
  delete json.terraform?.backend;
  const offline = offlineProviders(json);
  json.provider = { ...json.provider, aws: (json.provider?.aws ?? [{}]).map((p, i) => ({ ...p, ...offline[i] })) };
  const imports = (json.import ?? []).map((i) => ({ ...i, to: `module.${name}.${i.to}` }));
  delete json.import;
  return { json, imports };
}

/**
 * The child module a diagnostic of a generated root belongs to: by the file it points at (the
 * first group `file` captures), else by its `module.<name>` address; undefined when neither
 * names one of `names`.
 */
export function diagnosticModule(d: RawDiagnostic, file: RegExp, names: readonly string[]): string | undefined {
  const fromFile = d.range?.filename?.match(file)?.slice(1).find(Boolean);
  if (fromFile && names.includes(fromFile)) return fromFile;
  const fromAddress = d.address?.match(/^module\.([^.[]+)/)?.[1];
  return fromAddress && names.includes(fromAddress) ? fromAddress : undefined;
}

/** A diagnostic of module `name` as the stack reports it on its own: the address without `module.<name>.`. */
export function asStackDiagnostic(d: RawDiagnostic, name: string): Diagnostic {
  const prefix = `module.${name}.`;
  return toDiagnostic(d, d.address?.startsWith(prefix) ? d.address.slice(prefix.length) : d.address);
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
