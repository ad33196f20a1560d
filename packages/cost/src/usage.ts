import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** A usage figure: one number for both, or separate base and peak values. */
export type Amount = number | { readonly base: number; readonly peak: number };

/**
 * Usage the stacks cannot tell (traffic, data, storage). One file per environment,
 * packages/cost/usage/<env>.json; every key is optional and falls back to DEFAULT_USAGE.
 */
export interface Usage {
  readonly description?: string;
  /** Average load-balancer capacity units per ALB (new connections, active connections, GB, rule evaluations). */
  readonly albLcu: Amount;
  /** GB per month through all NAT gateways of the environment. */
  readonly natDataGb: Amount;
  /** GB per month through all interface endpoints of the environment. */
  readonly endpointDataGb: Amount;
  /** GB ingested per month per log group; `byName` overrides by a substring of the group name. */
  readonly logIngestGb: { readonly default: Amount; readonly byName?: Readonly<Record<string, Amount>> };
  /** GB of VPC flow logs per month per flow log. */
  readonly flowLogGb: Amount;
  /** Million requests per month through each web ACL. */
  readonly wafRequestsMillions: Amount;
  /** GB stored per ECR repository. */
  readonly ecrStorageGb: Amount;
  /** GB stored per S3 bucket (Standard). */
  readonly s3StorageGb: Amount;
  /** GB stored per Aurora cluster, and million I/O requests per month. */
  readonly auroraStorageGb: Amount;
  readonly auroraIoMillions: Amount;
  /** Invocations per month of each Lambda function not driven by a schedule, and average seconds each. */
  readonly lambdaInvocations: Amount;
  readonly lambdaSeconds: number;
  /** DynamoDB on-demand: million write and read request units per month per table, GB stored. */
  readonly dynamodbWritesMillions: Amount;
  readonly dynamodbReadsMillions: Amount;
  readonly dynamodbStorageGb: Amount;
  /** E-mail notifications per SNS e-mail subscription per month. */
  readonly snsEmails: Amount;
  /** GB per EFS file system (Standard) and per backup vault. */
  readonly efsStorageGb: Amount;
  readonly backupStorageGb: Amount;
  /** Container Insights metrics per cluster and per service (ECS, standard observability). */
  readonly containerInsightsMetricsPerCluster: number;
  readonly containerInsightsMetricsPerService: number;
}

export const DEFAULT_USAGE: Usage = {
  albLcu: { base: 0.1, peak: 1 },
  natDataGb: { base: 10, peak: 50 },
  endpointDataGb: { base: 5, peak: 20 },
  logIngestGb: { default: 0.1 },
  flowLogGb: { base: 2, peak: 10 },
  wafRequestsMillions: { base: 1, peak: 10 },
  ecrStorageGb: 1,
  s3StorageGb: 1,
  auroraStorageGb: 1,
  auroraIoMillions: { base: 1, peak: 10 },
  lambdaInvocations: 100,
  lambdaSeconds: 1,
  dynamodbWritesMillions: 0.001,
  dynamodbReadsMillions: 0.001,
  dynamodbStorageGb: 0.001,
  snsEmails: 100,
  efsStorageGb: 10,
  backupStorageGb: 10,
  containerInsightsMetricsPerCluster: 8,
  containerInsightsMetricsPerService: 11,
};

export const USAGE_DIR = fileURLToPath(new URL("../usage", import.meta.url));

/** The usage file of `environment` over the defaults (a missing file means defaults). */
export function loadUsage(environment: string, dir: string = USAGE_DIR): Usage {
  const path = join(dir, `${environment}.json`);
  if (!existsSync(path)) return DEFAULT_USAGE;
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Usage>;
  const unknown = Object.keys(parsed).filter((k) => !(k in DEFAULT_USAGE) && k !== "description" && !k.startsWith("//"));
  if (unknown.length > 0) throw new Error(`cost: ${path} has unknown key(s) ${unknown.join(", ")}; known: ${Object.keys(DEFAULT_USAGE).join(", ")}`);
  return { ...DEFAULT_USAGE, ...parsed };
}

export function baseOf(a: Amount): number {
  return typeof a === "number" ? a : a.base;
}

export function peakOf(a: Amount): number {
  return typeof a === "number" ? a : a.peak;
}
