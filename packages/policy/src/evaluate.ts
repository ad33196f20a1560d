import { RULES } from "./rules";
import type { Finding, PolicyInput, Rule, Waiver } from "./types";

/** A finding and the waiver that accepts it, if any. */
export interface PolicyFinding extends Finding {
  readonly waivedBy?: Waiver;
}

/** The outcome of the pack over one environment. */
export interface PolicyResult {
  readonly environment: string;
  readonly production: boolean;
  /** Ids of the rules that ran (production-only rules are skipped elsewhere). */
  readonly rulesRun: readonly string[];
  readonly findings: readonly PolicyFinding[];
  /** Expired, unused or malformed waivers: errors like unwaived findings. */
  readonly waiverErrors: readonly string[];
}

export interface EvaluateOptions {
  readonly waivers?: readonly Waiver[];
  /** `YYYY-MM-DD` the expiry dates are compared with. @default today (UTC) */
  readonly today?: string;
  readonly rules?: readonly Rule[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function matches(waiver: Waiver, finding: Finding): boolean {
  return waiver.rule === finding.rule && waiver.stack === finding.stack && (waiver.resource === undefined || waiver.resource === finding.resource);
}

function describe(w: Waiver): string {
  return `${w.rule} on ${w.stack}${w.resource ? `/${w.resource}` : ""}`;
}

/** Runs every rule over one environment and applies its waivers. */
export function evaluatePolicy(input: PolicyInput, options: EvaluateOptions = {}): PolicyResult {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const rules = (options.rules ?? RULES).filter((r) => input.environment.production || !r.productionOnly);
  const waivers = options.waivers ?? [];
  const waiverErrors: string[] = [];
  const valid = waivers.filter((w) => {
    const problems = [
      !(options.rules ?? RULES).some((r) => r.id === w.rule) ? "names no rule of the pack" : "",
      w.reason.trim().length < 10 ? "has no reason (write why the relaxation is acceptable)" : "",
      !DATE.test(w.expires) ? `expires ${JSON.stringify(w.expires)} is not a YYYY-MM-DD date` : "",
      DATE.test(w.expires) && w.expires < today ? `expired on ${w.expires}; fix the finding or renew the waiver after review` : "",
    ].filter(Boolean);
    for (const p of problems) waiverErrors.push(`waiver ${describe(w)} ${p}`);
    return problems.length === 0;
  });
  const findings: PolicyFinding[] = rules.flatMap((rule) =>
    rule.check(input).map((v) => {
      const finding: Finding = { rule: rule.id, severity: rule.severity, ...v };
      const waivedBy = valid.find((w) => matches(w, finding));
      return waivedBy ? { ...finding, waivedBy } : finding;
    }),
  );
  for (const w of valid) {
    if (!findings.some((f) => f.waivedBy === w)) waiverErrors.push(`waiver ${describe(w)} matches no finding; remove it (the relaxation is gone)`);
  }
  return { environment: input.environment.name, production: input.environment.production, rulesRun: rules.map((r) => r.id), findings, waiverErrors };
}

/** Findings no waiver accepts. */
export function unwaived(result: PolicyResult): PolicyFinding[] {
  return result.findings.filter((f) => !f.waivedBy);
}

/** Whether the environment passes: no unwaived finding and no waiver error. */
export function passes(result: PolicyResult): boolean {
  return unwaived(result).length === 0 && result.waiverErrors.length === 0;
}
