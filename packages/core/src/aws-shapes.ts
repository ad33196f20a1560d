import type { Validator } from "./errors";
import { isKnown } from "./props";

/*
 * The one home of every rule about the shape of an AWS identifier: partitions and ARN building
 * (`arn`, `awsContextOf`; `awsContext(scope)` in aws-context.ts reads a stack's), name prefixes, ARNs,
 * account IDs, bucket names, SSM parameter names, ECS service references and KMS key
 * references. Constructs and config checks call these instead of writing their own regex
 * (a unit test, packages/core/test/no-adhoc-arns.test.ts, fails on an `arn:` regex or literal
 * outside this file and aws-context.ts). CIDRs live beside it in cidr.ts.
 *
 * `check*` functions record an issue on a Validator and return whether the value passed;
 * Terraform tokens (values unknown at synth) pass unchecked.
 */

// ---------------------------------------------------------------------------------------------
// Partitions

/** The ARN partitions this platform builds for. */
export const ARN_PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;
export type ArnPartition = (typeof ARN_PARTITIONS)[number];

/** ARN partition of a region (`cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`, else `aws`). */
export function partitionOf(region: string): ArnPartition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * Where a stack's resources live. All three are known at synth from the environment config,
 * so no construct looks them up (`aws_region`, `aws_partition`, `aws_caller_identity`), splits
 * them out of another resource's ARN, or reads them from another stack.
 */
export interface AwsContext {
  /** e.g. `ap-northeast-1`: the region of the stack's provider. */
  readonly region: string;
  /** ARN partition of the region: `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** 12-digit account the stack's provider is limited to (`allowed_account_ids`). */
  readonly accountId: string;
}

/**
 * The context of a region and account named in config, for the few constructs that build ARNs
 * of another environment (the bootstrap stack's per-environment boundaries).
 */
export function awsContextOf(where: { readonly region: string; readonly accountId: string }): AwsContext {
  return { region: where.region, partition: partitionOf(where.region), accountId: where.accountId };
}

