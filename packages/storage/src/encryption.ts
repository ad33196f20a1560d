import type { S3BucketServerSideEncryptionConfigurationRuleA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";

/** Default encryption of new objects. */
export type BucketEncryption =
  /** SSE-S3: no key to manage, works with every AWS service that reads or writes the bucket. */
  | { readonly type: "AES256" }
  /**
   * SSE-KMS with a customer managed key (S3 Bucket Keys on, to cut KMS request cost). Every
   * reader, including CloudFront, needs `kms:Decrypt` on the key.
   */
  | { readonly type: "KMS"; readonly kmsKeyArn: string };

export function encryptionRule(encryption: BucketEncryption): S3BucketServerSideEncryptionConfigurationRuleA {
  return encryption.type === "KMS"
    ? {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn },
        bucketKeyEnabled: true,
      }
    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
}
