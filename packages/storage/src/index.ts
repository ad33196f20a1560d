export * from "./access-log-bucket";
export * from "./asset-bucket";
export {
  ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS,
  createBucketBaseline,
  tlsOnlyStatements,
  type BaselineOptions,
  type BucketBaseline,
} from "./bucket-baseline";
export * from "./cors";
export * from "./elb-log-delivery";
export * from "./encryption";
export * from "./refs";
