import { Validator, checkKmsKeyArn, isKnown } from "@platform/core";
import type { BucketEncryption } from "./encryption";

const PURPOSE_PATTERN = /^[a-z][a-z0-9-]*$/;

export function checkPurpose(v: Validator, purpose: string): void {
  v.check(
    PURPOSE_PATTERN.test(purpose),
    "purpose",
    purpose,
    'must be lower-case letters, digits and hyphens starting with a letter (e.g. "assets").',
  );
}

export function checkEncryption(v: Validator, encryption: BucketEncryption | undefined): void {
  if (encryption === undefined) return;
  const type = (encryption as { type?: unknown }).type;
  if (!v.check(type === "AES256" || type === "KMS", "encryption.type", type, 'must be "AES256" or "KMS".')) return;
  if (encryption.type !== "KMS") return;
  // S3 stores the key ID with each object: the key itself, not an alias.
  checkKmsKeyArn(v, "encryption.kmsKeyArn", encryption.kmsKeyArn, { aliases: false });
}

/** Whole number of days at least `min`; Terraform tokens pass through unchecked. Returns the number when checkable. */
export function checkDays(v: Validator, field: string, value: number | undefined, min: number, why = ""): number | undefined {
  if (value === undefined || !isKnown(value)) return undefined;
  const ok = v.check(Number.isInteger(value) && value >= min, field, value, `must be a whole number of days >= ${min}${why}.`);
  return ok ? value : undefined;
}
