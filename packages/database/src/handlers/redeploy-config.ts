/**
 * What the redeploy function acts on, as `RedeployOnParameterChange` writes it into the
 * function's environment and the handler reads it back: one schema for both sides. No AWS SDK
 * or cdktf import here: synth and the handler bundle both load this file.
 */
import { defineJsonEnvironment } from "@platform/lambda/runtime";
import { z } from "zod";

const redeployTarget = z.object({ cluster: z.string().min(1), service: z.string().min(1) }).strict();

const redeployConfigSchema = z
  .object({
    /** Only changes of this parameter trigger a redeploy. */
    parameterName: z.string().min(1),
    /** Services by the key the user gave them; the key appears in every log line. */
    services: z.record(redeployTarget),
  })
  .strict();

export type RedeployTarget = z.infer<typeof redeployTarget>;
export type RedeployConfig = z.infer<typeof redeployConfigSchema>;

/** The `REDEPLOY_CONFIG` environment variable holding the JSON of {@link RedeployConfig}. */
export const redeployConfigEnvironment = defineJsonEnvironment("REDEPLOY_CONFIG", redeployConfigSchema, "RedeployOnParameterChange");

/** Environment variable holding the JSON of {@link RedeployConfig}. */
export const REDEPLOY_CONFIG_ENV_VAR = redeployConfigEnvironment.variable;

/** Parses and checks the environment JSON; a failure means someone edited the function's configuration by hand. */
export function parseRedeployConfig(text: string | undefined): RedeployConfig {
  return redeployConfigEnvironment.parse(text);
}
