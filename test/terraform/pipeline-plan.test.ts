/**
 * Issue 9, items 2, 3 and 10, on real offline plans of staging-security (producer) and
 * staging-compute (consumer), through the code CI runs (planStacksInWaves, planStack,
 * comparePlansDetailed). Pull requests are simulated by JSON edits of a copy of the synth
 * output; "apply" is a state built from a plan's planned values (state-from-plan.ts), planned
 * through planBatch (applyOffline in local-pipeline.ts); CI's own plans go through CI's code.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planStack, planStacksInWaves } from "../../scripts/deploy/ci-terraform";
import type { ProviderSchema } from "../../scripts/shared/mock-outputs";
import type { PlanJson, ResourceChange } from "../../scripts/shared/plan-json";
import { DEFAULT_SCHEMA_CACHE, PENDING_TOKEN, type PlanWithPending } from "../../scripts/shared/planned-outputs";
import { comparePlansDetailed, redactPlan } from "../../scripts/shared/plan-redact";
import { mainSynth } from "./main-synth";
import { findTerraform, prepareOfflineTerraform, type OfflineTerraform, type TerraformSetup } from "../../scripts/shared/terraform";
import { applyOffline, editStack, localCopy, OFFLINE_PLAN, planOffline, providerSchema, stateFile, writeProducerState } from "./local-pipeline";

const terraform = findTerraform();
const inCi = process.env.CI === "true";

const PRODUCER = "staging-security";
const CONSUMER = "staging-compute";
/** staging-compute's other producers: outputs-only states. */
const OTHER_PRODUCERS = ["staging-network", "staging-registry", "staging-database", "staging-storage"];
const SERVICE_SG = "groups_service_CD6740FD";
const SERVICE_SG_OUTPUT = `cross-stack-output-aws_security_group${SERVICE_SG}id`;

const readPlan = (file: string) => JSON.parse(readFileSync(file, "utf8")) as PlanWithPending;
const changeOf = (plan: PlanJson, address: string): ResourceChange | undefined =>
  plan.resource_changes?.find((r) => r.address === address);
const ecsServices = (plan: PlanJson) => (plan.resource_changes ?? []).filter((r) => r.type === "aws_ecs_service");

