import { ConfigError, type EnvironmentConfig } from "@platform/core";
import { listResources, policyStatements, resourceAddresses, resourceAt, scrubVolatile, synthAppStacks } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { account, environmentConfigs, placements, withAccountBoundary } from "@platform/accounts";
import { buildBootstrap } from "../src/main";
import { TerraformStack } from "cdktf";
import { addImagePushRoles } from "../src/image-push";

const stacks = synthAppStacks(buildBootstrap);
const bootstrap = stacks.bootstrap!;

describe("bootstrap", () => {
  describe("the application repository's image push role", () => {
    const trust = policyStatements(bootstrap, "app-repository-app/role/trust") as Array<{ condition: Array<{ test: string; variable: string; values: string[] }> }>;
    const permissions = policyStatements(bootstrap, "app-repository-app/role/permissions") as Array<{ sid: string; actions: string[]; resources: string[] }>;

    it("trusts only the app repository's v* tags and main branch, for the STS audience", () => {
      expect(trust[0]!.condition).toEqual([
        { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
        { test: "StringLike", variable: "token.actions.githubusercontent.com:sub", values: ["repo:bookmark-manager/bookmark-manager:ref:refs/tags/v*", "repo:bookmark-manager/bookmark-manager:ref:refs/heads/main"] },
      ]);
    });

    it("pushes to the environments' repositories by their default names, and logs in account-wide", () => {
      // That these are exactly the repositories the registry stacks create is checked across apps in scripts/shared/test/app-config.test.ts.
      const created = ["staging", "prod"].flatMap((env) => ["web", "api"].map((r) => `bookmark-manager-${env}-${r}`));
      const push = permissions.find((p) => p.sid === "PushToOwnRepositories")!;
      expect(push.resources.map((arn) => arn.replace(/^arn:aws:ecr:ap-northeast-1:123456789012:repository\//, "")).sort()).toEqual(created.sort());
      expect(permissions.find((p) => p.sid === "EcrLogin")).toMatchObject({ actions: ["ecr:GetAuthorizationToken"], resources: ["*"] });
      expect(permissions.map((p) => p.sid)).toEqual(["EcrLogin", "PushToOwnRepositories"]);
    });

    it("outputs the role ARN the app repository's workflow assumes", () => {
      expect(bootstrap.output!.application_push_roles!.value).toEqual({ app: expect.stringMatching(/^\$\{aws_iam_role\.app-repository-app_role_/) });
    });

    it("fails when an application names a repository the environment does not have", () => {
      expect(() =>
        synthAppStacks((app) => {
          const stack = new TerraformStack(app, "t");
          addImagePushRoles(stack, "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com", [placements.staging], {
            app: { owner: "acme", repository: "app", pushFrom: [{ tag: "v*" }], ecrRepositories: { staging: ["worker"] } },
          }, { staging: { repositories: ["web", "api"], keepLastImages: 10 } });
        }),
      ).toThrow(/bootstrap\.github\.applicationRepositories\.app\.ecrRepositories\.staging: "worker" is not an image repository of staging \(web, api\)/);
    });
  });

  it("is one account-wide stack on local state, kept outside cdktf.out", () => {
    expect(Object.keys(stacks)).toEqual(["bootstrap"]);
    expect((bootstrap.terraform as { backend: unknown }).backend).toEqual({
      local: { path: "../../../terraform.bootstrap.tfstate" },
    });
  });

  it("creates exactly the state bucket and lock table the environments use", () => {
    expect(listResources(bootstrap, "aws_s3_bucket").map((b) => b.bucket)).toEqual([account.state.bucket]);
    expect(listResources(bootstrap, "aws_dynamodb_table").map((t) => t.name)).toEqual([account.state.lockTable]);
  });

  // Issue 10, "Staging's apply role is an admin over prod": in the shared account it is bounded.
  it("puts staging's apply role (not prod's, the account owner) under staging's boundary in the shared account", () => {
    expect(listResources(bootstrap, "aws_iam_policy").map((p) => p.name)).toEqual(["bookmark-manager-staging-apply-boundary"]);
    expect(String(resourceAt(bootstrap, "aws_iam_role", "github-staging/apply/role").permissions_boundary)).toMatch(/^\$\{aws_iam_policy\.boundary-staging_policy_/);
    expect(resourceAt(bootstrap, "aws_iam_role", "github-prod/apply/role").permissions_boundary).toBeUndefined();
    expect(resourceAt(bootstrap, "aws_iam_role", "github-staging/plan/role").permissions_boundary).toBeUndefined();
  });

  it("gives the staging stacks the same boundary ARN, known at synth, and leaves prod's unchanged", () => {
    expect(withAccountBoundary<{ environment: EnvironmentConfig }>({ environment: placements.staging }).environment.permissionsBoundaryArn).toBe(
      `arn:aws:iam::${account.accountId}:policy/github-actions/bookmark-manager-staging-apply-boundary`,
    );
    const prod = environmentConfigs.find((e) => e.name === "prod")!;
    expect(withAccountBoundary({ environment: prod }).environment.permissionsBoundaryArn).toBeUndefined();
  });

  // Issue 10, "Anyone who can push a branch can read the prod database password" and
  // "Plan roles can write and delete any lock item", on the real bootstrap.
  it("denies every plan role the product's parameters, secret values and decrypt, and scopes each role's lock items", () => {
    for (const env of ["staging", "prod"]) {
      for (const role of ["plan", "apply"]) {
        const doc = policyStatements(bootstrap, `github-${env}/${role}/permissions`) as Array<{ sid: string; effect?: string; resources: string[]; condition?: Array<{ variable: string; values: string[] }> }>;
        const sid = (id: string) => doc.find((x) => x.sid === id);
        expect(sid("OwnLockItems")!.condition![0]!.values).toEqual([`${account.state.bucket}/${env}/*`]);
        expect(sid("DenyOtherLockItems")!.effect).toBe("Deny");
        if (role === "plan") {
          expect(sid("DenyProductParameters")!.resources[0]).toMatch(/:ssm:\*:\*:parameter\/bookmark-manager\/\*$/);
          expect(sid("DenySecretValues")!.effect).toBe("Deny");
          expect(sid("DenyDecryptOutsideState")!.condition).toEqual([{ test: "StringNotLike", variable: "kms:ViaService", values: ["s3.ap-northeast-1.amazonaws.com"] }]);
        }
      }
    }
  });

  it("matches the reviewed resource addresses and JSON", () => {
    expect(resourceAddresses(bootstrap)).toMatchSnapshot();
    expect(scrubVolatile(bootstrap)).toMatchSnapshot();
  });
});

describe("bootstrap with an account per environment", () => {
  const own = (name: string, accountId: string): EnvironmentConfig => ({
    ...account,
    name,
    accountId,
    state: { bucket: `bookmark-manager-${name}-tfstate`, lockTable: `bookmark-manager-${name}-tflock` },
  });
  const separate = [own("staging", "111111111111"), own("prod", "222222222222")];
  const apps = synthAppStacks((app) => buildBootstrap(app, separate));

  it("makes one bootstrap stack per account, each with its state store, OIDC provider and its environments' roles", () => {
    expect(Object.keys(apps).sort()).toEqual(["bootstrap-prod", "bootstrap-staging"]);
    for (const [name, id] of [["staging", "111111111111"], ["prod", "222222222222"]] as const) {
      const s = apps[`bootstrap-${name}`]!;
      expect(listResources(s, "aws_s3_bucket").map((b) => b.bucket)).toEqual([`bookmark-manager-${name}-tfstate`]);
      expect(listResources(s, "aws_iam_openid_connect_provider")).toHaveLength(1);
      expect(listResources(s, "aws_iam_role").map((r) => r.name).sort()).toEqual([
        "bookmark-manager-app-github-ecr-push",
        `bookmark-manager-${name}-github-apply`,
        `bookmark-manager-${name}-github-plan`,
      ]);
      // The app's push role in each account reaches only that account's repositories.
      const push = JSON.stringify(policyStatements(s, "app-repository-app/role/permissions"));
      expect(push).toContain(`:${id}:repository/bookmark-manager-${name}-web`);
      expect(push).not.toContain(name === "prod" ? "staging" : "prod-");
      expect((s.provider as { aws: Array<{ allowed_account_ids: string[] }> }).aws[0]!.allowed_account_ids).toEqual([id]);
      // Own account: no boundary needed.
      expect(listResources(s, "aws_iam_policy")).toEqual([]);
      expect((s.terraform as { backend: unknown }).backend).toEqual({ local: { path: `../../../terraform.bootstrap-${name}.tfstate` } });
    }
  });

  it("fails, naming every problem, when environments of one account disagree on the state store", () => {
    const clash = [own("staging", "111111111111"), { ...own("prod", "111111111111") }];
    let error: unknown;
    try {
      synthAppStacks((app) => buildBootstrap(app, clash));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('prod.environment.state.bucket: "bookmark-manager-prod-tfstate" must equal staging\'s');
    expect((error as Error).message).toContain("prod.environment.state.lockTable");
  });
});
