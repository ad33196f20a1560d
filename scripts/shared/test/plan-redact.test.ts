import { describe, expect, it } from "vitest";
import type { PlanJson } from "../plan-json";
import { SENSITIVE, SENSITIVE_CHANGED, comparePlans, comparePlansDetailed, planHasChanges, redactPlan } from "../plan-redact";

const SECRET = "postgres://app:S3cret-Pa55@db.internal:5432/app";

function planWith(after: Record<string, unknown>, extra: Partial<PlanJson> = {}): PlanJson {
  return {
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_ssm_parameter.database_url_1",
        mode: "managed",
        type: "aws_ssm_parameter",
        name: "database_url_1",
        change: {
          actions: ["update"],
          before: { name: "/app/DATABASE_URL", value: "postgres://old", tags: { Name: "url" } },
          after,
          after_unknown: {},
          before_sensitive: { value: true, tags: {} },
          after_sensitive: { value: true, tags: {} },
        },
      },
      { address: "aws_vpc.main_1", mode: "managed", type: "aws_vpc", name: "main_1", change: { actions: ["no-op"], before: { cidr_block: "10.0.0.0/16" }, after: { cidr_block: "10.0.0.0/16" } } },
    ],
    prior_state: { values: { secret: SECRET } },
    planned_values: { root_module: { resources: [{ values: { value: SECRET } }] } },
    configuration: { provider_config: {} },
    variables: { db_password: { value: SECRET } },
    output_changes: { url: { actions: ["create"], before: null, after: SECRET, after_unknown: false, before_sensitive: false, after_sensitive: true } },
    ...extra,
  };
}

describe("redacted plans", () => {
  const raw = planWith({ name: "/app/DATABASE_URL", value: SECRET, tags: { Name: "url" } });
  const redacted = redactPlan(raw);
  const text = JSON.stringify(redacted);

  it("holds no sensitive value anywhere, and drops prior state, planned values, config and variables", () => {
    expect(JSON.stringify(raw)).toContain(SECRET);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("postgres://old");
    expect(Object.keys(redacted).sort()).toEqual(
      ["applyable", "complete", "errored", "format_version", "output_changes", "resource_changes", "resource_drift", "terraform_version"].sort(),
    );
  });

  it("keeps non-sensitive values and marks whether a secret changed", () => {
    const change = redacted.resource_changes![0]!.change;
    expect(change.before).toEqual({ name: "/app/DATABASE_URL", value: SENSITIVE, tags: { Name: "url" } });
    expect(change.after).toEqual({ name: "/app/DATABASE_URL", value: SENSITIVE_CHANGED, tags: { Name: "url" } });
    expect(redacted.output_changes!.url!.after).toBe(SENSITIVE_CHANGED);
  });

  it("matches itself, raw or redacted, and ignores no-ops", () => {
    expect(comparePlans(raw, raw)).toEqual([]);
    expect(comparePlans(redacted, raw)).toEqual([]);
    expect(comparePlans(redacted, { ...raw, resource_changes: raw.resource_changes!.slice(0, 1) })).toEqual([]);
  });

  it("refuses a plan that changes a value differently, adds or drops a change — naming addresses only", () => {
    const other = planWith({ name: "/app/DATABASE_URL_V2", value: SECRET, tags: { Name: "url" } });
    expect(comparePlans(raw, other)).toEqual(["aws_ssm_parameter.database_url_1: changes differently than reviewed (at name)"]);
    const extra: PlanJson = {
      ...raw,
      resource_changes: [
        ...raw.resource_changes!,
        { address: "aws_s3_bucket.b_1", type: "aws_s3_bucket", change: { actions: ["delete"], before: { bucket: "x" }, after: null } },
      ],
    };
    expect(comparePlans(raw, extra)).toEqual(["aws_s3_bucket.b_1: not in the reviewed plan"]);
    expect(comparePlans(extra, raw)).toEqual(["aws_s3_bucket.b_1: reviewed, but no longer planned"]);
    expect(comparePlans(raw, other).join("\n")).not.toContain(SECRET);
  });

  it("tells a plan with changes from one without", () => {
    expect(planHasChanges(raw)).toBe(true);
    expect(planHasChanges({ format_version: "1.2", resource_changes: [raw.resource_changes![1]!] })).toBe(false);
  });
});

