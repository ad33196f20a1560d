import { Validator, isKnown } from "@platform/core";
import { KMS_KEY_ARN_PATTERN, type BucketEncryption } from "./encryption";

const NAME_PREFIX_PATTERN = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const PURPOSE_PATTERN = /^[a-z][a-z0-9-]*$/;
const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", "--x-s3", "--table-s3"];

export function checkNamePrefix(v: Validator, namePrefix: string): void {
  v.check(
    typeof namePrefix === "string" && NAME_PREFIX_PATTERN.test(namePrefix),
    "namePrefix",
    namePrefix,
    'must be lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. "acme-staging").',
  );
}

export function checkPurpose(v: Validator, purpose: string): void {
  v.check(
    PURPOSE_PATTERN.test(purpose),
    "purpose",
    purpose,
    'must be lower-case letters, digits and hyphens starting with a letter (e.g. "assets").',
  );
}

/**
 * S3 naming rules, minus dots: a dotted name breaks TLS certificate matching on
 * virtual-hosted endpoints and rules out Transfer Acceleration.
 */
export function checkBucketName(v: Validator, field: string, name: string): void {
  if (!isKnown(name)) return;
  const ok =
    BUCKET_NAME_PATTERN.test(name) &&
    !RESERVED_PREFIXES.some((p) => name.startsWith(p)) &&
    !RESERVED_SUFFIXES.some((s) => name.endsWith(s));
  v.check(
    ok,
    field,
    name,
    `must be 3-63 lower-case letters, digits and hyphens, start and end with a letter or digit, and not start with ${RESERVED_PREFIXES.join("/")} or end with ${RESERVED_SUFFIXES.join("/")} (dots are refused: they break TLS on virtual-hosted endpoints).`,
  );
}

export function checkEncryption(v: Validator, encryption: BucketEncryption | undefined): void {
  if (encryption === undefined) return;
  const type = (encryption as { type?: unknown }).type;
  if (!v.check(type === "AES256" || type === "KMS", "encryption.type", type, 'must be "AES256" or "KMS".')) return;
  if (encryption.type !== "KMS") return;
  const arn = encryption.kmsKeyArn;
  if (arn !== undefined && !isKnown(arn)) return;
  v.check(
    typeof arn === "string" && KMS_KEY_ARN_PATTERN.test(arn),
    "encryption.kmsKeyArn",
    arn,
    "must be a KMS key ARN like arn:aws:kms:ap-northeast-1:123456789012:key/<key-id> (not an alias or bare key ID).",
  );
}

/** Whole number of days at least `min`; Terraform tokens pass through unchecked. Returns the number when checkable. */
export function checkDays(v: Validator, field: string, value: number | undefined, min: number, why = ""): number | undefined {
  if (value === undefined || !isKnown(value)) return undefined;
  const ok = v.check(Number.isInteger(value) && value >= min, field, value, `must be a whole number of days >= ${min}${why}.`);
  return ok ? value : undefined;
}
