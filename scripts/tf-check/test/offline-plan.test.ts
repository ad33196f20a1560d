import { describe, expect, it } from "vitest";
import { DEV_OVERRIDES_NOTICE } from "../../shared/terraform";
import { planDiagnostics } from "../offline-plan";

const line = (message: object) => JSON.stringify(message);
const diagnostic = (severity: string, summary: string, address?: string, filename?: string) =>
  line({ "@level": severity, type: "diagnostic", diagnostic: { severity, summary, detail: "why", address, range: filename ? { filename, start: { line: 1 } } : undefined } });

describe("plan -json's diagnostics", () => {
  it("keeps each diagnostic once (a plan repeats its validation's), without the dev_overrides notice or other messages", () => {
    const stdout = [
      line({ "@level": "info", type: "version", terraform: "1.11.4" }),
      diagnostic("warning", DEV_OVERRIDES_NOTICE),
      diagnostic("warning", "Argument is deprecated", "module.a.aws_s3_bucket.logs", "jobs/a/cdk.tf.json"),
      line({ "@level": "info", type: "planned_change", change: {} }),
      diagnostic("warning", "Argument is deprecated", "module.a.aws_s3_bucket.logs", "jobs/a/cdk.tf.json"),
      diagnostic("warning", "Argument is deprecated", "module.b.aws_s3_bucket.logs", "jobs/b/cdk.tf.json"),
      "",
    ].join("\n");
    expect(planDiagnostics(stdout)).toEqual([
      { severity: "warning", summary: "Argument is deprecated", detail: "why", address: "module.a.aws_s3_bucket.logs", range: { filename: "jobs/a/cdk.tf.json" } },
      { severity: "warning", summary: "Argument is deprecated", detail: "why", address: "module.b.aws_s3_bucket.logs", range: { filename: "jobs/b/cdk.tf.json" } },
    ]);
  });

  it("reads nothing from a plan without diagnostics", () => {
    expect(planDiagnostics(line({ type: "change_summary" }))).toEqual([]);
  });
});
