import { describe, expect, it } from "vitest";
import type { PlanJson } from "../lib/plan-json";
import { SENSITIVE, SENSITIVE_CHANGED, comparePlans, planHasChanges, redactPlan } from "../lib/plan-redact";

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
