import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { ARN_SHAPES, type Validator, isArnOf, isKnown, parseArn } from "@platform/core";
import type { BucketGrant, TaskGrants } from "./fargate-service-props";

/** The environment variable that carries a granted bucket's name. */
export const DEFAULT_BUCKET_VARIABLE = "ASSETS_BUCKET";

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks `grants`; fields are under `field` (e.g. `grants`). */
export function validateTaskGrants(v: Validator, field: string, grants: TaskGrants | undefined): void {
  if (!grants) return;
  const bucket = grants.bucket;
  if (bucket) {
    v.check(bucket.access === "read" || bucket.access === "read-write", `${field}.bucket.access`, bucket.access, 'must be "read" or "read-write".');
    const variable = bucket.environmentVariable ?? DEFAULT_BUCKET_VARIABLE;
    v.check(ENV_NAME.test(variable), `${field}.bucket.environmentVariable`, variable, "must be an environment variable name (letters, digits, underscores), e.g. \"ASSETS_BUCKET\".");
  }
  for (const arn of grants.parameterArns ?? []) {
    // A path grant ends in `/*`; the rest must be a parameter ARN.
    if (isKnown(arn)) v.check(isArnOf(ARN_SHAPES.ssmParameter, arn.replace(/\/\*$/, "")), `${field}.parameterArns`, arn, "must be an SSM parameter ARN, optionally ending in /* for a path.");
  }
  for (const name of grants.secretNames ?? []) {
    if (isKnown(name)) v.check(SECRET_NAME.test(name) && parseArn(name) === undefined, `${field}.secretNames`, name, "must be a Secrets Manager secret name, not an ARN, e.g. \"/acme/prod/PARTNER_TOKEN\".");
  }
}

/** S3 statements of a bucket grant: objects only, never the bucket's configuration or policy. */
export function bucketStatements(bucket: BucketGrant): DataAwsIamPolicyDocumentStatement[] {
  const objects = `${bucket.bucketArn}/*`;
  return [
    { sid: "BucketList", actions: ["s3:ListBucket"], resources: [bucket.bucketArn] },
    { sid: "BucketRead", actions: ["s3:GetObject"], resources: [objects] },
    ...(bucket.access === "read-write"
      ? [{ sid: "BucketWrite", actions: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], resources: [objects] }]
      : []),
  ];
}

/** Every task role statement `grants` asks for; `secretArnPrefix` is `arn:…:secretsmanager:<region>:<account>:secret:`. */
export function taskGrantStatements(grants: TaskGrants | undefined, secretArnPrefix: string): DataAwsIamPolicyDocumentStatement[] {
  if (!grants) return [];
  const statements: DataAwsIamPolicyDocumentStatement[] = [];
  if (grants.bucket) statements.push(...bucketStatements(grants.bucket));
  const parameters = [...(grants.parameterArns ?? [])];
  if (parameters.length > 0) {
    statements.push({ sid: "ReadParameters", actions: ["ssm:GetParameter", "ssm:GetParameters"], resources: parameters });
    const paths = parameters.filter((p) => p.endsWith("/*")).map((p) => p.slice(0, -2));
    if (paths.length > 0) statements.push({ sid: "ReadParameterPaths", actions: ["ssm:GetParametersByPath"], resources: paths });
  }
  const secrets = grants.secretNames ?? [];
  if (secrets.length > 0) {
    statements.push({
      sid: "ReadSecrets",
      actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      // Secrets Manager appends six random characters to every secret's name.
      resources: secrets.map((name) => `${secretArnPrefix}${name}-??????`),
    });
  }
  if ((grants.kmsKeyArns ?? []).length > 0 && (parameters.length > 0 || secrets.length > 0)) {
    statements.push({
      sid: "DecryptGrantedSecrets",
      actions: ["kms:Decrypt"],
      resources: [...grants.kmsKeyArns!],
      condition: [{ test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] }],
    });
  }
  return statements;
}
