import type { z } from "zod";
import { problemsOf } from "./define";

/**
 * A function's configuration as JSON in one environment variable: the construct writes it with
 * `serialize`, the handler reads it back with `parse`. One schema for both sides, so they
 * cannot drift.
 */
export interface JsonEnvironment<T> {
  /** Name of the environment variable. */
  readonly variable: string;
  readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** The value as the construct writes it (checked against the schema when it holds no token). */
  serialize(value: T): string;
  /** Parses and checks the variable; the error names the variable, each problem, and the fix. */
  parse(text: string | undefined): T;
}

/**
 * @param owner the construct that writes the variable, named in the error that says it is missing
 *   (a failure here means someone edited the function's configuration by hand).
 */
export function defineJsonEnvironment<T>(
  variable: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  owner: string,
): JsonEnvironment<T> {
  const where = `environment variable ${variable}`;
  return {
    variable,
    schema,
    serialize: (value) => JSON.stringify(value),
    parse(text) {
      if (!text) throw new Error(`${where} is not set; deploy the function through the ${owner} construct.`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error(`${where} is not JSON: ${text.slice(0, 200)}`);
      }
      const result = schema.safeParse(value);
      if (!result.success) {
        throw new Error(`${where} is invalid: ${problemsOf(result.error).join("; ")}; redeploy it through the ${owner} construct.`);
      }
      return result.data;
    },
  };
}
