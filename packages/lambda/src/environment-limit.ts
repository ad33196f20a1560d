/** Lambda's limit on the total size of a function's environment variables. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;

/** Bytes a variable takes of the Lambda environment limit. */
export function lambdaEnvironmentBytes(name: string, value: string): number {
  return Buffer.byteLength(name + value, "utf8");
}
