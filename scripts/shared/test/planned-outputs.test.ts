import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProviderSchema } from "../mock-outputs";
import type { PlanJson } from "../plan-json";
import {
  markPendingValues,
  PENDING_TOKEN,
  PendingOutputs,
  plannedOutputValues,
  REMOTE_STATE_OVERRIDE_FILE,
  writeRemoteStateOverride,
  type StackConfigJson,
} from "../planned-outputs";
import { redactPlan } from "../plan-redact";

const schema: ProviderSchema = {
  resources: {
    aws_security_group: { block: { attributes: { id: { type: "string" }, arn: { type: "string" } } } },
    aws_subnet: { block: { attributes: { id: { type: "string" } } } },
    aws_db_instance: { block: { attributes: { port: { type: "number" } } } },
  },
};

const producerJson: StackConfigJson = {
  provider: { aws: [{ region: "ap-northeast-1" }] },
  output: {
    sg: { value: "${aws_security_group.service_1.id}" },
    sg_arn: { value: "${aws_security_group.service_1.arn}" },
    name: { value: "${aws_security_group.alb_1.name}" },
    port: { value: "${aws_db_instance.db_1.port}" },
  },
};

/** A producer plan: the service group is replaced (ID and ARN unknown), the ALB group's name known. */
const producerPlan = {
  output_changes: {
    sg: { after: null, after_unknown: true },
    sg_arn: { after: null, after_unknown: true },
    name: { after: "bookmark-manager-staging-alb", after_unknown: false },
    port: { after: null, after_unknown: true },
  },
};

function planned() {
  const pending = new PendingOutputs();
  const values = plannedOutputValues("staging-security", producerPlan, producerJson, schema, pending);
  return { pending, values };
}

describe("a producer's planned outputs", () => {
  it("keeps known values and puts AWS-shaped sentinels where a value is known after apply", () => {
    const { values } = planned();
    expect(values.name).toBe("bookmark-manager-staging-alb");
    expect(values.sg).toMatch(/^sg-tfpending[0-9a-f]{8}$/);
    expect(values.sg_arn).toMatch(/^arn:aws:ec2:ap-northeast-1:\d{12}:security-group\/sg-tfpending[0-9a-f]{8}$/);
    // Numbers cannot carry a token: a plausible number.
    expect(values.port).toBe(1);
  });

  it("gives the same sentinel for the same producer output, and different ones otherwise", () => {
    expect(planned().values.sg).toBe(planned().values.sg);
    expect(planned().values.sg).not.toBe(planned().values.sg_arn);
  });
});

