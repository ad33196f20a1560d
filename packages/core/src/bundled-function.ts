import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
import { buildSync } from "esbuild";
import { Validator } from "./errors";
import { NAME_LIMITS } from "./naming";
import { isKnown, isValidLogRetention } from "./props";

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
}

/**
 * A Node.js Lambda whose TypeScript handler is bundled with esbuild at synth time into a
 * zip asset. The bundle is minified without source paths, so its content hash (used as
 * `source_code_hash`) is the same on every machine and a fresh CI checkout does not
 * redeploy the function.
 */
export class BundledFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly asset: TerraformAsset;
  /** Base64 SHA-256 of the bundled code. */
  readonly codeHash: string;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    validate(this.node.path, props);

    const { directory, codeHash } = bundle(props.entry);
    this.codeHash = codeHash;
    this.asset = new TerraformAsset(this, "code", { path: directory, type: AssetType.ARCHIVE });

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });

    const assume = new DataAwsIamPolicyDocument(this, "assume", {
      statement: [
        { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] },
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
  v.check(
    isValidLogRetention(props.logRetentionDays),
    "logRetentionDays",
    props.logRetentionDays,
    "is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...",
  );
  const timeout = props.timeoutSeconds ?? 60;
  v.check(timeout >= 1 && timeout <= 900, "timeoutSeconds", timeout, "must be between 1 and 900.");
  const memory = props.memoryMiB ?? 256;
  v.check(memory >= 128 && memory <= 10240, "memoryMiB", memory, "must be between 128 and 10240.");
  v.throwIfAny();
}

const bundles = new Map<string, { directory: string; codeHash: string }>();

/**
 * Bundles `entry` into a fresh directory holding `index.js`; once per process unless
 * `fresh` asks for a new build (tests use it to prove builds are reproducible).
 */
export function bundle(entry: string, fresh = false): { directory: string; codeHash: string } {
  const cached = bundles.get(entry);
  if (cached && !fresh) return cached;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    legalComments: "none",
    charset: "utf8",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  const codeHash = createHash("sha256").update(code).digest("base64");
  const root = join(tmpdir(), "platform-bundles");
  mkdirSync(root, { recursive: true });
  const directory = mkdtempSync(join(root, "fn-"));
  writeFileSync(join(directory, "index.js"), code);
  const built = { directory, codeHash };
  bundles.set(entry, built);
  return built;
}
