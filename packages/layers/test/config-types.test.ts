import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { environmentPlanSchema, type EnvironmentPlan } from "../src/index";
import { minimalPlan } from "./fixtures";

/**
 * The config interfaces (plan.ts, documented field by field) and the schema that validates them
 * must describe the same thing. These assignments fail `pnpm typecheck` when a field is added to
 * one and not the other, or typed differently.
 */
type SchemaInput = z.input<typeof environmentPlanSchema>;
type SchemaOutput = z.output<typeof environmentPlanSchema>;
const planIsSchemaInput = (plan: EnvironmentPlan): SchemaInput => plan;
const schemaOutputIsPlan = (parsed: SchemaOutput): EnvironmentPlan => parsed;
/** A type with readonly and optional markers removed, so that only names and value types are compared. */
type Shape<T> = T extends readonly (infer U)[] ? Shape<U>[] : T extends object ? { -readonly [K in keyof T]-?: Shape<Exclude<T[K], undefined>> } : T;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameFields: Equal<Shape<EnvironmentPlan>, Shape<SchemaOutput>> = true;

describe("config schema and config types", () => {
  it("agree (checked by the type checker) and the schema accepts a valid plan unchanged", () => {
    expect(sameFields).toBe(true);
    const parsed = environmentPlanSchema.parse(planIsSchemaInput(minimalPlan));
    expect(schemaOutputIsPlan(parsed)).toEqual(minimalPlan);
  });
});
