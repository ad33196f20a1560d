/**
 * What the redeploy function acts on, as `RedeployOnParameterChange` writes it into the
 * function's environment and the handler reads it back. Shared by both sides so they cannot
 * drift. No AWS SDK or cdktf import here: synth and the handler bundle both load this file.
 */

/** Environment variable holding the JSON of {@link RedeployConfig}. */
export const REDEPLOY_CONFIG_ENV_VAR = "REDEPLOY_CONFIG";

/** SSM operations after which the parameter holds a new value; `Delete` and labels are not. */
export const VALUE_CHANGING_OPERATIONS: readonly string[] = ["Create", "Update"];

export interface RedeployTarget {
  readonly cluster: string;
  readonly service: string;
}

export interface RedeployConfig {
  /** Only changes of this parameter trigger a redeploy. */
  readonly parameterName: string;
  /** Services by the key the user gave them; the key appears in every log line. */
  readonly services: Readonly<Record<string, RedeployTarget>>;
}

/**
 * EventBridge pattern matching a write of one SSM parameter (SSM's native "Parameter Store
 * Change" event): the same pattern as `databaseUrlChangeEventPattern` of `@platform/database`,
 * built here because compute does not depend on the database package. Plain JSON, so a
 * parameter name token becomes an interpolation inside the string.
 */
export function parameterChangeEventPattern(parameterName: string): string {
  return JSON.stringify({
    source: ["aws.ssm"],
    "detail-type": ["Parameter Store Change"],
    detail: { name: [parameterName], operation: [...VALUE_CHANGING_OPERATIONS] },
  });
}

/**
 * Parses and checks the environment JSON. The construct always writes a valid value, so a
 * failure here means someone edited the function's configuration by hand.
 */
export function parseRedeployConfig(text: string | undefined): RedeployConfig {
  const where = `environment variable ${REDEPLOY_CONFIG_ENV_VAR}`;
  if (!text) throw new Error(`${where} is not set; deploy the function through the RedeployOnParameterChange construct.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON: ${text.slice(0, 200)}`);
  }
  const shape = `${where} must be {"parameterName":"/...","services":{"<key>":{"cluster":"...","service":"..."}}}`;
  if (!isObject(value) || typeof value.parameterName !== "string" || !isObject(value.services)) {
    throw new Error(`${shape}, got ${text.slice(0, 200)}`);
  }
  const services: Record<string, RedeployTarget> = {};
  for (const [key, svc] of Object.entries(value.services)) {
    if (!isObject(svc) || typeof svc.cluster !== "string" || typeof svc.service !== "string") {
      throw new Error(`${shape}; services.${key} is ${JSON.stringify(svc)}`);
    }
    services[key] = { cluster: svc.cluster, service: svc.service };
  }
  return { parameterName: value.parameterName, services };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