/** A one-resource plan of an ECS service (desired_count under ignore_changes: after = before). */
function servicePlan(o: { desired?: number; image?: string; before?: string; sgs?: unknown; sgsUnknown?: unknown; actions?: string[]; pending?: boolean }): PlanJson {
  const desired = o.desired ?? 2;
  const plan: PlanJson = {
    format_version: "1.2",
    resource_changes: [
      {
        address: "aws_ecs_service.api_1",
        type: "aws_ecs_service",
        change: {
          actions: o.actions ?? ["update"],
          before: { desired_count: desired, task_definition: o.before ?? "api:1", network_configuration: [{ security_groups: ["sg-old"] }] },
          after: { desired_count: desired, task_definition: o.image ?? "api:2", network_configuration: [{ security_groups: o.sgs ?? ["sg-old"] }] },
          after_unknown: { network_configuration: [{ security_groups: o.sgsUnknown ?? [false] }] },
          before_sensitive: {},
          after_sensitive: {},
        },
      },
    ],
  };
  return o.pending ? { ...plan, platform_pending: [{ producer: "staging-security", output: "sg", addresses: ["aws_ecs_service.api_1"] }] } : plan;
}

describe("reviewed vs fresh: planned changes, not prior state", () => {
  it("ignores a value moved outside Terraform that the plan does not change (desired_count under ignore_changes)", () => {
    const reviewed = servicePlan({ desired: 2 });
    const fresh = servicePlan({ desired: 7 });
    expect(comparePlansDetailed(reviewed, fresh)).toEqual({ differences: [], matchedPending: false });
  });

  it("ignores a before-only difference of a changed resource, but not a different after", () => {
    expect(comparePlans(servicePlan({ before: "api:1" }), servicePlan({ before: "api:0" }))).toEqual([]);
    expect(comparePlans(servicePlan({ image: "api:2" }), servicePlan({ image: "api:3" }))).toEqual([
      "aws_ecs_service.api_1: changes differently than reviewed (at task_definition)",
    ]);
  });

  it("refuses other actions, naming them", () => {
    expect(comparePlans(servicePlan({}), servicePlan({ actions: ["delete", "create"] }))).toEqual([
      "aws_ecs_service.api_1: changes differently than reviewed (delete+create instead of update)",
    ]);
  });

  it("matches a reviewed value pending a producer with whatever the producer made, and says so", () => {
    const reviewed = servicePlan({ sgs: [null], sgsUnknown: [true], pending: true });
    const fresh = servicePlan({ sgs: ["sg-new"] });
    expect(comparePlansDetailed(redactPlan(reviewed), fresh)).toEqual({ differences: [], matchedPending: true });
    // Known after apply (no producer involved) matches too, without the pending flag.
    expect(comparePlansDetailed(servicePlan({ sgs: [null], sgsUnknown: [true] }), fresh)).toEqual({ differences: [], matchedPending: false });
    // The rest of the change is still compared.
    expect(comparePlans(reviewed, servicePlan({ sgs: ["sg-new"], image: "api:9" }))).toEqual([
      "aws_ecs_service.api_1: changes differently than reviewed (at task_definition)",
    ]);
  });

  it("refuses a value that was known when reviewed and is unknown now", () => {
    expect(comparePlans(servicePlan({ sgs: ["sg-new"] }), servicePlan({ sgs: [null], sgsUnknown: [true] }))).toEqual([
      "aws_ecs_service.api_1: changes differently than reviewed (at network_configuration[0].security_groups[0])",
    ]);
  });

  it("accepts nothing to do where the reviewed update only waited for unknown values", () => {
    const reviewed = servicePlan({ image: "api:1", sgs: [null], sgsUnknown: [true], pending: true });
    const noop: PlanJson = { format_version: "1.2", resource_changes: [{ ...servicePlan({}).resource_changes![0]!, change: { ...servicePlan({}).resource_changes![0]!.change, actions: ["no-op"] } }] };
    expect(comparePlansDetailed(reviewed, noop)).toEqual({ differences: [], matchedPending: true });
    // But not where it also changed a known value.
    expect(comparePlans(servicePlan({ sgs: [null], sgsUnknown: [true] }), noop)).toEqual(["aws_ecs_service.api_1: reviewed, but no longer planned"]);
  });

  it("compares output changes by action and after value", () => {
    const out = (after: unknown, before: unknown = "x"): PlanJson => ({
      format_version: "1.2",
      resource_changes: [],
      output_changes: { url: { actions: ["update"], before, after, after_unknown: false } },
    });
    expect(comparePlans(out("y"), out("y", "w"))).toEqual([]);
    expect(comparePlans(out("y"), out("z"))).toEqual(["output.url: changes differently than reviewed (at (root))"]);
  });
});
