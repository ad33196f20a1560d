import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { NAME_LIMITS, Validator, checkLogRetention, isKnown } from "@platform/core";
import { bundle } from "./bundle";

/** Lambda runtime for every function: Node 20 reached end of life in April 2026. */
export const LAMBDA_NODE_RUNTIME = "nodejs22.x";

export interface BundledFunctionProps {
  /** Function name; also names the role and the log group. At most 64 characters. */
  readonly functionName: string;
  /** Absolute path of the TypeScript (or JavaScript) module that exports the handler. */
  readonly entry: string;
  /**
   * Exported handler function name in `entry`.
   * @default "handler"
   */
  readonly handlerExport?: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** Permissions beyond writing its own logs, as policy statements. Keep them scoped. */
  readonly statements: readonly DataAwsIamPolicyDocumentStatement[];
  /** Log retention; must be a value CloudWatch accepts. */
  readonly logRetentionDays: number;
  /**
   * Environment variables (never secrets: they are visible in the console and in state).
   * @default none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * @default 60
   */
  readonly timeoutSeconds?: number;
  /**
   * @default 256
   */
  readonly memoryMiB?: number;
  /**
   * Graviton is ~20 % cheaper per GB-second for the same work.
   * @default "arm64"
   */
  readonly architecture?: "arm64" | "x86_64";
  /**
   * Account of the function: its role trusts Lambda only on behalf of this account (`aws:SourceAccount`).
   * @default no condition
   */
  readonly accountId?: string;
}

/**
 * A Node.js Lambda whose TypeScript handler is bundled with esbuild at synth time into a
 * zip asset. The bundle is minified without source paths and zipped deterministically, so
 * the zip's hash (used as `source_code_hash`, and equal to what Lambda reports) is the same
 * on every machine and a fresh CI checkout does not redeploy the function.
 */
export class BundledFunction extends Construct {
  /** The function name as given (a literal when the prop was one): what alarms and runbooks name. */
  readonly functionName: string;
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly asset: TerraformAsset;
  /** Base64 SHA-256 of the deployment zip (Lambda's CodeSha256). */
  readonly codeHash: string;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    validate(this.node.path, props);
    this.functionName = props.functionName;

    const { zipPath, codeHash } = bundle(props.entry);
    this.codeHash = codeHash;
    this.asset = new TerraformAsset(this, "code", { path: zipPath, type: AssetType.FILE });

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });

    // Confused-deputy guard: only Lambda acting for this account may assume the role. Lambda
    // documents no aws:SourceArn for execution-role assumption, so the account is the guard.
    const assume = new DataAwsIamPolicyDocument(this, "assume", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
          condition: props.accountId ? [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }] : undefined,
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      name: props.functionName.slice(0, NAME_LIMITS.iamRoleName),
      assumeRolePolicy: assume.json,
      description: `Execution role of ${props.functionName}`,
    });

    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      statement: [
        {
          sid: "OwnLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:*`],
        },
        ...props.statements,
      ],
    });
    new IamRolePolicy(this, "policy", { name: "permissions", role: this.role.id, policy: permissions.json });

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_NODE_RUNTIME,
      architectures: [props.architecture ?? "arm64"],
      handler: `index.${props.handlerExport ?? "handler"}`,
      filename: this.asset.path,
      sourceCodeHash: codeHash,
      timeout: props.timeoutSeconds ?? 60,
      memorySize: props.memoryMiB ?? 256,
      environment: props.environment ? { variables: { ...props.environment } } : undefined,
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      // The log group must exist first, or Lambda creates one without retention.
      dependsOn: [this.logGroup],
    });
  }
}

function validate(path: string, props: BundledFunctionProps): void {
  const v = new Validator(path);
  if (isKnown(props.functionName)) {
    v.check(
      /^[A-Za-z0-9_-]{1,64}$/.test(props.functionName),
      "functionName",
      props.functionName,
      "must be 1-64 characters of letters, digits, hyphens and underscores.",
    );
  }
  checkLogRetention(v, "logRetentionDays", props.logRetentionDays);
  const timeout = props.timeoutSeconds ?? 60;
  v.check(timeout >= 1 && timeout <= 900, "timeoutSeconds", timeout, "must be between 1 and 900.");
  const memory = props.memoryMiB ?? 256;
  v.check(memory >= 128 && memory <= 10240, "memoryMiB", memory, "must be between 128 and 10240.");
  v.throwIfAny();
}
