/**
 * An offline stand-in for an environment's AWS, for converge tests: each stack planned by real
 * Terraform and the real AWS provider against a local state file, and "applied" by writing the
 * state from the plan's planned values (state-from-plan.ts). No account, no network.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PlannedStack } from "../../scripts/deploy/ci-terraform";
import { offlineProviders } from "../../scripts/tf-check/offline-check";
import type { Applier, Planner } from "../../scripts/deploy/converge";
import type { ProviderSchema } from "../../scripts/shared/mock-outputs";
import type { PlanJson } from "../../scripts/shared/plan-json";
import type { StackConfigJson } from "../../scripts/shared/planned-outputs";
import { redactPlan } from "../../scripts/shared/plan-redact";
import { OFFLINE_ENV, runTerraform, type TerraformSetup } from "../../scripts/shared/terraform";
import { stateFromCreatePlan } from "./state-from-plan";


export class OfflineEnvironment {
  private readonly raw = new Map<string, object>();
  private schema: ProviderSchema | undefined;
  /** How many applies each stack got. */
  readonly applies = new Map<string, number>();

  /** `main(stack)` is the stack's cdk.tf.json as main synthesizes it now. */
  constructor(
    private readonly setup: TerraformSetup,
    private readonly root: string,
    private readonly main: (stack: string) => string,
  ) {}

  private dir(stack: string): string {
    return join(this.root, "stacks", stack);
  }

  private statePath(stack: string): string {
    return join(this.root, "state", `${stack}.tfstate`);
  }

  private json(stack: string): StackConfigJson {
    return JSON.parse(readFileSync(join(this.main(stack), "cdk.tf.json"), "utf8")) as StackConfigJson;
  }

  /** A working copy of main's stack: local backend on our state file, dummy credentials. */
  private prepare(stack: string): string {
    const dir = this.dir(stack);
    mkdirSync(dir, { recursive: true });
    mkdirSync(join(this.root, "state"), { recursive: true });
    cpSync(join(this.main(stack), "cdk.tf.json"), join(dir, "cdk.tf.json"));
    const providers = offlineProviders(this.json(stack));
    writeFileSync(
      join(dir, "zz_offline_override.tf.json"),
      JSON.stringify({ terraform: { backend: { local: { path: this.statePath(stack) } } }, provider: { aws: providers } }, null, 2),
    );
    return dir;
  }

  readonly planner: Planner = {
    plan: async (stack: string): Promise<PlannedStack> => {
      const dir = this.prepare(stack);
      if (!existsSync(join(dir, ".terraform"))) {
        const init = await runTerraform(this.setup, dir, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
        if (init.code !== 0) return { stack, ok: false, error: `init failed: ${init.stderr}` };
      }
      const plan = await runTerraform(this.setup, dir, ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=tfplan"], OFFLINE_ENV);
      if (plan.code !== 0) return { stack, ok: false, error: `plan failed: ${plan.stderr}` };
      const show = await runTerraform(this.setup, dir, ["show", "-json", "tfplan"], OFFLINE_ENV);
      if (show.code !== 0) return { stack, ok: false, error: `show failed: ${show.stderr}` };
      const raw = JSON.parse(show.stdout) as object;
      this.raw.set(stack, raw);
      return { stack, ok: true, plan: redactPlan(raw as PlanJson), planFile: join(dir, "tfplan") };
    },
  };

  readonly applier: Applier = {
    apply: async (planned: PlannedStack) => {
      const raw = this.raw.get(planned.stack);
      if (!raw) return { ok: false, error: `no plan of ${planned.stack} to apply` };
      const region = String(this.json(planned.stack).provider?.aws?.[0]?.region ?? "us-east-1");
      writeFileSync(this.statePath(planned.stack), stateFromCreatePlan(raw, await this.providerSchema(planned.stack), region));
      this.applies.set(planned.stack, (this.applies.get(planned.stack) ?? 0) + 1);
      return { ok: true };
    },
  };

  private schemaLoading: Promise<ProviderSchema> | undefined;

  private providerSchema(stack: string): Promise<ProviderSchema> {
    this.schemaLoading ??= this.loadSchema(stack);
    return this.schemaLoading;
  }

  private async loadSchema(stack: string): Promise<ProviderSchema> {
    if (!this.schema) {
      const out = await runTerraform(this.setup, this.dir(stack), ["providers", "schema", "-json"], OFFLINE_ENV);
      if (out.code !== 0) throw new Error(`terraform providers schema failed: ${out.stderr}`);
      const all = JSON.parse(out.stdout) as { provider_schemas: Record<string, { resource_schemas: ProviderSchema["resources"] }> };
      const aws = Object.entries(all.provider_schemas).find(([k]) => k.endsWith("hashicorp/aws"))?.[1];
      this.schema = { resources: aws?.resource_schemas ?? {} } as ProviderSchema;
    }
    return this.schema;
  }
}
