import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, synthesizeApp, type ConfigIssue } from "@platform/core";
import type { EnvironmentLayersConfig } from "@platform/layers";
import { describe, expect, it } from "vitest";
import { account } from "@platform/accounts";
import { Testing } from "cdktf";
import { listResources, policyStatements, synthAppStacks } from "@platform/core/testing";
import { assertValidApp, buildAll } from "../../../apps/main";
import { prod } from "../../../apps/prod/src/config";
import { staging } from "../../../apps/staging/src/config";
import { github } from "../../../apps/bootstrap/src/config";
import { bootstrapConfigIssues } from "../../../apps/bootstrap/src/config-schema";

/*
 * Bad inputs across the whole app: the bootstrap config and the rules between environments,
 * which only the app (apps/main.ts) sees together. Each row fails the app's one validation
 * pass with its config path, value and fix, and nothing is written.
 */

type Row = readonly [what: string, environments: EnvironmentLayersConfig[], bootstrap: { account: unknown; github: unknown }, field: string, value: unknown, fix: RegExp];

const withVpc = (plan: EnvironmentLayersConfig, vpcCidr: string): EnvironmentLayersConfig => ({ ...plan, network: { ...plan.network, vpcCidr } });
const apps = [staging, prod];
const boot = { account, github };
const withGithub = (overrides: Record<string, unknown>) => ({ account, github: { ...github, ...overrides } });
const withAccount = (overrides: Record<string, unknown>) => ({ account: { ...account, ...overrides }, github });

const rows: Row[] = [
  ["prod's VPC block equal to staging's (silent)", [staging, withVpc(prod, "10.0.0.0/16")], boot, "prod.network.vpcCidr", "10.0.0.0/16", /equals staging\.network\.vpcCidr \(10\.0\.0\.0\/16\)/],
  ["prod's VPC block inside staging's (silent)", [staging, withVpc(prod, "10.0.128.0/17")], boot, "prod.network.vpcCidr", "10.0.128.0/17", /overlaps staging\.network\.vpcCidr/],
  ["prod's VPC block outside the private ranges (silent)", [staging, withVpc(prod, "11.1.0.0/16")], boot, "prod.network.vpcCidr", "11.1.0.0/16", /outside the RFC 1918 private ranges/],
  ["two environments with one name (misleading: a raw cdktf clash)", [staging, { ...prod, environment: { ...prod.environment, name: "staging" }, network: { ...prod.network } }], boot, "staging.environment.name", "staging", /used by two environments/],
  ["prod and staging deploying from one GitHub environment (silent)", apps, withGithub({ deployEnvironments: { staging: "staging", prod: "staging" } }), "bootstrap.github.deployEnvironments.prod", "staging", /also the GitHub environment of staging/],
  ["one GitHub environment in two spellings (silent)", apps, withGithub({ deployEnvironments: { staging: "Production", prod: "production" } }), "bootstrap.github.deployEnvironments.prod", "production", /also the GitHub environment of staging/],
  ["a built environment without a GitHub environment", apps, withGithub({ deployEnvironments: { staging: "staging" } }), "bootstrap.github.deployEnvironments.prod", undefined, /needs a GitHub environment/],
  ["a GitHub environment for an environment the app does not build", apps, withGithub({ deployEnvironments: { staging: "staging", prod: "production", qa: "qa" } }), "bootstrap.github.deployEnvironments.qa", "qa", /names no environment the app builds/],
  ["a GitHub environment name with a slash", apps, withGithub({ deployEnvironments: { staging: "staging", prod: "prod/main" } }), "bootstrap.github.deployEnvironments.prod", "prod/main", /GitHub environment name/],
  ["an unknown key in github (silent)", apps, withGithub({ environments: {} }), "bootstrap.github.environments", {}, /is not a setting here/],
  ["an owner written as a URL", apps, withGithub({ owner: "https://github.com/acme" }), "bootstrap.github.owner", "https://github.com/acme", /GitHub user or organisation name/],
  ["a repository with its owner", apps, withGithub({ repository: "acme/infrastructure" }), "bootstrap.github.repository", "acme/infrastructure", /repository name only/],
  ["an OIDC provider ARN of another provider", apps, withGithub({ existingOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/example.com" }), "bootstrap.github.existingOidcProviderArn", "arn:aws:iam::123456789012:oidc-provider/example.com", /GitHub's OIDC provider ARN/],
  ["a bootstrap region typo (silent at synth)", apps, withAccount({ region: "ap-northeast-01" }), "bootstrap.account.region", "ap-northeast-01", /did you mean "ap-northeast-1"/],
  ["a state bucket with a reserved suffix", apps, withAccount({ state: { ...account.state, bucket: "acme-state--table-s3" } }), "bootstrap.account.state.bucket", "acme-state--table-s3", /suffix S3 reserves/],
  ["an unknown key in account (silent)", apps, withAccount({ profile: "prod" }), "bootstrap.account.profile", "prod", /is not a setting here/],
  ["an account ID with a dash", apps, withAccount({ accountId: "1234-5678-9012" }), "bootstrap.account.accountId", "1234-5678-9012", /12-digit ID/],
];

describe("app-wide bad configuration: path, value and fix, nothing written", () => {
  it.each(rows.map((row) => [row[0], row] as const))("%s", (_what, [, environments, bootstrap, field, value, fix]) => {
    const outdir = join(mkdtempSync(join(tmpdir(), "bad-app-config-")), "out");
    let error: unknown;
    try {
      synthesizeApp(() => assertValidApp(environments, bootstrap), { outdir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues: readonly ConfigIssue[] = (error as ConfigError).issues;
    const issue = issues.find((i) => i.field === field && fix.test(i.fix));
    expect(issue, `no issue at ${field} matching ${fix}; got:\n${(error as Error).message}`).toBeDefined();
    expect(issue!.value).toEqual(value);
    expect(existsSync(outdir) ? readdirSync(outdir) : []).toEqual([]);
  });

  it("accepts the app's own configs", () => {
    expect(bootstrapConfigIssues(account, github, ["staging", "prod"])).toEqual([]);
    expect(() => assertValidApp()).not.toThrow();
  });
});

describe("the environments app", () => {
  it("leaves the examples out (cdktf synth builds environments only; the examples app is built on its own)", () => {
    const app = Testing.app();
    buildAll(app);
    const names = app.node.children.map((c) => c.node.id);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => n.startsWith("example-"))).toEqual([]);
  });
});

describe("the bootstrap's image push roles across the apps", () => {
  it("push to exactly the ECR repositories the environments' registry stacks create", () => {
    const stacks = synthAppStacks(buildAll);
    const created = Object.entries(stacks)
      .filter(([name]) => name.endsWith("-registry"))
      .flatMap(([, json]) => listResources(json, "aws_ecr_repository").map((r) => r.name as string));
    const push = (policyStatements(stacks.bootstrap!, "app-repository-app/role/permissions") as Array<{ sid: string; resources: string[] }>).find(
      (p) => p.sid === "PushToOwnRepositories",
    )!;
    expect(push.resources.map((arn) => arn.split(":repository/")[1]).sort()).toEqual(created.sort());
    expect(created.length).toBeGreaterThan(0);
  });
});
