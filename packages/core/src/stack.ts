import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, LocalBackend, TerraformStack } from "cdktf";
import type { Construct, IConstruct } from "constructs";
import { LockedS3Backend } from "./backend";
import type { Environment } from "./environment";
import { ConfigError, type ConfigIssue } from "./errors";

/** Terraform versions every stack accepts: 1.11 brings S3-native state locking. */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.11.0, < 2.0.0";

export interface EnvironmentStackProps {
  /** The environment this stack belongs to. */
  readonly environment: Environment;
  /** Layer name, e.g. `network`: lower-case letters and digits, starting with a letter. The stack is named `<env>-<layer>`. */
  readonly layer: string;
  /**
   * Where the state lives. `local` is only for the bootstrap stack that creates the bucket.
   * @default "s3"
   */
  readonly stateBackend?: "s3" | "local";
  /**
   * Full stack name when it is not `<env>-<layer>` (the bootstrap stack is account-wide).
   * @default `<env>-<layer>`
   */
  readonly stackName?: string;
}

/**
 * The one way to make a stack: AWS provider with default tags and account guard, the
 * remote state backend with locking, and the required Terraform version. No stack
 * hand-rolls any of these.
 */
export class EnvironmentStack extends TerraformStack {
  readonly environment: Environment;
  readonly layer: string;
  readonly stackName: string;
  readonly provider: AwsProvider;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    checkStackNameGrammar(props);
    const stackName = props.stackName ?? `${props.environment.name}-${props.layer}`;
    super(scope, stackName);
    const env = props.environment;
    this.environment = env;
    this.layer = props.layer;
    this.stackName = stackName;

    this.provider = new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [env.accountId],
      defaultTags: [{ tags: env.tagsFor(stackName) }],
    });

    if ((props.stateBackend ?? "s3") === "s3") {
      new LockedS3Backend(this, {
        bucket: env.state.bucket,
        key: `${env.name}/${stackName}.tfstate`,
        region: env.state.region,
        encrypt: true,
        dynamodbTable: env.state.lockTable,
      });
    } else {
      // Relative to cdktf.out/stacks/<stack>/: the state file sits at the repository root
      // (git-ignored), so deleting cdktf.out never deletes state.
      new LocalBackend(this, { path: `../../../terraform.${stackName}.tfstate` });
    }

    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
    if (env.permissionsBoundaryArn) Aspects.of(this).add(new PermissionsBoundaryAspect(env.permissionsBoundaryArn));
  }

  /**
   * An aliased AWS provider for a second region of the same account (e.g. the copy-destination
   * vault of AWS Backup), configured like the stack's own: same account guard and default tags.
   * Resources pick it with `provider: stack.regionProvider(region)`; one per region and stack.
   */
  regionProvider(region: string): AwsProvider {
    const alias = region.replace(/-/g, "_");
    const id = `aws-${region}`;
    const existing = this.node.tryFindChild(id);
    if (existing) return existing as AwsProvider;
    if (region === this.environment.region) throw new Error(`${this.stackName}: ${region} is the stack's own region; use its default provider`);
    return new AwsProvider(this, id, {
      alias,
      region,
      allowedAccountIds: [this.environment.accountId],
      defaultTags: [{ tags: this.environment.tagsFor(this.stackName) }],
    });
  }

  /**
   * Orders this stack after `producer` although it reads none of its outputs (cdktf
   * `addDependency`, so manifest.json and every deploy order see it), and records why: an
   * ordering that matters is declared, never left to an accidental cross-stack reference.
   */
  declareDependency(producer: EnvironmentStack, reason: string): void {
    if (reason.trim() === "") throw new Error(`${this.stackName} -> ${producer.stackName}: say why the order matters`);
    this.addDependency(producer);
    this.declared.push({ producer: producer.stackName, reason });
  }

  /** The dependencies declared with {@link declareDependency}, by producer stack name. */
  get declaredDependencies(): readonly DeclaredDependency[] {
    return [...this.declared];
  }

  private readonly declared: DeclaredDependency[] = [];
}

/** One stack-name part: an environment or a layer name. */
export const STACK_NAME_PART = /^[a-z][a-z0-9]*$/;

/**
 * Stacks are named `<env>-<layer>`, and the scripts (review, deploy, graph, cost) split a name on
 * its last hyphen; that split is unambiguous only when neither part holds a hyphen. An
 * account-wide stack (`stackName` given, e.g. `bootstrap`) still needs a grammatical layer.
 */
function checkStackNameGrammar(props: EnvironmentStackProps): void {
  const issues: ConfigIssue[] = [];
  const fix = (what: string, example: string) =>
    `must be lower-case letters and digits, starting with a letter (e.g. "${example}"): stacks are named <env>-<layer> and tools split the name on its last hyphen, so ${what} holds no hyphen.`;
  if (!STACK_NAME_PART.test(props.layer)) issues.push({ field: "stack.layer", value: props.layer, fix: fix("a layer", "network") });
  if (props.stackName === undefined && !STACK_NAME_PART.test(props.environment.name)) {
    issues.push({ field: "stack.environment", value: props.environment.name, fix: fix("an environment name", "staging") });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

/**
 * Puts the environment's permissions boundary on every IAM role of a stack. In a shared account
 * the CI apply role may only create roles that carry it, so no construct can forget it.
 */
export class PermissionsBoundaryAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = this.boundaryArn;
  }
}

/** An ordering between two stacks that no output carries. */
export interface DeclaredDependency {
  /** Stack that must be deployed first. */
  readonly producer: string;
  /** Why the order matters, e.g. what the consumer needs at start. */
  readonly reason: string;
}
