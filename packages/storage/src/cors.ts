import type { S3BucketCorsConfigurationCorsRule } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { Validator, isKnown } from "@platform/core";

export type CorsMethod = "GET" | "HEAD" | "PUT" | "POST" | "DELETE";

/** Which web origins may call the bucket from a browser. */
export interface BucketCors {
  /**
   * Exact origins: `https://app.example.com` (a port is allowed) or a bare host
   * `app.example.com`, which is written as `https://app.example.com`. No wildcards, no
   * plain http, no paths: browsers send `scheme://host[:port]` and S3 matches it literally.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * @default ["GET", "HEAD"] (read-only)
   */
  readonly allowedMethods?: readonly CorsMethod[];
  /**
   * Request headers a preflight may ask for, e.g. `["Content-Type"]` for browser uploads.
   * @default none
   */
  readonly allowedHeaders?: readonly string[];
  /**
   * Response headers scripts may read, e.g. `["ETag"]` for multipart uploads.
   * @default none
   */
  readonly exposeHeaders?: readonly string[];
  /**
   * How long browsers cache a preflight response (0-86400; browsers cap it lower).
   * @default 3600
   */
  readonly maxAgeSeconds?: number;
}

export const DEFAULT_CORS_MAX_AGE_SECONDS = 3600;
const METHODS: readonly string[] = ["GET", "HEAD", "PUT", "POST", "DELETE"];
const HOST = "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}";
const HTTPS_ORIGIN_PATTERN = new RegExp(`^https://${HOST}(:\\d{1,5})?$`);
const BARE_HOST_PATTERN = new RegExp(`^${HOST}$`);

/** `https://host[:port]` for a valid origin or bare host, else undefined. */
export function normalizeOrigin(origin: string): string | undefined {
  if (HTTPS_ORIGIN_PATTERN.test(origin)) return origin;
  if (BARE_HOST_PATTERN.test(origin)) return `https://${origin}`;
  return undefined;
}

export function checkCors(v: Validator, cors: BucketCors | undefined): void {
  if (cors === undefined) return;
  const origins = cors.allowedOrigins ?? [];
  v.check(origins.length > 0, "cors.allowedOrigins", origins, 'must list at least one origin, e.g. ["https://app.example.com"]; omit `cors` to disable CORS.');
  origins.forEach((origin, i) => {
    if (!isKnown(origin)) return;
    v.check(
      typeof origin === "string" && normalizeOrigin(origin) !== undefined,
      `cors.allowedOrigins[${i}]`,
      origin,
      'must be an exact https origin like "https://app.example.com" or a host like "app.example.com" (no "*", no http://, no path or trailing slash).',
    );
  });
  (cors.allowedMethods ?? []).forEach((method, i) =>
    v.check(METHODS.includes(method), `cors.allowedMethods[${i}]`, method, `must be one of ${METHODS.join(", ")}.`),
  );
  if (cors.allowedMethods !== undefined) {
    v.check(cors.allowedMethods.length > 0, "cors.allowedMethods", cors.allowedMethods, 'must not be empty; omit it for ["GET", "HEAD"].');
  }
  if (cors.maxAgeSeconds !== undefined && isKnown(cors.maxAgeSeconds)) {
    v.check(
      Number.isInteger(cors.maxAgeSeconds) && cors.maxAgeSeconds >= 0 && cors.maxAgeSeconds <= 86_400,
      "cors.maxAgeSeconds",
      cors.maxAgeSeconds,
      "must be a whole number of seconds from 0 to 86400.",
    );
  }
}

/** The provider's CORS rule for a validated config. */
export function corsRule(cors: BucketCors): S3BucketCorsConfigurationCorsRule {
  return {
    allowedOrigins: cors.allowedOrigins.map((o) => (isKnown(o) ? (normalizeOrigin(o) ?? o) : o)),
    allowedMethods: [...(cors.allowedMethods ?? ["GET", "HEAD"])],
    allowedHeaders: cors.allowedHeaders ? [...cors.allowedHeaders] : undefined,
    exposeHeaders: cors.exposeHeaders ? [...cors.exposeHeaders] : undefined,
    maxAgeSeconds: cors.maxAgeSeconds ?? DEFAULT_CORS_MAX_AGE_SECONDS,
  };
}
