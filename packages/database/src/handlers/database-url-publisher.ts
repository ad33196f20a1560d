/**
 * Lambda: writes DATABASE_URL (an SSM SecureString) from the RDS-managed master secret.
 * Runs at deploy (aws_lambda_invocation), after every rotation of the secret (EventBridge) and
 * on a schedule as a safety net. The password only ever exists in Secrets Manager, in SSM and in
 * this function's memory: never in Terraform state, the invocation result or the logs.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DescribeParametersCommand, GetParameterCommand, ParameterNotFound, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { type DatabaseLocation, databaseUrl, parseMasterCredentials } from "./database-url";
import { publisherTrigger } from "./database-url-events";

export interface PublisherConfig extends DatabaseLocation {
  readonly secretArn: string;
  readonly parameterName: string;
  /** Customer managed KMS key of the SecureString; absent: the AWS managed aws/ssm key. */
  readonly kmsKeyId?: string;
}

export interface PublisherDeps {
  readonly secrets: Pick<SecretsManagerClient, "send">;
  readonly ssm: Pick<SSMClient, "send">;
  /** Waits between retries; injectable so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What the function returns: goes into Terraform state via aws_lambda_invocation, so never a secret. */
export interface PublishResult {
  readonly parameterName: string;
  readonly changed: boolean;
  /** SSM parameter version after the run (unchanged runs report the current one). */
  readonly version: number;
}

/** Reads the configuration from the function environment; every variable is required. */
export function configFromEnvironment(env: Readonly<Record<string, string | undefined>>): PublisherConfig {
  const get = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const port = Number(get("DB_PORT"));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error("environment variable DB_PORT is not a port");
  return {
    secretArn: get("SECRET_ARN"),
    parameterName: get("PARAMETER_NAME"),
    host: get("DB_HOST"),
    port,
    databaseName: get("DB_NAME"),
    ...(env.PARAMETER_KMS_KEY_ID ? { kmsKeyId: env.PARAMETER_KMS_KEY_ID } : {}),
  };
}

// IAM changes take seconds to propagate; the deploy-time invocation can run right after the role
// policy is attached, so access-denied errors are retried for about half a minute.
const RETRY_DELAYS_MS = [2000, 4000, 8000, 8000, 8000];

async function withRetry<T>(deps: PublisherDeps, action: () => Promise<T>): Promise<T> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      const name = (error as { name?: string }).name ?? "";
      const retryable = /AccessDenied/.test(name);
      if (!retryable || attempt >= RETRY_DELAYS_MS.length) throw error;
      await sleep(RETRY_DELAYS_MS[attempt]!);
    }
  }
}

/** Publishes the URL; skips the write when the parameter already holds it (no version churn). */
export async function publishDatabaseUrl(deps: PublisherDeps, config: PublisherConfig): Promise<PublishResult> {
  const secret = await withRetry(deps, () => deps.secrets.send(new GetSecretValueCommand({ SecretId: config.secretArn })));
  const url = databaseUrl(config, parseMasterCredentials(secret.SecretString));

  const current = await withRetry(deps, async () => {
    try {
      const out = await deps.ssm.send(new GetParameterCommand({ Name: config.parameterName, WithDecryption: true }));
      return out.Parameter;
    } catch (error) {
      if (error instanceof ParameterNotFound || (error as { name?: string }).name === "ParameterNotFound") return undefined;
      throw error;
    }
  });
  const keyOk = config.kmsKeyId === undefined || current === undefined || (await currentKeyId(deps, config.parameterName)) === config.kmsKeyId;
  if (current?.Value === url && current.Type === "SecureString" && keyOk) {
    return { parameterName: config.parameterName, changed: false, version: current.Version ?? 0 };
  }

  const put = await withRetry(deps, () =>
    deps.ssm.send(
      new PutParameterCommand({
        Name: config.parameterName,
        Value: url,
        // The environment's customer managed key when given (only the roles its policy names can
        // decrypt), else the default aws/ssm key.
        Type: "SecureString",
        ...(config.kmsKeyId ? { KeyId: config.kmsKeyId } : {}),
        Overwrite: true,
        Description: `PostgreSQL URL from ${config.secretArn.split(":").slice(-1)[0]}; written by a Lambda, do not edit`,
      }),
    ),
  );
  return { parameterName: config.parameterName, changed: true, version: put.Version ?? 0 };
}

/** KMS key the parameter is encrypted with today (DescribeParameters reports it as it was given when written). */
async function currentKeyId(deps: PublisherDeps, name: string): Promise<string | undefined> {
  const out = await withRetry(deps, () =>
    deps.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "Equals", Values: [name] }] })),
  );
  return out.Parameters?.[0]?.KeyId;
}

let clients: PublisherDeps | undefined;

/**
 * Entry point for every trigger. The event must be one of the three the construct configures
 * (rotation, schedule, deploy), else it is rejected before any AWS call; it is not trusted for
 * configuration (it only says why the function runs), and only its kind is logged.
 */
export async function handler(event: unknown): Promise<PublishResult> {
  const trigger = publisherTrigger(event);
  clients ??= { secrets: new SecretsManagerClient({}), ssm: new SSMClient({}) };
  const result = await publishDatabaseUrl(clients, configFromEnvironment(process.env));
  console.log(JSON.stringify({ message: "DATABASE_URL checked", trigger, ...result }));
  return result;
}
