/**
 * An offline stand-in for an environment's AWS, for converge tests: each stack planned by real
 * Terraform and the real AWS provider against a local state file, and "applied" by writing the
 * state from the plan's planned values (state-from-plan.ts). No account, no network.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PlannedStack } from "../../scripts/deploy/ci-terraform";
import type { Applier, Planner } from "../../scripts/deploy/converge";
import type { ProviderSchema } from "../../scripts/shared/mock-outputs";
import type { PlanJson } from "../../scripts/shared/plan-json";
import type { StackConfigJson } from "../../scripts/shared/planned-outputs";
import { redactPlan } from "../../scripts/shared/plan-redact";
import type { TerraformSetup } from "../../scripts/shared/terraform";
import { planBatch, type BatchJob } from "../../scripts/tf-check/plan-batch";
import { providerSchema } from "./local-pipeline";
import { stateFromCreatePlan } from "./state-from-plan";

interface PlanCall {
  readonly stack: string;
  readonly resolve: (planned: PlannedStack) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Plans go through planBatch (scripts/tf-check/plan-batch.ts): the plan calls that arrive
 * together (converge plans a wave's stacks concurrently) share one terraform run, as each
 * terraform process spends seconds loading the provider schema whatever it plans. Each call
 * still gets its own stack's plan, shaped as the stack's own `terraform show -json`.
 */
export class OfflineEnvironment {
  private readonly raw = new Map<string, object>();
  /** How many applies each stack got. */
  readonly applies = new Map<string, number>();
  private queue: PlanCall[] = [];
  private flushing: Promise<void> | undefined;
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

  readonly planner: Planner = {
    plan: (stack: string): Promise<PlannedStack> =>
      new Promise((resolvePlan, reject) => {
        this.queue.push({ stack, resolve: resolvePlan, reject });
        // Calls made in the same turn join one batch; calls made while a batch runs, the next.
        this.flushing ??= new Promise<void>((done) => setImmediate(done)).then(() => this.flush());
      }),
  };

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const calls = this.queue;
      this.queue = [];
      try {
        const results = await this.planStacks([...new Set(calls.map((c) => c.stack))]);
        for (const call of calls) call.resolve(results.get(call.stack)!);
      } catch (error) {
        for (const call of calls) call.reject(error);
      }
    }
    this.flushing = undefined;
  }

  private async planStacks(stacks: readonly string[]): Promise<Map<string, PlannedStack>> {
    const workDir = join(this.root, "batches", String(this.batches++));
    const results = await planBatch(this.setup, stacks.map((s) => this.job(s)), { workDir });
    // A failed run fails every job: plan each stack alone to tell which one failed, and why.
    if (stacks.length > 1 && [...results.values()].some((r) => !r.ok)) {
      const alone = await Promise.all(stacks.map((s) => this.planStacks([s])));
      return new Map(alone.flatMap((m) => [...m]));
    }
    return new Map(
      stacks.map((stack): [string, PlannedStack] => {
        const result = results.get(stack)!;
        if (!result.ok) return [stack, { stack, ok: false, error: result.error }];
        this.raw.set(stack, result.plan);
        return [stack, { stack, ok: true, plan: redactPlan(result.plan as PlanJson) }];
      }),
    );
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
    this.schemaLoading ??= providerSchema(this.setup, join(this.root, "schema"), resolve(".tf-test"));
    return this.schemaLoading;
  }
}
