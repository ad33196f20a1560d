import type { Rule } from "../types";
import { computeRules } from "./compute";
import { dataRules } from "./data";
import { edgeRules } from "./edge";
import { iamRules } from "./iam";
import { networkRules } from "./network";
import { operationsRules } from "./operations";

/** Every rule of the pack, in report order. */
export const RULES: readonly Rule[] = [...networkRules, ...edgeRules, ...computeRules, ...dataRules, ...iamRules, ...operationsRules];
