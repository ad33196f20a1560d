import { ARN_SHAPES, CONSTRUCT_KEY_PATTERN, arnTemplate, bucketNameProblem, isAccountId, isArnOf, isRegionName, regionFix, type ConfigIssue } from "@platform/core";
import { schemaIssues } from "@platform/layers";
import { z } from "zod";

/**
 * The bootstrap config (`account`, `github` in config.ts) checked in one pass like an
 * environment's: strict shapes (unknown keys are errors) and the rules a shape cannot say.
 * Fields are reported as `bootstrap.account.<path>` and `bootstrap.github.<path>`.
 */
export const accountSchema = z
  .object({
    project: z.string(),
    region: z.string(),
    accountId: z.string(),
    state: z.object({ bucket: z.string(), lockTable: z.string() }).strict(),
  })
  .strict();

export const githubSchema = z
  .object({
    owner: z.string(),
    repository: z.string(),
    deployEnvironments: z.record(z.string(), z.string()),
    existingOidcProviderArn: z.string().optional(),
    applicationRepositories: z
      .record(
        z.string(),
        z
          .object({
            owner: z.string(),
            repository: z.string(),
            pushFrom: z.array(z.union([z.object({ tag: z.string() }).strict(), z.object({ branch: z.string() }).strict()])),
            ecrRepositories: z.record(z.string(), z.array(z.string())),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Every problem of the bootstrap config. `environments` are the platform environments the app
 * builds: each needs its own GitHub environment, or one approval would deploy both.
 */
export function bootstrapConfigIssues(account: unknown, github: unknown, environments?: readonly string[]): ConfigIssue[] {
  const issues = [...schemaIssues(accountSchema, account, "bootstrap.account"), ...schemaIssues(githubSchema, github, "bootstrap.github")];
  const fail = (field: string, value: unknown, fix: string) => issues.push({ field: `bootstrap.${field}`, value, fix });
  const a = (account ?? {}) as Partial<z.infer<typeof accountSchema>>;
  const g = (github ?? {}) as Partial<z.infer<typeof githubSchema>>;

  if (typeof a.region === "string" && !isRegionName(a.region)) fail("account.region", a.region, regionFix(a.region));
  if (typeof a.accountId === "string" && !isAccountId(a.accountId)) {
    fail("account.accountId", a.accountId, "must be the 12-digit ID of the AWS account (`aws sts get-caller-identity --query Account`).");
  }
  const bucket = a.state?.bucket;
  const bucketProblem = typeof bucket === "string" ? bucketNameProblem(bucket) : undefined;
  if (bucketProblem) fail("account.state.bucket", bucket, `${bucketProblem}.`);
  if (typeof g.owner === "string" && !GITHUB_OWNER.test(g.owner)) {
    fail("github.owner", g.owner, "must be a GitHub user or organisation name (letters, digits, inner hyphens, at most 39).");
  }
  if (typeof g.repository === "string" && !GITHUB_REPOSITORY.test(g.repository)) {
    fail("github.repository", g.repository, "must be the repository name only (letters, digits, . _ -), without the owner or .git.");
  }
  if (g.existingOidcProviderArn !== undefined && typeof g.existingOidcProviderArn === "string" && !isArnOf(ARN_SHAPES.githubOidcProvider, g.existingOidcProviderArn)) {
    fail("github.existingOidcProviderArn", g.existingOidcProviderArn, `must be GitHub's OIDC provider ARN, ${arnTemplate(ARN_SHAPES.githubOidcProvider)}.`);
  }

  for (const [key, app] of Object.entries(g.applicationRepositories ?? {})) {
    const field = `github.applicationRepositories.${key}`;
    if (!CONSTRUCT_KEY_PATTERN.test(key)) fail(field, key, "key must be 1-31 lower-case letters, digits or hyphens starting with a letter (it names the role and its construct).");
    if (typeof app?.owner === "string" && !GITHUB_OWNER.test(app.owner)) fail(`${field}.owner`, app.owner, "must be a GitHub user or organisation name (letters, digits, inner hyphens, at most 39).");
    if (typeof app?.repository === "string" && !GITHUB_REPOSITORY.test(app.repository)) {
      fail(`${field}.repository`, app.repository, "must be the repository name only (letters, digits, . _ -), without the owner or .git.");
    }
    if (Array.isArray(app?.pushFrom) && app.pushFrom.length === 0) fail(`${field}.pushFrom`, app.pushFrom, 'must name the release tags or branch whose runs push, e.g. [{ tag: "v*" }].');
    if (typeof app?.ecrRepositories === "object" && app.ecrRepositories !== null) {
      if (Object.keys(app.ecrRepositories).length === 0) fail(`${field}.ecrRepositories`, app.ecrRepositories, 'must name at least one environment\'s repositories, e.g. { staging: ["web"] }.');
      for (const environment of Object.keys(app.ecrRepositories)) {
        if (environments && !environments.includes(environment)) {
          fail(`${field}.ecrRepositories.${environment}`, environment, `names no environment the app builds (${environments.join(", ")}).`);
        }
      }
    }
  }

  const deploy = typeof g.deployEnvironments === "object" && g.deployEnvironments !== null ? g.deployEnvironments : {};
  const owners = new Map<string, string>();
  for (const [environment, githubEnvironment] of Object.entries(deploy)) {
    if (typeof githubEnvironment !== "string") continue;
    const field = `github.deployEnvironments.${environment}`;
    if (!/^[^\s'"`,;:*?\\<>|/][^'"`,;:*?\\<>|/]{0,254}$/.test(githubEnvironment) || githubEnvironment.trim() !== githubEnvironment) {
      fail(field, githubEnvironment, "must be a GitHub environment name (1-255 characters, no quotes, slashes, colons or leading/trailing spaces).");
      continue;
    }
    // GitHub compares environment names case-insensitively.
    const key = githubEnvironment.toLowerCase();
    const other = owners.get(key);
    if (other !== undefined) {
      fail(
        field,
        githubEnvironment,
        `is also the GitHub environment of ${other}; one approval (and one set of protection rules) would deploy both. Give ${environment} its own GitHub environment, e.g. "${environment === "prod" ? "production" : environment}".`,
      );
    }
    owners.set(key, environment);
  }
  if (environments) {
    for (const environment of environments) {
      if (!(environment in deploy)) {
        fail(`github.deployEnvironments.${environment}`, undefined, `is missing: the app builds the environment "${environment}", so it needs a GitHub environment to deploy from.`);
      }
    }
    for (const environment of Object.keys(deploy)) {
      if (!environments.includes(environment)) {
        fail(`github.deployEnvironments.${environment}`, deploy[environment], `names no environment the app builds (${environments.join(", ")}); remove it or fix the spelling.`);
      }
    }
  }
  return issues;
}