describe("a consumer's plan made with sentinels", () => {
  const { pending, values } = planned();
  const sg = values.sg as string;
  const consumerPlan: PlanJson = {
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_ecs_service.api_1",
        type: "aws_ecs_service",
        change: {
          actions: ["update"],
          before: { network_configuration: [{ security_groups: ["sg-0123"], subnets: ["subnet-1"] }], desired_count: 2 },
          after: { network_configuration: [{ security_groups: [sg], subnets: ["subnet-1"] }], desired_count: 2 },
          after_unknown: { network_configuration: [{ security_groups: [false], subnets: [false] }] },
          before_sensitive: {},
          after_sensitive: {},
        },
      },
      {
        address: "aws_iam_role_policy.p_1",
        type: "aws_iam_role_policy",
        change: {
          actions: ["update"],
          before: { policy: '{"Resource":"arn:old"}' },
          after: { policy: `{"Resource":"${String(values.sg_arn)}"}` },
          after_unknown: {},
        },
      },
      {
        address: "aws_lb.alb_1",
        type: "aws_lb",
        change: { actions: ["no-op"], before: { name: "bookmark-manager-staging-alb" }, after: { name: "bookmark-manager-staging-alb" }, after_unknown: {} },
      },
    ],
    output_changes: { service_group: { actions: ["update"], before: "sg-0123", after: sg, after_unknown: false } },
  };
  const consumerJson: StackConfigJson = {
    data: { terraform_remote_state: { "cross-stack-reference-input-staging-security": { backend: "s3", config: { key: "staging/staging-security.tfstate" } } } },
    resource: { aws_db_proxy: { p: { port: "${data.terraform_remote_state.cross-stack-reference-input-staging-security.outputs.port}" } } },
  };
  const marked = markPendingValues(consumerPlan, pending, consumerJson);

  it("turns every value holding a sentinel into known after apply, element by element", () => {
    const svc = marked.resource_changes![0]!.change;
    expect(svc.after).toEqual({ network_configuration: [{ security_groups: [null], subnets: ["subnet-1"] }], desired_count: 2 });
    expect(svc.after_unknown).toEqual({ network_configuration: [{ security_groups: [true], subnets: [false] }] });
    // A sentinel inside a longer string (a policy document) makes the whole string unknown.
    expect(marked.resource_changes![1]!.change.after).toEqual({ policy: null });
    expect(marked.resource_changes![1]!.change.after_unknown).toEqual({ policy: true });
    expect(marked.output_changes!.service_group).toMatchObject({ after: null, after_unknown: true });
    expect(marked.resource_changes![2]).toBe(consumerPlan.resource_changes![2]);
  });

  it("records which producer outputs it waits for, and where; the redacted plan keeps that and no sentinel", () => {
    expect(marked.platform_pending).toEqual([
      { producer: "staging-security", output: "port", addresses: [] },
      { producer: "staging-security", output: "sg", addresses: ["aws_ecs_service.api_1", "output.service_group"] },
      { producer: "staging-security", output: "sg_arn", addresses: ["aws_iam_role_policy.p_1"] },
    ]);
    const redacted = redactPlan(marked);
    expect(redacted.platform_pending).toEqual(marked.platform_pending);
    expect(JSON.stringify(redacted)).not.toMatch(PENDING_TOKEN);
  });

  it("leaves a plan without sentinels as it is, with no platform_pending", () => {
    const plain = markPendingValues({ format_version: "1.2", resource_changes: [consumerPlan.resource_changes![2]!] }, pending);
    expect(plain.platform_pending).toBeUndefined();
    // A token-like string no producer of this run made is a value like any other.
    const stray = markPendingValues(
      { format_version: "1.2", resource_changes: [{ ...consumerPlan.resource_changes![2]!, change: { actions: ["update"], before: {}, after: { name: "tfpending00000000" } } }] },
      pending,
    );
    expect(stray.resource_changes![0]!.change.after).toEqual({ name: "tfpending00000000" });
  });
});

describe("the remote-state override", () => {
  const consumerJson: StackConfigJson = {
    data: {
      terraform_remote_state: {
        "cross-stack-reference-input-staging-security": { backend: "s3", config: { key: "staging/staging-security.tfstate" } },
        "cross-stack-reference-input-staging-network": { backend: "s3", config: { key: "staging/staging-network.tfstate" } },
      },
    },
  };

  it("switches only the producers planned in the run to their planned-output state, and removes a stale override", () => {
    const dir = mkdtempSync(join(tmpdir(), "override-"));
    mkdirSync(dir, { recursive: true });
    const redirected = writeRemoteStateOverride(dir, consumerJson, (p) => (p === "staging-security" ? "/tmp/x/staging-security.tfstate" : undefined));
    expect(redirected).toEqual(["staging-security"]);
    const override = JSON.parse(readFileSync(join(dir, REMOTE_STATE_OVERRIDE_FILE), "utf8"));
    expect(override).toEqual({
      data: { terraform_remote_state: { "cross-stack-reference-input-staging-security": { backend: "local", config: { path: "/tmp/x/staging-security.tfstate" } } } },
    });
    writeFileSync(join(dir, "keep.tf.json"), "{}");
    expect(writeRemoteStateOverride(dir, consumerJson, () => undefined)).toEqual([]);
    expect(existsSync(join(dir, REMOTE_STATE_OVERRIDE_FILE))).toBe(false);
  });
});
