import { createHash } from "node:crypto";

/**
 * AWS name length limits for the resources this platform names. Names longer than the
 * limit are shortened with a stable hash suffix rather than rejected, so a long project
 * name never breaks a deploy.
 */
export const NAME_LIMITS = {
  albName: 32,
  targetGroupName: 32,
  iamRoleName: 64,
  iamPolicyName: 128,
  s3BucketName: 63,
  lambdaFunctionName: 64,
  rdsIdentifier: 63,
  dbSubnetGroupName: 255,
  ecsClusterName: 255,
  ecsServiceName: 255,
  ecrRepositoryName: 256,
  securityGroupName: 255,
  logGroupName: 512,
  dynamoDbTableName: 255,
  schedulerName: 64,
  snsTopicName: 256,
  wafName: 128,
  alarmName: 255,
  efsCreationToken: 64,
} as const;

export type NameLimit = keyof typeof NAME_LIMITS;

const SEPARATOR = "-";

/** Lower-cases and replaces anything but [a-z0-9-] by `-`, collapsing repeats. */
export function sanitizeNamePart(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, SEPARATOR)
    .replace(/-{2,}/g, SEPARATOR)
    .replace(/^-|-$/g, "");
}

/** Short stable hash of a string, for suffixes that keep truncated names unique. */
export function shortHash(text: string, length = 6): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * Joins parts into a `kebab-case` name within `maxLength`. When the joined name is too long
 * it is cut and suffixed with a hash of the full name, so two long names stay distinct and
 * the same input always gives the same name.
 */
export function boundedName(parts: readonly string[], maxLength: number): string {
  const full = parts.map(sanitizeNamePart).filter(Boolean).join(SEPARATOR);
  if (full.length <= maxLength) return full;
  const suffix = shortHash(full);
  const head = full.slice(0, maxLength - suffix.length - 1).replace(/-+$/, "");
  return `${head}${SEPARATOR}${suffix}`;
}
