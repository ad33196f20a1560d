/**
 * vitest setup file of the terraform tier: this worker's planBatch calls go to the tier's shared
 * planner (scripts/tf-check/shared-planner.ts), which global-setup.ts serves; without it (no terraform, or a
 * file run outside the tier) they run here as usual.
 */
import { inject } from "vitest";
import { delegateBatches } from "../../scripts/tf-check/plan-batch";
import { remotePlanner } from "../../scripts/tf-check/shared-planner";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the tier's shared planner; empty when there is none. */
    sharedPlanner: string;
  }
}

const url = inject("sharedPlanner");
/** This worker's way to the shared planner (undefined without one): a file that plans batches meant to fail sets it aside for a while. */
export const sharedPlanner = url ? remotePlanner(url) : undefined;
delegateBatches(sharedPlanner);
