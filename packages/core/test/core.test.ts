import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  EnvironmentStack,
  applyBoundaryArn,
  confinedEnvironments,
  sharedAccounts,
  boundedName,
  cidrContains,
  cidrSubnet,
  cidrsOverlap,
  defineEnvironment,
  isValidCidr,
  parseCidr,
} from "../src/index";
import { TEST_ENVIRONMENT_CONFIG, synth, testEnvironment } from "../src/testing";

describe("cidr", () => {
  it("parses valid blocks and rejects malformed ones or set host bits", () => {
    expect(parseCidr("10.0.0.0/16")).toEqual({ network: 10 * 2 ** 24, prefix: 16 });
    expect(isValidCidr("10.0.0.0/33")).toBe(false);
    expect(isValidCidr("10.0.0.256/24")).toBe(false);
    expect(isValidCidr("10.0.1.0/16")).toBe(false);
    expect(isValidCidr("not-a-cidr")).toBe(false);
  });

  it("subdivides like terraform's cidrsubnet", () => {
    expect(cidrSubnet("10.0.0.0/16", 8, 0)).toBe("10.0.0.0/24");
    expect(cidrSubnet("10.1.0.0/16", 4, 3)).toBe("10.1.48.0/20");
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow(/does not fit/);
  });

  it("detects overlap and containment", () => {
    expect(cidrsOverlap("10.0.0.0/16", "10.0.128.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
    expect(cidrContains("10.0.0.0/16", "10.0.3.0/24")).toBe(true);
    expect(cidrContains("10.0.0.0/16", "10.1.3.0/24")).toBe(false);
  });
});

describe("naming", () => {
  it("keeps short names and sanitizes parts", () => {
    expect(boundedName(["Acme", "staging", "web_api"], 32)).toBe("acme-staging-web-api");
  });

  it("shortens long names within the limit with a stable hash suffix", () => {
    const a = boundedName(["a-very-long-project-name", "production", "background-worker"], 32);
    const b = boundedName(["a-very-long-project-name", "production", "background-worker-2"], 32);
    expect(a.length).toBeLessThanOrEqual(32);
    expect(a).toMatch(/-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
    expect(boundedName(["a-very-long-project-name", "production", "background-worker"], 32)).toBe(a);
  });

  it("names resources per environment within AWS limits", () => {
    const env = testEnvironment();
    expect(env.resourceName("albName", "web")).toBe("acme-test-web");
    expect(env.resourceName("albName", "x".repeat(60)).length).toBe(32);
  });
});

describe("environment", () => {
  it("fails when the project name is empty, naming the field and the fix", () => {
    expect(() => defineEnvironment({ ...TEST_ENVIRONMENT_CONFIG, project: "" })).toThrow(
      /environment\(test\)\.project: "" must be 1-20 characters/,
    );
  });

  it("fails when the region, account id or state bucket are malformed, listing every problem", () => {
    let error: unknown;
    try {
      defineEnvironment({
        ...TEST_ENVIRONMENT_CONFIG,
        region: "tokyo",
        accountId: "12345",
        state: { bucket: "Bad_Bucket", lockTable: "t" },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).issues.map((i) => i.field);
    expect(fields).toEqual([
      "environment(test).region",
      "environment(test).accountId",
      "environment(test).state.bucket",
      "environment(test).state.lockTable",
    ]);
  });

  it("fails when a user tag would override a platform tag", () => {
    expect(() => defineEnvironment({ ...TEST_ENVIRONMENT_CONFIG, tags: { environment: "x" } })).toThrow(
      /tags\.environment.*reserved/,
    );
  });
});

describe("EnvironmentStack", () => {
  const stack = new EnvironmentStack(Testing.app(), {
    environment: testEnvironment({ tags: { team: "platform" } }),
    layer: "network",
  });
  const json = synth(stack);

  it("is named <env>-<layer>", () => {
    expect(stack.stackName).toBe("test-network");
  });

  it("configures the provider with region, account guard and default tags", () => {
    const provider = json.provider!.aws![0]!;
    expect(provider.region).toBe("ap-northeast-1");
    expect(provider.allowed_account_ids).toEqual(["123456789012"]);
    expect(provider.default_tags).toEqual([
      { tags: { team: "platform", project: "acme", environment: "test", stack: "test-network", "managed-by": "cdktf" } },
    ]);
  });

  it("uses an encrypted S3 backend keyed by environment with DynamoDB and S3-native locking", () => {
    const terraform = json.terraform as { backend: { s3: Record<string, unknown> }; required_version: string };
    expect(terraform.backend.s3).toEqual({
      bucket: "acme-tfstate-123456789012",
      key: "test/test-network.tfstate",
      region: "ap-northeast-1",
      encrypt: true,
      dynamodb_table: "acme-tflock",
      use_lockfile: true,
    });
    expect(terraform.required_version).toBe(">= 1.11.0, < 2.0.0");
  });

  it("pins the AWS provider the mirror and the bindings agree on", () => {
    const terraform = json.terraform as { required_providers: { aws: { version: string } } };
    expect(terraform.required_providers.aws.version).toBe("5.100.0");
  });

  it("keeps bootstrap state local, outside cdktf.out", () => {
    const boot = new EnvironmentStack(Testing.app(), {
      environment: testEnvironment(),
      layer: "bootstrap",
      stackName: "bootstrap",
      stateBackend: "local",
    });
    const terraform = synth(boot).terraform as { backend: Record<string, unknown> };
    expect(terraform.backend).toEqual({ local: { path: "../../../terraform.bootstrap.tfstate" } });
  });
});

describe("accounts", () => {
  const shared = [
    { name: "staging", accountId: "111111111111" },
    { name: "prod", accountId: "111111111111" },
  ];
  const apart = [
    { name: "staging", accountId: "111111111111" },
    { name: "prod", accountId: "222222222222" },
  ];

  it("reports accounts that hold more than one environment (for the policy pack's finding)", () => {
    expect(sharedAccounts(shared)).toEqual({ "111111111111": ["staging", "prod"] });
    expect(sharedAccounts(apart)).toEqual({});
  });

  it("confines every environment of a shared account except its owner", () => {
    expect(confinedEnvironments(shared, "prod")).toEqual(["staging"]);
    expect(confinedEnvironments(shared, undefined)).toEqual(["staging", "prod"]);
    expect(confinedEnvironments(apart, "prod")).toEqual([]);
  });

  it("names the boundary ARN at synth, in the region's partition", () => {
    expect(applyBoundaryArn({ project: "acme", name: "staging", accountId: "111111111111", region: "ap-northeast-1" })).toBe(
      "arn:aws:iam::111111111111:policy/github-actions/acme-staging-apply-boundary",
    );
    expect(applyBoundaryArn({ project: "acme", name: "staging", accountId: "111111111111", region: "cn-north-1" })).toMatch(/^arn:aws-cn:/);
  });

  it("puts the environment's permissions boundary on every IAM role of its stacks, keeping an explicit one", () => {
    const boundary = "arn:aws:iam::123456789012:policy/github-actions/acme-test-apply-boundary";
    const stack = new EnvironmentStack(Testing.app(), {
      environment: defineEnvironment({ ...TEST_ENVIRONMENT_CONFIG, permissionsBoundaryArn: boundary }),
      layer: "unit",
    });
    new IamRole(stack, "plain", { name: "plain", assumeRolePolicy: "{}" });
    new IamRole(stack, "own", { name: "own", assumeRolePolicy: "{}", permissionsBoundary: "arn:aws:iam::123456789012:policy/other" });
    const roles = Object.values((synth(stack).resource as Record<string, Record<string, { name: string; permissions_boundary?: string }>>).aws_iam_role!);
    expect(Object.fromEntries(roles.map((r) => [r.name, r.permissions_boundary]))).toEqual({ plain: boundary, own: "arn:aws:iam::123456789012:policy/other" });
  });

  it("fails when the boundary is not an IAM policy ARN", () => {
    expect(() => defineEnvironment({ ...TEST_ENVIRONMENT_CONFIG, permissionsBoundaryArn: "staging-boundary" })).toThrow(/permissionsBoundaryArn: "staging-boundary" must be an IAM policy ARN/);
  });
});
