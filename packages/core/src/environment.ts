import { ARN_SHAPES, checkArn, checkBucketName, isAccountId } from "./aws-shapes";
import { Validator } from "./errors";
import { NAME_LIMITS, boundedName, type NameLimit } from "./naming";
import { availabilityZones, isRegionName, regionFix } from "./regions";

/** Where Terraform keeps state for every stack of an environment (made by `apps/bootstrap`). */
export interface StateBackendConfig {
  /** S3 bucket holding state files; keys are `<env>/<stack>.tfstate`. */
  readonly bucket: string;
  /** DynamoDB table with a `LockID` string hash key, used for state locking. */
  readonly lockTable: string;
  /**
   * Region of the bucket and table.
   * @default the environment's region
   */
  readonly region?: string;
}

/** The choices that identify one environment. Everything else lives in per-layer props. */
export interface EnvironmentConfig {
  /** Short project name used in every resource name, e.g. `myapp`. Lower-case letters, digits, hyphens. */
  readonly project: string;
  /** Environment name, e.g. `staging` or `prod`. Stacks are named `<name>-<layer>`. */
  readonly name: string;
  /** AWS region for every stack of the environment, e.g. `ap-northeast-1`. */
  readonly region: string;
  /**
   * The AWS account this environment deploys to. The provider refuses every other account
   * (`allowed_account_ids`), so a wrong profile cannot touch production, and ARNs that
   * name the account (key policies, log delivery) are built at synth time instead of
   * through an API lookup.
   */
  readonly accountId: string;
  /** Remote state location. */
  readonly state: StateBackendConfig;
  /**
   * Extra tags for every resource, merged under the platform's own
   * (`project`, `environment`, `stack`, `managed-by`), which cannot be overridden.
   * @default none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * ARN of the permissions boundary every IAM role of the environment's stacks carries. Set it
   * when the account is shared with another environment (apps do, from `confinedEnvironments`):
   * the CI apply role may then only create roles with this boundary.
   * @default none
   */
  readonly permissionsBoundaryArn?: string;
}

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;
const TABLE_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;
const RESERVED_TAGS = ["project", "environment", "stack", "managed-by"];

/**
 * A validated environment. Constructs never see one: apps read names, tags and regions
 * from it and pass plain props down.
 */
export class Environment {
  readonly project: string;
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly state: Required<StateBackendConfig>;
  readonly extraTags: Readonly<Record<string, string>>;
  /** Permissions boundary of every IAM role of the environment, when it shares its account. */
  readonly permissionsBoundaryArn?: string;

  constructor(config: EnvironmentConfig) {
    validateEnvironmentConfig(config);
    this.project = config.project;
    this.name = config.name;
    this.region = config.region;
    this.accountId = config.accountId;
    this.state = { ...config.state, region: config.state.region ?? config.region };
    this.extraTags = { ...(config.tags ?? {}) };
    this.permissionsBoundaryArn = config.permissionsBoundaryArn;
  }

  /** `<project>-<env>-<parts…>` within the AWS limit for `kind`. */
  resourceName(kind: NameLimit, ...parts: string[]): string {
    return boundedName([this.project, this.name, ...parts], NAME_LIMITS[kind]);
  }

  /** Availability zones of the region, in a stable order. */
  availabilityZones(count: number): string[] {
    return availabilityZones(this.region).slice(0, count);
  }

  /** Tags applied to every resource of one stack through the provider's default_tags. */
  tagsFor(stackName: string): Record<string, string> {
    return {
      ...this.extraTags,
      project: this.project,
      environment: this.name,
      stack: stackName,
      "managed-by": "cdktf",
    };
  }
}

/** Validates and returns an environment, throwing a ConfigError that lists every problem. */
export function defineEnvironment(config: EnvironmentConfig): Environment {
  return new Environment(config);
}

function validateEnvironmentConfig(c: EnvironmentConfig): void {
  const v = new Validator(`environment(${c.name ?? "?"})`);
  v.check(
    typeof c.project === "string" && NAME_PATTERN.test(c.project),
    "project",
    c.project,
    "must be 1-20 characters of lower-case letters, digits and hyphens, starting with a letter (e.g. \"myapp\").",
  );
  v.check(
    typeof c.name === "string" && NAME_PATTERN.test(c.name),
    "name",
    c.name,
    "must be 1-20 characters of lower-case letters, digits and hyphens, starting with a letter (e.g. \"staging\").",
  );
  v.check(
    typeof c.region === "string" && isRegionName(c.region),
    "region",
    c.region,
    regionFix(c.region),
  );
  v.check(
    typeof c.accountId === "string" && isAccountId(c.accountId),
    "accountId",
    c.accountId,
    "must be the 12-digit ID of the AWS account (`aws sts get-caller-identity --query Account`).",
  );
  if (typeof c.state?.bucket === "string") checkBucketName(v, "state.bucket", c.state.bucket);
  else v.fail("state.bucket", c.state?.bucket, "is required: the S3 bucket of the Terraform state.");
  v.check(
    typeof c.state?.lockTable === "string" && TABLE_PATTERN.test(c.state.lockTable),
    "state.lockTable",
    c.state?.lockTable,
    "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -).",
  );
  if (c.state?.region !== undefined) {
    v.check(isRegionName(c.state.region), "state.region", c.state.region, regionFix(c.state.region));
  }
  if (c.permissionsBoundaryArn !== undefined) {
    checkArn(v, "permissionsBoundaryArn", c.permissionsBoundaryArn, ARN_SHAPES.iamCustomerPolicy, "e.g. from applyBoundaryArn()");
  }
  for (const key of Object.keys(c.tags ?? {})) {
    v.check(!RESERVED_TAGS.includes(key), `tags.${key}`, key, `is set by the platform; remove it (reserved: ${RESERVED_TAGS.join(", ")}).`);
  }
  v.throwIfAny();
}

