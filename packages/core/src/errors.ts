/** One problem with a configuration value: where it is, what it was, and how to fix it. */
export interface ConfigIssue {
  /** Dotted path of the offending field, e.g. `staging.network.vpcCidr`. */
  readonly field: string;
  /** The value that was rejected; absent when the issue is not about one value. */
  readonly value?: unknown;
  /** What is wrong and what to write instead. */
  readonly fix: string;
}

/**
 * Thrown at synth time when configuration or construct props are invalid.
 * Constructs throw it from their constructor, so nothing is written to cdktf.out.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${i.field}: ${"value" in i ? `${formatValue(i.value)} ` : ""}${i.fix}`).join("\n"),
    );
    this.name = "ConfigError";
    this.issues = issues;
  }
}

function formatValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Collects issues for one object and throws them together, so a user fixes
 * every mistake in one round instead of one per synth.
 */
export class Validator {
  private readonly issues: ConfigIssue[] = [];

  /** @param prefix field path prefix, e.g. the construct path or `staging.network` */
  constructor(private readonly prefix: string) {}

  /** Records an issue when `ok` is false. Returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, field: string, value: unknown, fix: string): boolean {
    if (!ok) this.fail(field, value, fix);
    return ok;
  }

  fail(field: string, value: unknown, fix: string): void {
    this.issues.push({ field: this.prefix ? `${this.prefix}.${field}` : field, value, fix });
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  /** Throws a {@link ConfigError} with every recorded issue, if any. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}
