/** Parsed `cdk.tf.json` of one stack (the subset rules read). */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

/** One synthesized stack of the environment under review. */
export interface PolicyStack {
  /** Stack name, e.g. `prod-database` (or `bootstrap` for the account stack). */
  readonly name: string;
  readonly json: StackJson;
}

/** What a rule knows about the environment besides its stacks. */
export interface PolicyEnvironment {
  /** Environment name, e.g. `prod`. */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** Production is strict: rules marked production-only apply here. */
  readonly production: boolean;
  /** The other environments' accounts, by environment name (for the shared-account rule). */
  readonly otherAccounts: Readonly<Record<string, string>>;
}

export type Severity = "critical" | "high" | "medium" | "low";

export type Category =
  | "network"
  | "edge"
  | "compute"
  | "data"
  | "iam"
  | "logging"
  | "monitoring"
  | "backup"
  | "state"
  | "secrets"
  | "account";

/** One rule violation. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  /** Stack name, e.g. `prod-database`. */
  readonly stack: string;
  /** Terraform address inside the stack, e.g. `aws_db_instance.postgres_instance_919E2690`. */
  readonly resource: string;
  readonly message: string;
}

/** What a rule's check returns: the stack, the resource and what is wrong. */
export type Violation = Omit<Finding, "rule" | "severity">;

/** Everything a rule sees: every stack of one environment, and the environment. */
export interface PolicyInput {
  readonly stacks: readonly PolicyStack[];
  readonly environment: PolicyEnvironment;
}

/**
 * Anchors: the public rules this one matches, so a reviewer can compare. Only ids that were
 * checked against the tools' own rule lists appear; a rule with no match lists none.
 */
export interface Anchors {
  /** checkov ids, e.g. `CKV_AWS_16`. */
  readonly checkov?: readonly string[];
  /** trivy / tfsec ids, e.g. `AVD-AWS-0080`. */
  readonly trivy?: readonly string[];
  /** AWS Security Hub Foundational Security Best Practices control ids, e.g. `RDS.3`. */
  readonly fsbp?: readonly string[];
}

/** A pure check over the synthesized stacks of one environment. */
export interface Rule {
  /** `PLAT-<AREA>-<NNN>`. */
  readonly id: string;
  readonly severity: Severity;
  readonly category: Category;
  readonly title: string;
  /** Why the rule exists: what goes wrong without it. */
  readonly rationale: string;
  readonly anchors: Anchors;
  /** Applies only to production environments (staging may differ without a waiver). */
  readonly productionOnly?: boolean;
  readonly check: (input: PolicyInput) => Violation[];
}

/**
 * A reviewed exception: one rule on one stack (optionally one resource), with a reason and an
 * expiry date. Declared as data in the environment's config, where a reviewer sees it.
 */
export interface Waiver {
  readonly rule: string;
  readonly stack: string;
  /** Terraform address in the stack; absent: every finding of the rule in the stack. */
  readonly resource?: string;
  /** Why the relaxation is acceptable (and what would end it). */
  readonly reason: string;
  /** Last day the waiver holds, `YYYY-MM-DD`; after it the waiver is an error. */
  readonly expires: string;
}