describe.skipIf(!terraform && !inCi)("CI plans: consumers planned with their producers' planned outputs", () => {
  const root = resolve(".tf-test", "pipeline");
  /**
   * CI's plans: CI's code (init, plan, show in each stack's folder) through the offline setup:
   * init resolves the provider from the mirror, dev_overrides spares each command re-hashing it.
   */
  let setup: TerraformSetup;
  /** Offline "applies": planBatch through the same setup, no init. */
  let offline: OfflineTerraform;
  let schema: ProviderSchema;
  let synth: string;
  /** States of "main" as deployed. */
  let base: string;

  /** A scenario's own copy of the synth output and of the deployed states. */
  function scenario(name: string): { outdir: string; states: string; plans: string } {
    const dir = join(root, name);
    rmSync(dir, { recursive: true, force: true });
    const states = join(dir, "states");
    cpSync(base, states, { recursive: true });
    const outdir = localCopy(synth, join(dir, "synth"), [PRODUCER, CONSUMER], states);
    return { outdir, states, plans: join(dir, "plans") };
  }

  beforeAll(async () => {
    if (!terraform) throw new Error("CI=true but terraform is not on the PATH: the terraform tier cannot be skipped in CI");
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    offline = await prepareOfflineTerraform(resolve(".tf-test", "pipeline-terraform"));
    setup = offline;
    synth = await mainSynth();
    base = join(root, "base-states");
    const outdir = localCopy(synth, join(root, "base-synth"), [PRODUCER, CONSUMER], base);
    mkdirSync(base, { recursive: true });
    schema = await providerSchema(offline, join(root, "schema"));
    for (const p of OTHER_PRODUCERS) writeProducerState(synth, p, base, schema);
    await applyOffline(offline, join(root, "base-batches"), schema, [PRODUCER, CONSUMER].map((stack) => ({ outdir, stack, states: base })));
  });

  // The scenarios run side by side (each on its own copies): CI's plans are one terraform run after
  // another within a scenario, so one after the other they were the tier's longest chain. Each
  // scenario's own steps stay in order (it.sequential).
  describe.concurrent("scenarios", () => {
    describe("a producer's security group replaced in the same pull request", () => {
      let s: ReturnType<typeof scenario>;
      let reviewed: PlanWithPending;
      let oldSgId: string;

      beforeAll(async () => {
        s = scenario("sg-replace");
        oldSgId = (JSON.parse(readFileSync(stateFile(s.states, PRODUCER), "utf8")) as { outputs: Record<string, { value: string }> }).outputs[SERVICE_SG_OUTPUT]!.value;
        // A new description forces a new security group (provider 5.100.0).
        editStack(s.outdir, PRODUCER, (json) => {
          const sg = json.resource.aws_security_group![SERVICE_SG]!;
          sg.description = `${String(sg.description)} (v2)`;
        });
        const results = await planStacksInWaves(setup, s.outdir, [CONSUMER, PRODUCER], s.plans, { ...OFFLINE_PLAN, workDir: join(s.plans, "..", "work"), schemaCacheDir: DEFAULT_SCHEMA_CACHE, concurrency: 2 });
        expect(results.map((r) => [r.stack, r.ok, r.error])).toEqual([[CONSUMER, true, undefined], [PRODUCER, true, undefined]]);
        reviewed = readPlan(join(s.plans, `${CONSUMER}.json`));
      });

      it.sequential("plans the producer's replace, and the consumer's services waiting for the new group", () => {
        const producer = readPlan(join(s.plans, `${PRODUCER}.json`));
        expect([...changeOf(producer, `aws_security_group.${SERVICE_SG}`)!.change.actions].sort()).toEqual(["create", "delete"]);

        const services = ecsServices(reviewed);
        expect(services.length).toBeGreaterThan(0);
        for (const svc of services) {
          expect(svc.change.actions).toEqual(["update"]);
          const after = svc.change.after as { network_configuration: Array<{ security_groups: unknown }> };
          const unknown = svc.change.after_unknown as { network_configuration: Array<{ security_groups: unknown }> };
          // The group's one ID: known after the producer applies.
          expect(unknown.network_configuration[0]!.security_groups).toEqual([true]);
          expect(after.network_configuration[0]!.security_groups).toEqual([null]);
          const before = svc.change.before as { network_configuration: Array<{ security_groups: string[] }> };
          expect(before.network_configuration[0]!.security_groups).toEqual([oldSgId]);
        }
        expect(reviewed.platform_pending).toEqual([
          { producer: PRODUCER, output: SERVICE_SG_OUTPUT, addresses: services.map((r) => r.address).sort() },
        ]);
        // No sentinel is left for a reviewer to mistake for a real ID.
        expect(JSON.stringify(reviewed)).not.toMatch(PENDING_TOKEN);
      });

      it.sequential("where the old way (the consumer against the producer's deployed state) saw no change of the services", async () => {
        const alone = await planStack(setup, s.outdir, CONSUMER, join(s.plans, "alone", `${CONSUMER}.json`), OFFLINE_PLAN);
        expect(alone.ok).toBe(true);
        expect(ecsServices(alone.plan!).map((r) => r.change.actions)).toEqual(ecsServices(reviewed).map(() => ["no-op"]));
      });

      it.sequential("after the producer applies (a new sg- ID), the consumer's deploy plan equals the reviewed one", async () => {
        const newSgId = "sg-0f1e2d3c4b5a69788";
        await applyOffline(offline, join(s.plans, "..", "apply"), schema, [{ outdir: s.outdir, stack: PRODUCER, states: s.states, fix: (state) => state.replaceAll(oldSgId, newSgId) }]);
        const fresh = await planStack(setup, s.outdir, CONSUMER, join(s.plans, "deploy", `${CONSUMER}.json`), OFFLINE_PLAN);
        expect(fresh.ok).toBe(true);
        for (const svc of ecsServices(fresh.plan!)) {
          expect((svc.change.after as { network_configuration: Array<{ security_groups: string[] }> }).network_configuration[0]!.security_groups).toEqual([newSgId]);
        }
        expect(comparePlansDetailed(reviewed, fresh.plan!)).toEqual({ differences: [], matchedPending: true });
        // A deploy plan that does something else is still refused.
        const other = JSON.parse(JSON.stringify(fresh.plan)) as { resource_changes: Array<{ type: string; change: { after: Record<string, unknown> } }> };
        other.resource_changes.find((r) => r.type === "aws_ecs_service")!.change.after.launch_type = "EC2";
        expect(comparePlansDetailed(reviewed, other as unknown as PlanJson).differences).toHaveLength(1);
      });
    });

    describe("a new producer output consumed in the same pull request", () => {
      const NEW_OUTPUT = "cross-stack-output-alb-group-arn";
      let s: ReturnType<typeof scenario>;

      beforeAll(() => {
        s = scenario("new-output");
        editStack(s.outdir, PRODUCER, (json) => {
          json.output = { ...json.output, [NEW_OUTPUT]: { value: "${aws_security_group.groups_alb_E07C1F9B.arn}", sensitive: true } as never };
        });
        editStack(s.outdir, CONSUMER, (json) => {
          const lb = Object.values(json.resource.aws_lb!)[0]!;
          const remote = Object.keys(json.data!.terraform_remote_state!).find((k) => k.endsWith(PRODUCER))!;
          lb.tags = { ...(lb.tags as object), AlbGroup: `\${data.terraform_remote_state.${remote}.outputs.${NEW_OUTPUT}}` };
        });
      });

      it.sequential("fails today's way (consumer alone, against the deployed state) with Unsupported attribute, in an errored placeholder", async () => {
        const results = await planStacksInWaves(setup, s.outdir, [CONSUMER], join(s.plans, "alone"), { ...OFFLINE_PLAN, workDir: join(s.plans, "work"), concurrency: 1 });
        expect(results[0]!.ok).toBe(false);
        const placeholder = readPlan(join(s.plans, "alone", `${CONSUMER}.json`));
        expect(placeholder).toMatchObject({ format_version: "1.2", errored: true, resource_changes: [] });
        expect((placeholder.error_lines as string[]).join("\n")).toContain("Unsupported attribute");
      });

      it.sequential("plans the consumer fine with the producer in the same run, with the output's planned (known) value", async () => {
        const results = await planStacksInWaves(setup, s.outdir, [PRODUCER, CONSUMER], s.plans, { ...OFFLINE_PLAN, workDir: join(s.plans, "work"), schemaCacheDir: DEFAULT_SCHEMA_CACHE, concurrency: 2 });
        expect(results.map((r) => [r.stack, r.ok, r.error])).toEqual([[PRODUCER, true, undefined], [CONSUMER, true, undefined]]);
        const plan = readPlan(join(s.plans, `${CONSUMER}.json`));
        const lb = (plan.resource_changes ?? []).find((r) => r.type === "aws_lb")!;
        expect(lb.change.actions).toEqual(["update"]);
        const state = JSON.parse(readFileSync(stateFile(s.states, PRODUCER), "utf8")) as { resources: Array<{ name: string; instances: Array<{ attributes: { arn: string } }> }> };
        const albGroupArn = state.resources.find((r) => r.name === "groups_alb_E07C1F9B")!.instances[0]!.attributes.arn;
        expect(albGroupArn).toMatch(/^arn:aws:ec2:ap-northeast-1:\d{12}:security-group\/sg-/);
        expect((lb.change.after as { tags: Record<string, string> }).tags.AlbGroup).toBe(albGroupArn);
        expect(plan.platform_pending).toBeUndefined();
      });
    });

    describe("a desired_count changed outside Terraform between review and deploy", () => {
      it.sequential("is no difference: the comparison looks at planned changes, not prior state", async () => {
        const s = scenario("desired-count");
        let service = "";
        editStack(s.outdir, CONSUMER, (json) => {
          service = Object.keys(json.resource.aws_ecs_service!)[0]!;
          const svc = json.resource.aws_ecs_service![service]!;
          svc.tags = { ...(svc.tags as object), Release: "r2" };
        });
        // The scaler (or the scheduler) moves the task count; ignore_changes covers it. The plan at
        // review reads the state before the move, the deploy's after it: both planned in one run.
        const file = stateFile(s.states, CONSUMER);
        const state = JSON.parse(readFileSync(file, "utf8")) as { resources: Array<{ type: string; name: string; instances: Array<{ attributes: Record<string, unknown> }> }> };
        const inState = state.resources.find((r) => r.type === "aws_ecs_service" && r.name === service)!;
        inState.instances[0]!.attributes.desired_count = 7;
        const moved = join(s.states, "scaled", `${CONSUMER}.tfstate`);
        mkdirSync(join(moved, ".."), { recursive: true });
        writeFileSync(moved, JSON.stringify(state));

        const plans = await planOffline(offline, join(s.plans, "batch"), [
          { id: "reviewed", outdir: s.outdir, stack: CONSUMER, states: s.states },
          { id: "fresh", outdir: s.outdir, stack: CONSUMER, states: s.states, statePath: moved },
        ]);
        // As CI keeps them: redacted.
        const reviewed = redactPlan(plans.get("reviewed")!);
        const fresh = redactPlan(plans.get("fresh")!);
        const address = `aws_ecs_service.${service}`;
        const before = (p: PlanJson) => (changeOf(p, address)!.change.before as { desired_count: number }).desired_count;
        expect([before(reviewed), before(fresh)]).toEqual([1, 7]);
        expect(changeOf(fresh, address)!.change.actions).toEqual(["update"]);
        expect(comparePlansDetailed(reviewed, fresh)).toEqual({ differences: [], matchedPending: false });
      });
    });
  });
});
