import { ConfigError } from "@platform/core";
import {
  listDataSources,
  listResources,
  onlyResource,
  policyStatements,
  resourceAt,
  synth,
  testStack,
  type SynthesizedStack,
} from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import {
  ApplyRoleBoundary,
  GITHUB_OIDC_URL,
  GithubActionsRole,
  ECR_PUSH_ACTIONS,
  GithubOidcProvider,
  ImagePushRole,
  TerraformCiRoles,
  subjectClaim,
  type GithubActionsRoleProps,
  type TerraformCiRolesProps,
} from "../src/index";

type Statement = {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
};

const PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const REPO = { owner: "acme", name: "infrastructure" };
const LOCK_TABLE_ARN = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/acme-tflock";

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const statements = (json: SynthesizedStack, path: string) => policyStatements(json, path) as Statement[];
const bySid = (list: Statement[], sid: string) => {
  const s = list.find((x) => x.sid === sid);
  if (!s) throw new Error(`no statement ${sid} in ${list.map((x) => x.sid).join(", ")}`);
  return s;
};

describe("GithubOidcProvider", () => {
  const stack = testStack("ci");
  new GithubOidcProvider(stack, "github");
  const json = synth(stack);

  it("trusts GitHub's issuer for the STS audience and leaves the thumbprint to IAM", () => {
    const provider = onlyResource(json, "aws_iam_openid_connect_provider");
    expect(provider.url).toBe(GITHUB_OIDC_URL);
    expect(provider.client_id_list).toEqual(["sts.amazonaws.com"]);
    expect(provider).not.toHaveProperty("thumbprint_list");
  });

  it("takes explicit thumbprints when a policy demands them, lower-cased", () => {
    const s = testStack("ci");
    new GithubOidcProvider(s, "github", { thumbprints: ["6938FD4D98BAB03FAADB97B34396831E3780AEA1"] });
    expect(onlyResource(synth(s), "aws_iam_openid_connect_provider").thumbprint_list).toEqual(["6938fd4d98bab03faadb97b34396831e3780aea1"]);
  });

  it("fails when a thumbprint is not 40 hex digits", () => {
    const error = configError(() => new GithubOidcProvider(testStack("ci"), "github", { thumbprints: ["abc"] }));
    expect(error.message).toContain("thumbprints[0]");
    expect(error.message).toContain('"abc"');
    expect(error.message).toContain("40 hexadecimal digits");
  });

  it("fails when no audience is given", () => {
    const error = configError(() => new GithubOidcProvider(testStack("ci"), "github", { audiences: [] }));
    expect(error.message).toContain("audiences");
    expect(error.message).toContain("sts.amazonaws.com");
  });
});

