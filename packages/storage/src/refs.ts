/** What other stacks need from a bucket: plain strings, each one Terraform output. */
export interface StorageRef {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `<bucket>.s3.<region>.amazonaws.com`, the origin domain for CloudFront. */
  readonly bucketRegionalDomainName: string;
}

/** An access log bucket plus the key prefix load balancers must write under. */
export interface AccessLogBucketRef extends StorageRef {
  /** Value for the ALB's `access_logs.prefix` (empty string means no prefix). */
  readonly logPrefix: string;
}
