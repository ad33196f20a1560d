/**
 * The environments the policy pack checks, with their reviewed waivers. `pnpm synth` runs the
 * pack before writing (apps/main.ts) and `pnpm policy` prints it.
 */
import type { PolicyTarget } from "@platform/policy";
import { prod, prodWaivers } from "./prod/src/config";
import { staging, stagingWaivers } from "./staging/src/config";

export const policyTargets: readonly PolicyTarget[] = [
  { name: staging.environment.name, accountId: staging.environment.accountId, region: staging.environment.region, production: false, waivers: stagingWaivers },
  { name: prod.environment.name, accountId: prod.environment.accountId, region: prod.environment.region, production: true, waivers: prodWaivers },
];
