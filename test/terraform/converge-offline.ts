/**
 * An offline stand-in for an environment's AWS, for converge tests: each stack planned by real
 * Terraform and the real AWS provider against a local state file, and "applied" by writing the
 * state from the plan's planned values (state-from-plan.ts). No account, no network.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlannedStack } from "../../scripts/deploy/ci-terraform";
import type { Applier, Planner } from "../../scripts/deploy/converge";
import type { ProviderSchema } from "../../scripts/shared/mock-outputs";
import type { PlanJson } from "../../scripts/shared/plan-json";
import { producerOf, type StackConfigJson } from "../../scripts/shared/planned-outputs";
import { redactPlan } from "../../scripts/shared/plan-redact";
import type { TerraformSetup } from "../../scripts/shared/terraform";
import { planBatch, type BatchJob } from "../../scripts/tf-check/plan-batch";
import { providerSchema } from "./local-pipeline";
import { stateFromCreatePlan } from "./state-from-plan";

/**
 * Plans go through planBatch (scripts/tf-check/plan-batch.ts), one stack per call: the tier's
 * shared planner runs the calls that arrive together (converge plans a wave's stacks
 * concurrently) as one terraform run. Each call gets its own stack's plan, shaped as the
 * stack's own `terraform show -json`; a call whose inputs (JSON, own and producers' states) were
 * planned before gets that plan again.
 */
export class OfflineEnvironment {
  private readonly raw = new Map<string, object>();
  /** How many applies each stack got. */
  readonly applies = new Map<string, number>();
  private batches = 0;

  /** `main(stack)` is the stack's folder (cdk.tf.json and assets) as main synthesizes it now. */
  constructor(
    private readonly setup: TerraformSetup,
    private readonly root: string,
    private readonly main: (stack: string) => string,
  ) {}

  private statePath(stack: string): string {
    return join(this.root, "state", `${stack}.tfstate`);
  }

  private json(stack: string): StackConfigJson {
    return JSON.parse(readFileSync(join(this.main(stack), "cdk.tf.json"), "utf8")) as StackConfigJson;
  }

  /** Main's stack against our state file (remote states on theirs), dummy credentials (planBatch). */
  private job(stack: string): BatchJob {
    mkdirSync(join(this.root, "state"), { recursive: true });
    const statePath = this.statePath(stack);
    return { id: stack, stackDir: this.main(stack), statePath: existsSync(statePath) ? statePath : undefined, remoteState: (producer) => this.statePath(producer) };
  }

  readonly planner: Planner = { plan: (stack: string) => this.planStack(stack) };

  /**
   * Everything a plan of `stack` reads: main's JSON, its state, its producers' states (the
   * variables are planBatch's mocks, the same every time). Equal inputs, equal plan.
   */
  private inputsOf(stack: string): string {
    const json = readFileSync(join(this.main(stack), "cdk.tf.json"), "utf8");
    const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
    const producers = Object.values(this.json(stack).data?.terraform_remote_state ?? {}).map((ds) => read(this.statePath(producerOf(ds.config))));
    return createHash("sha256").update(JSON.stringify([json, read(this.statePath(stack)), producers])).digest("hex");
  }

  /** Raw plans by their inputs: a stack planned again with nothing changed (review, preview, deploy) is not re-planned. */
  private readonly planned = new Map<string, object>();

  private async planStack(stack: string): Promise<PlannedStack> {
    const inputs = this.inputsOf(stack);
    if (!this.planned.has(inputs)) {
      const workDir = join(this.root, "batches", String(this.batches++));
      const result = (await planBatch(this.setup, [this.job(stack)], { workDir })).get(stack)!;
      if (!result.ok) return { stack, ok: false, error: result.error };
      this.planned.set(inputs, result.plan);
    }
    return this.fromCache(stack, inputs);
  }

  private fromCache(stack: string, inputs: string): PlannedStack {
    const raw = structuredClone(this.planned.get(inputs)!);
    this.raw.set(stack, raw);
    return { stack, ok: true, plan: redactPlan(raw as PlanJson) };
  }

  readonly applier: Applier = {
    apply: async (planned: PlannedStack) => {
      const raw = this.raw.get(planned.stack);
      if (!raw) return { ok: false, error: `no plan of ${planned.stack} to apply` };
      const region = String(this.json(planned.stack).provider?.aws?.[0]?.region ?? "us-east-1");
      writeFileSync(this.statePath(planned.stack), stateFromCreatePlan(raw, await this.providerSchema(), region));
      this.applies.set(planned.stack, (this.applies.get(planned.stack) ?? 0) + 1);
      return { ok: true };
    },
  };

  private schemaLoading: Promise<ProviderSchema> | undefined;

  /** The provider schema, cached across runs with the terraform tier's (.tf-test). */
  private providerSchema(): Promise<ProviderSchema> {
    this.schemaLoading ??= providerSchema(this.setup, join(this.root, "schema"));
    return this.schemaLoading;
  }
}
