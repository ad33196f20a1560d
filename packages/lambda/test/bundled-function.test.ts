import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BundledFunction, bundle, bundleFromDisk } from "../src/index";
import { onlyResource, policyStatements, synth, testStack } from "@platform/core/testing";

const entry = join(import.meta.dirname, "fixtures", "hello.ts");

describe("BundledFunction", () => {
  const stack = testStack("fn");
  const fn = new BundledFunction(stack, "hello", {
    functionName: "acme-test-hello",
    entry,
    description: "says hello",
    logRetentionDays: 14,
    statements: [{ actions: ["ecs:DescribeServices"], resources: ["arn:aws:ecs:ap-northeast-1:123456789012:service/c/s"] }],
  });
  const json = synth(stack);

  it("runs on nodejs22.x, arm64, with JSON logs into its own log group with retention", () => {
    const lambda = onlyResource(json, "aws_lambda_function");
    expect(lambda.runtime).toBe("nodejs22.x");
    expect(lambda.architectures).toEqual(["arm64"]);
    expect(lambda.handler).toBe("index.handler");
    expect(lambda.source_code_hash).toBe(fn.codeHash);
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/lambda/acme-test-hello",
      retention_in_days: 14,
    });
  });

  it("trusts Lambda without a condition when no account is given", () => {
    expect(policyStatements(json, "hello/assume")[0]!.condition).toBeUndefined();
  });

  // Issue 10, item 7: aws:SourceAccount on every service trust this product writes.
  it("trusts Lambda only on behalf of the given account (aws:SourceAccount)", () => {
    const st = testStack("fn");
    new BundledFunction(st, "hello", {
      functionName: "acme-test-hello",
      entry,
      description: "says hello",
      logRetentionDays: 14,
      statements: [],
      accountId: "123456789012",
    });
    expect(policyStatements(synth(st), "hello/assume")).toEqual([
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }],
      },
    ]);
  });

  it("grants log writes to its own group plus exactly the given statements", () => {
    const statements = policyStatements(json, "hello/permissions");
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatchObject({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"] });
    expect(statements[1]).toMatchObject({ actions: ["ecs:DescribeServices"] });
  });

  it("ships the bundle as a zip file asset whose hash is the deployment zip's", () => {
    const lambda = onlyResource(json, "aws_lambda_function");
    expect(lambda.filename).toMatch(/^assets\/hello_code_[0-9A-F]{8}\/[0-9A-F]+\/lambda\.zip$/);
    const zip = readFileSync(bundle(entry).zipPath);
    expect(createHash("sha256").update(zip).digest("base64")).toBe(fn.codeHash);
  });

  it("reuses the on-disk bundle cache only while every input is unchanged", () => {
    const fixture = join(mkdtempSync(join(tmpdir(), "bundle-cache-")), "handler.ts");
    writeFileSync(fixture, "export const handler = async () => 1;\n");
    const built = bundle(fixture, true);
    writeFileSync(fixture, "export const handler = async () => 2;\n");
    const changed = bundleFromDisk(fixture);
    expect(changed.codeHash).not.toBe(built.codeHash);
    expect(readFileSync(join(changed.directory, "index.js"), "utf8")).toContain("2");
    expect(bundleFromDisk(fixture).codeHash).toBe(changed.codeHash);
  });

  it("bundles a runnable index.js whose hash is the same on every build", async () => {
    const first = bundle(entry, true);
    const second = bundle(entry, true);
    expect(first.directory).not.toBe(second.directory);
    expect(second.codeHash).toBe(first.codeHash);
    const code = readFileSync(join(first.directory, "index.js"), "utf8");
    expect(code).not.toContain(import.meta.dirname);
    expect(existsSync(join(first.directory, "index.js"))).toBe(true);
    const mod = await import(join(first.directory, "index.js"));
    await expect(mod.handler({ name: "platform" })).resolves.toBe("hello platform");
  });

  it("fails when the log retention is not one CloudWatch accepts", () => {
    expect(
      () =>
        new BundledFunction(testStack("bad"), "fn", {
          functionName: "ok-name",
          entry,
          description: "x",
          logRetentionDays: 10,
          statements: [],
        }),
    ).toThrow(/fn\.logRetentionDays: 10 is not a CloudWatch Logs retention/);
  });
});