describe("GithubActionsRole", () => {
  const base: GithubActionsRoleProps = {
    providerArn: PROVIDER_ARN,
    repository: REPO,
    subjects: [{ pullRequest: true }],
    roleName: "acme-test-github-plan",
  };
  const stack = testStack("ci");
  new GithubActionsRole(stack, "plan", {
    ...base,
    managedPolicyArns: { "read-only": "arn:aws:iam::aws:policy/ReadOnlyAccess" },
    statements: [{ sid: "ReadState", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-tfstate/test/*"] }],
  });
  const json = synth(stack);
  const trust = statements(json, "plan/trust");

  it("lets only the OIDC provider assume it, with the STS audience and this repository's pull requests", () => {
    expect(trust).toHaveLength(1);
    expect(trust[0]!.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(trust[0]!.principals).toEqual([{ type: "Federated", identifiers: [PROVIDER_ARN] }]);
    expect(trust[0]!.condition).toEqual([
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: ["repo:acme/infrastructure:pull_request"] },
    ]);
  });

  it("creates the role under /github-actions/ with a one-hour session and a Name tag", () => {
    const role = onlyResource(json, "aws_iam_role");
    expect(role).toMatchObject({ name: "acme-test-github-plan", path: "/github-actions/", max_session_duration: 3600 });
    expect(role.tags).toEqual({ Name: "acme-test-github-plan" });
    expect(String(role.assume_role_policy)).toMatch(/^\$\{data\.aws_iam_policy_document\.plan_trust_[0-9A-F]{8}\.json\}$/);
  });

  it("attaches managed policies as attachments (not the deprecated managed_policy_arns) and inline statements from a policy document", () => {
    expect(listResources(json, "aws_iam_role_policy_attachment").map((a) => a.policy_arn)).toEqual(["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    expect(onlyResource(json, "aws_iam_role")).not.toHaveProperty("managed_policy_arns");
    expect(statements(json, "plan/permissions")).toEqual([{ sid: "ReadState", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-tfstate/test/*"] }]);
    expect(onlyResource(json, "aws_iam_role_policy").name).toBe("permissions");
  });

  it("uses StringLike only when a subject has a wildcard", () => {
    const s = testStack("ci");
    new GithubActionsRole(s, "release", { ...base, subjects: [{ branch: "release/*" }, { environment: "production" }] });
    const sub = statements(synth(s), "release/trust")[0]!.condition!.find((c) => c.variable.endsWith(":sub"))!;
    expect(sub).toEqual({
      test: "StringLike",
      variable: "token.actions.githubusercontent.com:sub",
      values: ["repo:acme/infrastructure:ref:refs/heads/release/*", "repo:acme/infrastructure:environment:production"],
    });
  });

  it("writes the sub claims GitHub sends by default", () => {
    expect(subjectClaim(REPO, { pullRequest: true })).toBe("repo:acme/infrastructure:pull_request");
    expect(subjectClaim(REPO, { branch: "main" })).toBe("repo:acme/infrastructure:ref:refs/heads/main");
    expect(subjectClaim(REPO, { environment: "production" })).toBe("repo:acme/infrastructure:environment:production");
  });

  it("fails when the owner or repository is a wildcard", () => {
    const error = configError(() => new GithubActionsRole(testStack("ci"), "r", { ...base, repository: { owner: "*", name: "infra*" } }));
    expect(error.message).toContain('repository.owner: "*"');
    expect(error.message).toContain('repository.name: "infra*"');
    expect(error.message).toContain("no wildcards");
  });

  it("fails when a branch pattern trusts every branch", () => {
    const error = configError(() => new GithubActionsRole(testStack("ci"), "r", { ...base, subjects: [{ branch: "*" }] }));
    expect(error.message).toContain('subjects[0].branch: "*"');
    expect(error.message).toContain("trusts every branch");
  });

  it("fails when there is no subject, a bad environment, role name or session length", () => {
    const error = configError(
      () => new GithubActionsRole(testStack("ci"), "r", { ...base, subjects: [], roleName: "bad name", maxSessionSeconds: 60 }),
    );
    expect(error.message).toContain("subjects: [] must name at least one subject");
    expect(error.message).toContain('roleName: "bad name"');
    expect(error.message).toContain("maxSessionSeconds: 60 must be a whole number of seconds from 3600 to 43200");
    const env = configError(() => new GithubActionsRole(testStack("ci"), "r", { ...base, subjects: [{ environment: "prod*" }] }));
    expect(env.message).toContain('subjects[0].environment: "prod*"');
  });

  it("fails when a managed policy ARN is not a policy ARN or its key is not a construct key", () => {
    const error = configError(
      () => new GithubActionsRole(testStack("ci"), "r", { ...base, managedPolicyArns: { Admin: "AdministratorAccess" } }),
    );
    expect(error.message).toContain('managedPolicyArns.Admin: "Admin" key must be lower-case');
    expect(error.message).toContain('managedPolicyArns.Admin: "AdministratorAccess" must be an IAM policy ARN');
  });
});

describe("TerraformCiRoles", () => {
  const props: TerraformCiRolesProps = {
    namePrefix: "acme-staging",
    providerArn: PROVIDER_ARN,
    repository: REPO,
    githubEnvironment: "staging",
    state: { bucketName: "acme-tfstate", lockTableArn: LOCK_TABLE_ARN, keyPrefix: "staging/", deniedKeyPrefixes: ["prod/", "account/"] },
  };
  const stack = testStack("ci");
  new TerraformCiRoles(stack, "ci", props);
  const json = synth(stack);
  const bucket = "arn:aws:s3:::acme-tfstate";
  const plan = statements(json, "ci/plan/permissions");
  const apply = statements(json, "ci/apply/permissions");
  const roleNamed = (name: string) => listResources(json, "aws_iam_role").find((r) => r.name === name)!;

  it("makes a plan and an apply role named after the prefix", () => {
    expect(listResources(json, "aws_iam_role").map((r) => r.name).sort()).toEqual(["acme-staging-github-apply", "acme-staging-github-plan"]);
    expect(listDataSources(json, "aws_partition")).toHaveLength(0);
  });

  it("lets pull requests assume the plan role and only the staging environment's jobs assume the apply role", () => {
    const sub = (path: string) => statements(json, path)[0]!.condition!.find((c) => c.variable.endsWith(":sub"))!;
    expect(sub("ci/plan/trust")).toMatchObject({ test: "StringEquals", values: ["repo:acme/infrastructure:pull_request"] });
    expect(sub("ci/apply/trust")).toMatchObject({ test: "StringEquals", values: ["repo:acme/infrastructure:environment:staging"] });
    expect(roleNamed("acme-staging-github-plan").assume_role_policy).not.toBe(roleNamed("acme-staging-github-apply").assume_role_policy);
  });

  it("gives the plan role ReadOnlyAccess, its own state keys, and lock writes only", () => {
    const attached = listResources(json, "aws_iam_role_policy_attachment").map((a) => String(a.policy_arn));
    expect(attached.some((a) => a.endsWith(":iam::aws:policy/ReadOnlyAccess"))).toBe(true);
    expect(bySid(plan, "ReadState")).toMatchObject({ actions: ["s3:GetObject"] });
    expect(bySid(plan, "ReadState").resources![0]).toMatch(/:s3:::acme-tfstate\/staging\/\*$/);
    expect(bySid(plan, "WriteLockFiles").actions).toEqual(["s3:PutObject", "s3:DeleteObject"]);
    expect(bySid(plan, "WriteLockFiles").resources![0]).toMatch(/:s3:::acme-tfstate\/staging\/\*\.tflock$/);
    expect(bySid(plan, "DescribeLockTable")).toEqual({ sid: "DescribeLockTable", actions: ["dynamodb:DescribeTable"], resources: [LOCK_TABLE_ARN] });
    // Nothing in the plan role writes state itself.
    const writes = plan.filter((s) => s.effect !== "Deny" && s.actions!.includes("s3:PutObject"));
    expect(writes.map((s) => s.sid)).toEqual(["WriteLockFiles"]);
    const allows = plan.filter((s) => s.effect !== "Deny");
    for (const s of allows) for (const r of s.resources ?? []) expect(r.startsWith(bucket) || r === LOCK_TABLE_ARN).toBe(true);
  });

  it("denies both roles the other environments' state", () => {
    for (const list of [plan, apply]) {
      const deny = bySid(list, "DenyOtherEnvironmentsState");
      expect(deny.effect).toBe("Deny");
      expect(deny.resources!.map((r) => r.replace(/^.*:s3:::/, ""))).toEqual(["acme-tfstate/prod/*", "acme-tfstate/account/*"]);
    }
  });

  it("gives the apply role AdministratorAccess fenced by denies on the state store, CI identities and long-lived keys", () => {
    const attached = listResources(json, "aws_iam_role_policy_attachment").map((a) => String(a.policy_arn));
    expect(attached.some((a) => a.endsWith(":iam::aws:policy/AdministratorAccess"))).toBe(true);
    expect(bySid(apply, "ReadWriteState").actions).toEqual(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
    const store = bySid(apply, "ProtectStateStore");
    expect(store.effect).toBe("Deny");
    expect(store.actions).toEqual(expect.arrayContaining(["s3:DeleteBucket*", "s3:PutBucketPolicy", "dynamodb:DeleteTable"]));
    expect(store.resources).toContain(LOCK_TABLE_ARN);
    const identity = bySid(apply, "ProtectCiIdentity");
    expect(identity.effect).toBe("Deny");
    expect(identity.actions).toEqual(expect.arrayContaining(["iam:Update*", "iam:Put*", "iam:Attach*", "iam:Delete*"]));
    expect(identity.resources).toEqual([
      "arn:aws:iam::*:role/github-actions/*",
      "arn:aws:iam::*:policy/github-actions/*",
      "arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com",
    ]);
    expect(bySid(apply, "NoLongLivedCredentials")).toMatchObject({ effect: "Deny", actions: expect.arrayContaining(["iam:CreateAccessKey", "iam:CreateUser"]) });
  });

  // Issue 10, "Plan roles can write and delete any lock item": each role locks only <bucket>/<env>/… items.
  it("lets each CI role lock only its own environment's state keys (dynamodb:LeadingKeys, S3 lock files under its prefix)", () => {
    for (const list of [plan, apply]) {
      const own = bySid(list, "OwnLockItems");
      expect(own.actions).toEqual(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"]);
      expect(own.resources).toEqual([LOCK_TABLE_ARN]);
      expect(own.condition).toEqual([
        { test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: ["acme-tfstate/staging/*"] },
        { test: "Null", variable: "dynamodb:LeadingKeys", values: ["false"] },
      ]);
      const deny = bySid(list, "DenyOtherLockItems");
      expect(deny).toMatchObject({ effect: "Deny", resources: [LOCK_TABLE_ARN] });
      expect(deny.actions).toEqual(expect.arrayContaining(["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"]));
      expect(deny.condition).toEqual([{ test: "ForAnyValue:StringNotLike", variable: "dynamodb:LeadingKeys", values: ["acme-tfstate/staging/*"] }]);
      // No statement allows item writes on the table without the LeadingKeys condition.
      const unscoped = list.filter((s) => s.effect !== "Deny" && s.resources?.includes(LOCK_TABLE_ARN) && s.actions!.some((a) => /PutItem|DeleteItem/.test(a)) && !s.condition);
      expect(unscoped).toEqual([]);
    }
    expect(bySid(plan, "WriteLockFiles").resources![0]).toMatch(/acme-tfstate\/staging\/\*\.tflock$/);
  });

  // Issue 10, "Anyone who can push a branch can read the prod database password".
  it("denies the plan role every secret value: product parameters, Secrets Manager values, and kms:Decrypt outside state", () => {
    const json2 = synth((() => {
      const st = testStack("ci");
      new TerraformCiRoles(st, "ci", { ...props, state: { ...props.state, region: "ap-northeast-1" }, protectedSecrets: { parameterPaths: ["/acme/"] } });
      return st;
    })());
    const denies = statements(json2, "ci/plan/permissions");
    const params = bySid(denies, "DenyProductParameters");
    expect(params.effect).toBe("Deny");
    expect(params.actions).toEqual(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"]);
    expect(params.resources).toEqual(["arn:aws:ssm:*:*:parameter/acme/*"]);
    expect(bySid(denies, "DenySecretValues")).toMatchObject({ effect: "Deny", actions: expect.arrayContaining(["secretsmanager:GetSecretValue"]), resources: ["*"] });
    expect(bySid(denies, "DenyDecryptOutsideState")).toEqual({
      sid: "DenyDecryptOutsideState",
      effect: "Deny",
      actions: ["kms:Decrypt"],
      resources: ["*"],
      condition: [{ test: "StringNotLike", variable: "kms:ViaService", values: ["s3.ap-northeast-1.amazonaws.com"] }],
    });
    // The apply role is not given the read denies (it must decrypt to deploy).
    expect(statements(json2, "ci/apply/permissions").map((x) => x.sid)).not.toContain("DenySecretValues");
  });

  it("fails when a protected parameter path is not a top-level SSM path", () => {
    const error = configError(() => new TerraformCiRoles(testStack("ci"), "ci", { ...props, protectedSecrets: { parameterPaths: ["acme"] } }));
    expect(error.message).toContain('protectedSecrets.parameterPaths[0]: "acme" must be a top-level SSM path');
  });

  it("puts the apply role, and only it, under a permissions boundary when one is given", () => {
    const st = testStack("ci");
    new TerraformCiRoles(st, "ci", { ...props, applyPermissionsBoundaryArn: "arn:aws:iam::123456789012:policy/github-actions/acme-staging-apply-boundary" });
    const j = synth(st);
    expect(resourceAt(j, "aws_iam_role", "ci/apply/role").permissions_boundary).toBe("arn:aws:iam::123456789012:policy/github-actions/acme-staging-apply-boundary");
    expect(resourceAt(j, "aws_iam_role", "ci/plan/role").permissions_boundary).toBeUndefined();
  });

  it("does not give the plan role the apply role's admin policy", () => {
    const planRole = resourceAt(json, "aws_iam_role", "ci/plan/role");
    const planAttachments = listResources(json, "aws_iam_role_policy_attachment").filter((a) => String(a.role).includes("ci_plan_role"));
    expect(planRole.name).toBe("acme-staging-github-plan");
    expect(planAttachments.map((a) => String(a.policy_arn).replace(/^.*policy\//, ""))).toEqual(["ReadOnlyAccess"]);
  });

  it("fails when the key prefixes are not single path segments or deny the environment's own state", () => {
    const error = configError(
      () =>
        new TerraformCiRoles(testStack("ci"), "ci", {
          ...props,
          state: { ...props.state, keyPrefix: "staging", deniedKeyPrefixes: ["staging", "prod/*"] },
        }),
    );
    expect(error.message).toContain('state.keyPrefix: "staging" must be one path segment ending in \'/\'');
    expect(error.message).toContain('state.deniedKeyPrefixes[0]: "staging" must not be the environment\'s own key prefix');
    expect(error.message).toContain('state.deniedKeyPrefixes[1]: "prod/*"');
  });

  it("fails when the state bucket name is not an S3 bucket name", () => {
    const error = configError(() => new TerraformCiRoles(testStack("ci"), "ci", { ...props, state: { ...props.state, bucketName: "Bad_Bucket" } }));
    expect(error.message).toContain('state.bucketName: "Bad_Bucket" must be 3-63 lower-case letters, digits, dots and hyphens');
  });
});

// Issue 10, "Staging's apply role is an admin over prod": in a shared account it runs under this boundary.
describe("ApplyRoleBoundary", () => {
  const stack = testStack("ci");
  const boundary = new ApplyRoleBoundary(stack, "boundary", {
    project: "acme",
    environment: "staging",
    accountId: "123456789012",
    region: "ap-northeast-1",
    state: { bucketName: "acme-tfstate", keyPrefix: "staging/", lockTableArn: LOCK_TABLE_ARN },
  });
  const json = synth(stack);
  const doc = statements(json, "boundary/document");
  const ARN = "arn:aws:iam::123456789012:policy/github-actions/acme-staging-apply-boundary";

  it("is a managed policy under /github-actions/ whose ARN is known at synth", () => {
    expect(boundary.arn).toBe(ARN);
    expect(onlyResource(json, "aws_iam_policy")).toMatchObject({ name: "acme-staging-apply-boundary", path: "/github-actions/" });
  });

  it("allows only staging's named or tagged resources, metadata reads, and staging's own state", () => {
    const named = bySid(doc, "OwnNamedResources");
    expect(named.actions).toEqual(["*"]);
    expect(named.resources).toContain("arn:aws:iam:*:*:*acme-staging-*");
    expect(named.resources).toContain("arn:aws:ssm:*:*:parameter/acme/staging/*");
    expect(named.resources!.every((r) => !r.includes("prod"))).toBe(true);
    expect(bySid(doc, "OwnTaggedResources").condition).toEqual([{ test: "StringEquals", variable: "aws:ResourceTag/environment", values: ["staging"] }]);
    expect(bySid(doc, "CreateTaggedResources").condition).toEqual([{ test: "StringEquals", variable: "aws:RequestTag/environment", values: ["staging"] }]);
    const reads = bySid(doc, "ReadMetadata").actions!;
    // No value reads anywhere: objects, parameters, secrets, decrypt.
    for (const a of ["s3:GetObject", "s3:Get*", "ssm:GetParameter", "ssm:Get*", "secretsmanager:GetSecretValue", "kms:Decrypt", "*"]) expect(reads).not.toContain(a);
    expect(bySid(doc, "OwnState").resources).toEqual(["arn:aws:s3:::acme-tfstate/staging/*"]);
    expect(bySid(doc, "OwnLockItems").condition![0]!.values).toEqual(["acme-tfstate/staging/*"]);
    // Every unconditioned allow on "*" is a short list of read or account-wide actions.
    for (const s of doc.filter((x) => x.effect !== "Deny" && x.resources?.includes("*") && !x.condition)) {
      expect(s.actions).not.toContain("*");
    }
  });

  it("forbids creating or re-bounding roles without this boundary, removing it, or changing the CI policies", () => {
    const roles = bySid(doc, "DenyRolesWithoutThisBoundary");
    expect(roles).toMatchObject({ effect: "Deny", actions: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"], resources: ["*"] });
    expect(roles.condition).toEqual([{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [ARN] }]);
    expect(bySid(doc, "DenyRemovingBoundaries")).toMatchObject({ effect: "Deny", actions: expect.arrayContaining(["iam:DeleteRolePermissionsBoundary"]) });
    const policies = bySid(doc, "DenyChangingCiPolicies");
    expect(policies.actions).toEqual(expect.arrayContaining(["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"]));
    expect(policies.resources).toEqual(["arn:aws:iam::123456789012:policy/github-actions/*"]);
    expect(bySid(doc, "DenyUsersAndKeys").actions).toEqual(expect.arrayContaining(["iam:CreateUser", "iam:CreateAccessKey"]));
    expect(bySid(doc, "DenyRetaggingOtherEnvironments").condition).toEqual([
      { test: "StringNotEquals", variable: "aws:ResourceTag/environment", values: ["staging"] },
      { test: "Null", variable: "aws:ResourceTag/environment", values: ["false"] },
    ]);
  });

  it("stays within IAM's 6,144-character limit for a managed policy", () => {
    const compact = JSON.stringify({ Statement: doc }).replace(/\s/g, "");
    expect(compact.length).toBeLessThan(6144);
  });

  it("fails when the account or names are malformed", () => {
    const error = configError(
      () =>
        new ApplyRoleBoundary(testStack("ci"), "b", {
          project: "Acme",
          environment: "staging",
          accountId: "12345",
          region: "ap-northeast-1",
          state: { bucketName: "acme-tfstate", keyPrefix: "staging/", lockTableArn: LOCK_TABLE_ARN },
        }),
    );
    expect(error.message).toContain('project: "Acme"');
    expect(error.message).toContain('accountId: "12345"');
  });
});

describe("ImagePushRole", () => {
  const STAGING_WEB = "arn:aws:ecr:ap-northeast-1:123456789012:repository/acme-staging-web";
  const PROD_WEB = "arn:aws:ecr:ap-northeast-1:123456789012:repository/acme-prod-web";
  const stack = testStack("ci");
  new ImagePushRole(stack, "app", {
    providerArn: PROVIDER_ARN,
    repository: { owner: "acme", name: "app" },
    subjects: [{ tag: "v*" }, { branch: "main" }],
    roleName: "acme-app-github-ecr-push",
    repositoryArns: { "staging/web": STAGING_WEB, "prod/web": PROD_WEB },
  });
  const json = synth(stack);
  const permissions = statements(json, "app/role/permissions");
  const trust = statements(json, "app/role/trust");

  it("trusts only the app repository's release tags and main branch, for the STS audience", () => {
    expect(trust).toHaveLength(1);
    expect(trust[0]!.principals).toEqual([{ type: "Federated", identifiers: [PROVIDER_ARN] }]);
    expect(trust[0]!.condition).toEqual([
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
      // StringLike only because `v*` is a pattern; the repository part is literal.
      { test: "StringLike", variable: "token.actions.githubusercontent.com:sub", values: ["repo:acme/app:ref:refs/tags/v*", "repo:acme/app:ref:refs/heads/main"] },
    ]);
  });

  it("may log in to ECR and push to the named repositories, and nothing else", () => {
    expect(permissions).toEqual([
      { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      { sid: "PushToOwnRepositories", actions: [...ECR_PUSH_ACTIONS], resources: [STAGING_WEB, PROD_WEB] },
    ]);
    expect(ECR_PUSH_ACTIONS).not.toContain("ecr:DeleteRepository");
    expect(ECR_PUSH_ACTIONS.every((a) => !a.includes("*"))).toBe(true);
    expect(listResources(json, "aws_iam_role_policy_attachment")).toEqual([]);
    expect(onlyResource(json, "aws_iam_role").path).toBe("/github-actions/");
  });

  it("fails on pull-request subjects, a bare * tag, and a wildcard repository ARN, all at once", () => {
    const error = configError(
      () =>
        new ImagePushRole(testStack("ci"), "app", {
          providerArn: PROVIDER_ARN,
          repository: { owner: "acme", name: "app" },
          subjects: [{ pullRequest: true }, { tag: "*" }],
          roleName: "acme-app-github-ecr-push",
          repositoryArns: { any: "arn:aws:ecr:ap-northeast-1:123456789012:repository/*" },
        }),
    );
    expect(error.issues.map((i) => i.field.replace(/^test-ci\/app\./, ""))).toEqual(["repositoryArns.any", "subjects[1].tag", "subjects[0]"]);
    expect(error.message).toMatch(/"\*" alone would trust every tag anyone pushes/);
  });

  it("names tag subjects in the claim GitHub sends for a tag push", () => {
    expect(subjectClaim({ owner: "acme", name: "app" }, { tag: "v1.2.3" })).toBe("repo:acme/app:ref:refs/tags/v1.2.3");
  });
});
