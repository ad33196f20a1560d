import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { environmentConfigSchema, type EnvironmentLayersConfig } from "../src/index";
import { minimalConfig } from "./fixtures";

/**
 * The config interfaces (config.ts, documented field by field) and the schema that validates them
 * must describe the same thing. These assignments fail `pnpm typecheck` when a field is added to
 * one and not the other, or typed differently.
 */
type SchemaInput = z.input<typeof environmentConfigSchema>;
type SchemaOutput = z.output<typeof environmentConfigSchema>;
const configIsSchemaInput = (config: EnvironmentLayersConfig): SchemaInput => config;
const schemaOutputIsConfig = (parsed: SchemaOutput): EnvironmentLayersConfig => parsed;
/** A type with readonly and optional markers removed, so that only names and value types are compared. */
type Shape<T> = T extends readonly (infer U)[] ? Shape<U>[] : T extends object ? { -readonly [K in keyof T]-?: Shape<Exclude<T[K], undefined>> } : T;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameFields: Equal<Shape<EnvironmentLayersConfig>, Shape<SchemaOutput>> = true;

describe("config schema and config types", () => {
  it("agree (checked by the type checker) and the schema accepts a valid config unchanged", () => {
    expect(sameFields).toBe(true);
    const parsed = environmentConfigSchema.parse(configIsSchemaInput(minimalConfig));
    expect(schemaOutputIsConfig(parsed)).toEqual(minimalConfig);
  });
});
