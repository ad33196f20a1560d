import { ARN_SHAPES, arnTemplate, bucketNameProblem, isAccountId, isArnOf, isRegionName, regionFix, type ConfigIssue } from "@platform/core";
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
