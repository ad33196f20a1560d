/** A GitHub repository, as it appears in the OIDC token's `sub` claim. */
export interface GithubRepository {
  /** User or organization, e.g. `acme`. */
  readonly owner: string;
  /** Repository name, e.g. `infrastructure`. */
  readonly name: string;
}

/**
 * Which workflow runs of the repository may assume a role, by the token's `sub` claim
 * (GitHub's default format; an organization that customized its claims needs other values).
 * A job that names a GitHub environment gets `environment:<name>` and never `ref:…`, so an
 * apply role trusts the environment and the environment restricts branches.
 */
export type GithubSubject =
  /** Workflows triggered by `pull_request`: `repo:<owner>/<name>:pull_request`. */
  | { readonly pullRequest: true }
  /** Jobs on a branch that use no environment: `repo:<owner>/<name>:ref:refs/heads/<branch>`. */
  | { readonly branch: string }
  /**
   * Jobs on a pushed tag that use no environment: `repo:<owner>/<name>:ref:refs/tags/<tag>`; a
   * pattern such as `v*` trusts every tag starting with `v` (protect it with a tag ruleset).
   */
  | { readonly tag: string }
  /** Jobs with `environment: <name>`: `repo:<owner>/<name>:environment:<name>`. */
  | { readonly environment: string };

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
const BRANCH = /^[A-Za-z0-9._/*-]{1,255}$/;
/** A ref pattern whose only wildcard is a trailing `*` after a literal prefix (`v*`, `release/*`). */
const PREFIX_PATTERN = /^[A-Za-z0-9._/-]+\*?$/;
const ENVIRONMENT = /^[A-Za-z0-9._ -]{1,255}$/;

/** The `sub` value of one subject. */
export function subjectClaim(repository: GithubRepository, subject: GithubSubject): string {
  const repo = `repo:${repository.owner}/${repository.name}`;
  if ("pullRequest" in subject) return `${repo}:pull_request`;
  if ("branch" in subject) return `${repo}:ref:refs/heads/${subject.branch}`;
  if ("tag" in subject) return `${repo}:ref:refs/tags/${subject.tag}`;
  return `${repo}:environment:${subject.environment}`;
}

/** Problems with a repository and its subjects, as [field, value, fix] triples. */
export function subjectProblems(repository: GithubRepository, subjects: readonly GithubSubject[]): Array<[string, unknown, string]> {
  const problems: Array<[string, unknown, string]> = [];
  if (!OWNER.test(repository.owner ?? "")) {
    problems.push(["repository.owner", repository.owner, "must be a GitHub user or organization name (letters, digits, hyphens; no wildcards: a wildcard trusts other people's repositories)."]);
  }
  if (!REPOSITORY.test(repository.name ?? "") || repository.name === "." || repository.name === "..") {
    problems.push(["repository.name", repository.name, "must be a repository name (letters, digits, '.', '_', '-'; no wildcards)."]);
  }
  if (subjects.length === 0) problems.push(["subjects", subjects, "must name at least one subject, e.g. { pullRequest: true } or { environment: \"production\" }."]);
  subjects.forEach((s, i) => {
    if ("branch" in s && (!BRANCH.test(s.branch) || s.branch === "*" || s.branch === "**")) {
      problems.push([`subjects[${i}].branch`, s.branch, "must be a branch name such as \"main\" (a pattern like \"release/*\" is allowed, \"*\" alone is not: it trusts every branch)."]);
    }
    if ("tag" in s && (!PREFIX_PATTERN.test(s.tag) || s.tag.length > 255)) {
      problems.push([`subjects[${i}].tag`, s.tag, "must be a tag name or a prefix pattern such as \"v*\" (one trailing '*' after a literal prefix; \"*\" alone would trust every tag anyone pushes)."]);
    }
    if ("environment" in s && (!ENVIRONMENT.test(s.environment) || s.environment.includes("*"))) {
      problems.push([`subjects[${i}].environment`, s.environment, "must be a GitHub environment name such as \"production\", without wildcards."]);
    }
  });
  return problems;
}