export interface ArnParts {
  /** Service namespace, e.g. `ssm`, `logs`, `iam`, `s3`. */
  readonly service: string;
  /** Everything after the account field, e.g. `parameter/acme/staging/DATABASE_URL`, `log-group:*`. */
  readonly resource: string;
  /**
   * Region field; `""` for global services (IAM, S3).
   * @default the context's region
   */
  readonly region?: string;
  /**
   * Account field; `""` for S3 buckets, `"aws"` for AWS managed IAM policies.
   * @default the context's account
   */
  readonly account?: string;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` in the context's partition. */
export function arn(context: AwsContext, parts: ArnParts): string {
  const region = parts.region ?? context.region;
  const account = parts.account ?? context.accountId;
  return `arn:${context.partition}:${parts.service}:${region}:${account}:${parts.resource}`;
}

/** ARN of an AWS managed IAM policy, e.g. `service-role/AmazonRDSEnhancedMonitoringRole`. */
export function awsManagedPolicyArn(context: AwsContext, name: string): string {
  return arn(context, { service: "iam", region: "", account: "aws", resource: `policy/${name}` });
}

// ---------------------------------------------------------------------------------------------
// Name prefix

/**
 * `namePrefix` of every construct that names resources (`acme-staging`): lower-case letters,
 * digits and single hyphens, starting with a letter and ending with a letter or digit. Length is
 * not limited here: `boundedName` shortens each name to its resource's limit with a hash.
 * The strictest of the names it starts: RDS identifiers (letter first, no `--`, no trailing
 * hyphen) and security groups (no `sg-` start).
 */
const NAME_PREFIX_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

export function isValidNamePrefix(value: string): boolean {
  return NAME_PREFIX_PATTERN.test(value) && !value.includes("--") && !value.startsWith("sg-");
}

/** Checks a `namePrefix`, which must be a literal (it names resources at synth). */
export function checkNamePrefix(v: Validator, value: string, field = "namePrefix"): boolean {
  return v.check(
    typeof value === "string" && isKnown(value) && isValidNamePrefix(value),
    field,
    value,
    'must be lower-case letters, digits and hyphens: a literal with a letter first, no "--", no "-" last and not "sg-" first (EC2 reserves it), e.g. "acme-staging".',
  );
}

// ---------------------------------------------------------------------------------------------
// Account ID

export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}

export function checkAccountId(v: Validator, field: string, value: string): boolean {
  if (!isKnown(value)) return true;
  return v.check(
    typeof value === "string" && isAccountId(value),
    field,
    value,
    "must be the 12-digit ID of an AWS account (`aws sts get-caller-identity --query Account`).",
  );
}

// ---------------------------------------------------------------------------------------------
// ARNs

/** The six fields of an ARN. `resource` keeps any `:` or `/` it contains. */
export interface ArnFields {
  readonly partition: ArnPartition;
  readonly service: string;
  /** `""` for global services (IAM, S3). */
  readonly region: string;
  /** `""` for S3 buckets, `"aws"` for AWS managed IAM policies. */
  readonly account: string;
  readonly resource: string;
}

const ARN_FIELDS = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

/** Splits an ARN of one of {@link ARN_PARTITIONS}; undefined for anything else. */
export function parseArn(text: string): ArnFields | undefined {
  const m = typeof text === "string" ? ARN_FIELDS.exec(text) : null;
  if (!m) return undefined;
  return { partition: m[1] as ArnPartition, service: m[2]!, region: m[3]!, account: m[4] ?? "", resource: m[5]! };
}

/**
 * ArnLike pattern for any resource of `service` in `accountId`, in any partition and region:
 * the `aws:SourceArn` confused-deputy guard AWS documents for service roles.
 */
export function accountResourceArnPattern(service: string, accountId: string): string {
  return `arn:*:${service}:*:${accountId}:*`;
}

/** What one kind of ARN looks like. */
export interface ArnShape {
  /** Service namespace, e.g. `ecs`. */
  readonly service: string;
  /** The resource field, anchored; capture groups come back from {@link matchArn}. */
  readonly resource: RegExp;
  /** Resource field as people write it, for messages, e.g. `service/<cluster>/<service>`. */
  readonly resourceHint: string;
  /** What the ARN names, for messages, e.g. `an ECS service`. */
  readonly noun: string;
  /** `regional` (default): a region is required; `global`: the region field is empty (IAM). */
  readonly scope?: "regional" | "global";
  /** `id` (default): a 12-digit account; `id-or-aws`: also `aws` (AWS managed IAM policies). */
  readonly account?: "id" | "id-or-aws";
}

/** The ARNs the platform's props and config take. KMS has two: say which one a field accepts. */
export const ARN_SHAPES = {
  acmCertificate: { service: "acm", resource: /^certificate\/[0-9a-f-]+$/, resourceHint: "certificate/<id>", noun: "an ACM certificate" },
  applicationLoadBalancer: {
    service: "elasticloadbalancing",
    resource: /^loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
    resourceHint: "loadbalancer/app/<name>/<id>",
    noun: "an Application Load Balancer",
  },
  ecrRepository: { service: "ecr", resource: /^repository\/.+$/, resourceHint: "repository/<name>", noun: "an ECR repository" },
  ecsService: { service: "ecs", resource: /^service\/([^/]+)\/([^/]+)$/, resourceHint: "service/<cluster>/<service>", noun: "a long-format ECS service" },
  githubOidcProvider: {
    service: "iam",
    resource: /^oidc-provider\/token\.actions\.githubusercontent\.com$/,
    resourceHint: "oidc-provider/token.actions.githubusercontent.com",
    noun: "GitHub's IAM OIDC provider",
    scope: "global",
  },
  /** An IAM policy of the account (a customer managed policy, e.g. a permissions boundary). */
  iamCustomerPolicy: { service: "iam", resource: /^policy\/.+$/, resourceHint: "policy/<path><name>", noun: "an IAM policy", scope: "global" },
  /** An IAM policy of the account or one AWS manages (`arn:…:iam::aws:policy/ReadOnlyAccess`). */
  iamPolicy: {
    service: "iam",
    resource: /^policy\/.+$/,
    resourceHint: "policy/<name>",
    noun: "an IAM policy",
    scope: "global",
    account: "id-or-aws",
  },
  /** A KMS key; aliases refused (grants and key policies need the key itself). */
  kmsKey: { service: "kms", resource: /^key\/[A-Za-z0-9-]+$/, resourceHint: "key/<key-id>", noun: "a KMS key" },
  /** A KMS key or an alias of one (services that resolve aliases at use). */
  kmsKeyOrAlias: {
    service: "kms",
    resource: /^(?:key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/,
    resourceHint: "key/<key-id> or alias/<name>",
    noun: "a KMS key or alias",
  },
  logGroup: { service: "logs", resource: /^log-group:.+$/, resourceHint: "log-group:<name>", noun: "a CloudWatch Logs log group" },
  rdsInstance: { service: "rds", resource: /^db:(.+)$/, resourceHint: "db:<identifier>", noun: "an RDS instance" },
  rdsSnapshot: {
    service: "rds",
    resource: /^(?:cluster-)?snapshot:[a-zA-Z][a-zA-Z0-9:-]{0,254}$/,
    resourceHint: "snapshot:<name> or cluster-snapshot:<name>",
    noun: "an RDS (cluster) snapshot",
  },
  scalableTarget: {
    service: "application-autoscaling",
    resource: /^scalable-target\/[A-Za-z0-9]+$/,
    resourceHint: "scalable-target/<id>",
    noun: "an Application Auto Scaling target",
  },
  secret: { service: "secretsmanager", resource: /^secret:.+-[A-Za-z0-9]{6}$/, resourceHint: "secret:<name>-<6 characters>", noun: "a Secrets Manager secret" },
  /** A secret's ARN with or without its random suffix (IAM statements may use the name). */
  secretLoose: { service: "secretsmanager", resource: /^secret:.+$/, resourceHint: "secret:<name>", noun: "a Secrets Manager secret" },
  ssmParameter: { service: "ssm", resource: /^parameter\/.+$/, resourceHint: "parameter/<name>", noun: "an SSM parameter" },
} as const satisfies Record<string, ArnShape>;

/** `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`: how to write one, for messages. */
export function arnTemplate(shape: ArnShape): string {
  const region = shape.scope === "global" ? "" : "<region>";
  const account = shape.account === "id-or-aws" ? "<account or aws>" : "<account>";
  return `arn:aws:${shape.service}:${region}:${account}:${shape.resourceHint}`;
}

/**
 * The resource field's match (with its capture groups) when `text` is an ARN of `shape` in any
 * of {@link ARN_PARTITIONS}; undefined otherwise.
 */
export function matchArn(shape: ArnShape, text: string): RegExpExecArray | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== shape.service) return undefined;
  if (shape.scope === "global" ? arn.region !== "" : arn.region === "") return undefined;
  if (arn.account === "" || (arn.account === "aws" && shape.account !== "id-or-aws")) return undefined;
  return shape.resource.exec(arn.resource) ?? undefined;
}

export function isArnOf(shape: ArnShape, text: string): boolean {
  return matchArn(shape, text) !== undefined;
}

/**
 * Checks that a literal is an ARN of `shape`; tokens pass. `hint` ends the message, e.g. the
 * attribute to pass (`aws_ecs_service.id`).
 */
export function checkArn(v: Validator, field: string, value: string | undefined, shape: ArnShape, hint?: string): boolean {
  if (value !== undefined && !isKnown(value)) return true;
  return v.check(
    typeof value === "string" && isArnOf(shape, value),
    field,
    value,
    `must be ${shape.noun} ARN (${arnTemplate(shape)})${hint ? `, ${hint}` : ""}.`,
  );
}

/**
 * Checks a KMS key reference. `aliases` is required so every caller says whether an alias
 * ARN is acceptable there: KMS key policies, grants and most `kms_key_id` arguments that
 * store the key need the key ARN; services that resolve the key at each use take an alias.
 */
export function checkKmsKeyArn(v: Validator, field: string, value: string | undefined, options: { readonly aliases: boolean }): boolean {
  return options.aliases
    ? checkArn(v, field, value, ARN_SHAPES.kmsKeyOrAlias)
    : checkArn(v, field, value, ARN_SHAPES.kmsKey, "not an alias or a bare key ID");
}

// ---------------------------------------------------------------------------------------------
// S3 bucket names

/** Prefixes and suffixes S3 reserves in general purpose bucket names. */
export const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] as const;

/**
 * Why `name` is not a general purpose S3 bucket name (AWS's rule, dots allowed), or undefined
 * when it is one. The phrase has no trailing period.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
    return "must be 3-63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit";
  }
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not look like an IP address";
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `must not start with "${prefix}", a prefix S3 reserves`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `must not end with "${suffix}", a suffix S3 reserves`;
  return undefined;
}

export function checkBucketName(v: Validator, field: string, name: string): boolean {
  if (!isKnown(name)) return true;
  const problem = typeof name === "string" ? bucketNameProblem(name) : "must be a string";
  return v.check(problem === undefined, field, name, `${problem} (S3 bucket naming rules).`);
}

// ---------------------------------------------------------------------------------------------
// SSM parameter names

/**
 * Why `name` is not a hierarchical SSM parameter name (`/acme/staging/DATABASE_URL`), or
 * undefined: a leading `/`, 1-15 segments of letters, digits, `_`, `.`, `-`, at most 1011
 * characters, and not under `/aws` or `/ssm` (AWS reserves them).
 */
export function ssmParameterNameProblem(name: string): string | undefined {
  if (name.startsWith("arn:")) return "is an ARN; give the parameter name";
  if (!/^(?:\/[A-Za-z0-9_.-]+)+$/.test(name)) {
    return 'must be a hierarchical name: a leading "/", segments of letters, digits, "_", ".", "-" separated by single "/"';
  }
  if (name.split("/").length - 1 > 15) return "has more than 15 levels; AWS allows 15";
  if (name.length > 1011) return "is longer than 1011 characters";
  if (/^\/(aws|ssm)/i.test(name)) return 'starts with "/aws" or "/ssm", which AWS reserves';
  return undefined;
}

/** Checks an SSM parameter name; `example` ends the message (e.g. `/acme/staging/DATABASE_URL`). */
export function checkSsmParameterName(v: Validator, field: string, name: string, example = "/acme/staging/DATABASE_URL"): boolean {
  if (!isKnown(name)) return true;
  const problem = typeof name === "string" ? ssmParameterNameProblem(name) : "must be a string";
  return v.check(problem === undefined, field, name, `${problem}, e.g. "${example}".`);
}

// ---------------------------------------------------------------------------------------------
// ECS service references

/** An ECS service as props name it: by cluster and service name, optionally with its ARN. */
export interface EcsServiceReference {
  readonly clusterName: string;
  readonly serviceName: string;
  /** Long-format service ARN (`aws_ecs_service.id`); must name the same service. */
  readonly serviceArn?: string;
}

const ECS_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/**
 * Checks a keyed record of ECS service references (`services.<key>`): names, ARN, that the ARN
 * names the same service, and that no service is listed twice. Returns each key's
 * `<cluster>/<service>` identity where it is known at synth.
 */
export function checkEcsServiceReferences(
  v: Validator,
  field: string,
  services: Readonly<Record<string, EcsServiceReference>>,
): Map<string, string> {
  const identities = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const [key, s] of Object.entries(services)) {
    const f = `${field}.${key}`;
    const nameFix = "must be 1-255 letters, digits, hyphens or underscores.";
    if (isKnown(s.clusterName)) v.check(ECS_NAME_PATTERN.test(s.clusterName), `${f}.clusterName`, s.clusterName, nameFix);
    if (isKnown(s.serviceName)) v.check(ECS_NAME_PATTERN.test(s.serviceName), `${f}.serviceName`, s.serviceName, nameFix);
    const namesKnown = isKnown(s.clusterName) && isKnown(s.serviceName);
    const arn = s.serviceArn !== undefined && isKnown(s.serviceArn) ? matchArn(ARN_SHAPES.ecsService, s.serviceArn) : undefined;
    if (s.serviceArn !== undefined && checkArn(v, `${f}.serviceArn`, s.serviceArn, ARN_SHAPES.ecsService, "pass aws_ecs_service.id") && arn && namesKnown) {
      v.check(
        arn[1] === s.clusterName && arn[2] === s.serviceName,
        `${f}.serviceArn`,
        s.serviceArn,
        `names service ${arn[1]}/${arn[2]}, not ${s.clusterName}/${s.serviceName}; pass the ARN of the same service.`,
      );
    }
    const identity = arn ? `${arn[1]}/${arn[2]}` : namesKnown ? `${s.clusterName}/${s.serviceName}` : undefined;
    if (identity === undefined) continue;
    const other = seen.get(identity);
    v.check(other === undefined, f, identity, `is the same ECS service as ${field}.${other}; list each service once.`);
    seen.set(identity, key);
    identities.set(key, identity);
  }
  return identities;
}
