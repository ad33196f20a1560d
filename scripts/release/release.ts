/**
 * A release: one service's image tag in one environment, changed in that environment's
 * `apps/<env>/src/releases.json` (the only thing a release edits; config.ts reads it and keeps
 * every other choice). Validation collects every problem and nothing is written on any.
 */
import { ConfigError, NAME_LIMITS, Validator, boundedName, type ConfigIssue } from "@platform/core";
import type { EnvironmentLayersConfig } from "@platform/layers";
import { defaultRepositoryName, releaseTagProblem } from "@platform/registry";
import type { FileVersion } from "./history";

export interface ReleaseRequest {
  readonly environment: string;
  readonly service: string;
  /** The tag to run; exactly one of `tag` and `rollback`. */
  readonly tag?: string;
  /** Go back to the tag the service ran before its current one (from git history). */
  readonly rollback?: boolean;
}

export interface ReleaseSources {
  /** Environment plans by name. */
  readonly environments: Readonly<Record<string, EnvironmentLayersConfig>>;
  /** Path of an environment's releases file, from the repository root. */
  readonly fileOf: (environment: string) => string;
  /** The file's current text (the working copy). */
  readonly read: (file: string) => string;
  /** Committed versions of the file, newest first (for `rollback`). */
  readonly history: (file: string) => readonly FileVersion[];
}

export interface ReleasePlan {
  readonly environment: string;
  readonly service: string;
  /** The releases file, from the repository root. */
  readonly file: string;
  readonly before: string;
  readonly after: string;
  /** False when the service already runs `after`: nothing to write. */
  readonly changed: boolean;
  /** The whole file after the release (key order kept). */
  readonly text: string;
  /** The one stack whose plan changes. */
  readonly stack: string;
  /** ECS task definition family and service name of the service. */
  readonly taskDefinition: string;
  /** ECR repository the image comes from. */
  readonly repository: string;
  /** For a rollback: the commit that last recorded the tag rolled back to. */
  readonly from?: { readonly commit: string; readonly subject: string };
}

type Tags = Record<string, string>;

/** The tags of a releases file, or the problem with it. */
export function parseReleases(text: string): Tags | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `is not valid JSON (${(error as Error).message})`;
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) return 'must be a JSON object of service → image tag, e.g. { "web": "v1.4.2" }';
  const bad = Object.entries(json).filter(([, v]) => typeof v !== "string");
  if (bad.length > 0) return `must map each service to a tag string; ${bad.map(([k]) => k).join(", ")} ${bad.length === 1 ? "is" : "are"} not`;
  return json as Tags;
}

/** The file's text with one tag changed: same key order, two-space indent, final newline. */
export function renderReleases(tags: Readonly<Tags>): string {
  return `${JSON.stringify(tags, null, 2)}\n`;
}

/** Validates the request and works out the release; throws a ConfigError listing every problem. */
export function planRelease(request: ReleaseRequest, sources: ReleaseSources): ReleasePlan {
  const v = new Validator("release");
  const known = Object.keys(sources.environments);
  const plan = sources.environments[request.environment];
  v.check(plan !== undefined, "environment", request.environment, `is not an environment; use one of ${known.join(", ")}.`);
  const services = plan ? Object.keys(plan.compute.services) : [];
  if (plan) {
    v.check(
      services.includes(request.service),
      "service",
      request.service,
      `is not a service of ${request.environment}; use one of ${services.join(", ")}.`,
    );
  }
  if (request.rollback && request.tag !== undefined) {
    v.fail("tag", request.tag, "cannot be given with --rollback: a rollback takes the previous tag from git history. Drop one of them.");
  } else if (!request.rollback) {
    const problem = request.tag === undefined ? "is missing: give the tag to release (e.g. v1.4.2), or --rollback." : releaseTagProblem(request.tag);
    if (problem) v.fail("tag", request.tag, problem);
  }
  v.throwIfAny();

  const file = sources.fileOf(request.environment);
  const tags = readTags(file, sources.read(file), services);
  const before = tags[request.service]!;
  let after = request.tag!;
  let from: ReleasePlan["from"];
  if (request.rollback) {
    const previous = previousTag(file, request.service, before, sources.history(file));
    after = previous.tag;
    from = { commit: previous.commit, subject: previous.subject };
    const problem = releaseTagProblem(after);
    if (problem) {
      throw new ConfigError([{ field: "release.rollback", value: after, fix: `is the previous tag of ${request.service} (commit ${previous.commit.slice(0, 12)}) but ${problem} Release a tag by name instead.` }]);
    }
  }
  const envPlan = plan!;
  const namePrefix = `${envPlan.environment.project}-${envPlan.environment.name}`;
  return {
    environment: request.environment,
    service: request.service,
    file,
    before,
    after,
    changed: before !== after,
    text: renderReleases({ ...tags, [request.service]: after }),
    stack: `${request.environment}-compute`,
    taskDefinition: boundedName([namePrefix, request.service], NAME_LIMITS.ecsServiceName),
    repository: envPlan.registry.repositoryNames?.[request.service] ?? defaultRepositoryName(namePrefix, request.service),
    from,
  };
}

/** The file's tags, checked against the environment's services (each exactly once). */
function readTags(file: string, text: string, services: readonly string[]): Tags {
  const parsed = parseReleases(text);
  if (typeof parsed === "string") throw new ConfigError([{ field: file, fix: `${parsed}.` }]);
  const issues: ConfigIssue[] = [];
  for (const s of services) {
    if (parsed[s] === undefined) issues.push({ field: `${file}.${s}`, fix: `is missing: every service of the environment needs its tag here (config.ts reads it).` });
  }
  for (const k of Object.keys(parsed)) {
    if (!services.includes(k)) issues.push({ field: `${file}.${k}`, value: parsed[k], fix: `names no service of the environment (${services.join(", ")}); remove it.` });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return parsed;
}

/**
 * The tag the service ran before `current`: walking the file's history from the newest commit,
 * the first tag that differs from `current`. A second rollback therefore undoes the first (like
 * `kubectl rollout undo`); to go further back, release a tag by name.
 */
export function previousTag(
  file: string,
  service: string,
  current: string,
  history: readonly FileVersion[],
): { tag: string; commit: string; subject: string } {
  for (const version of history) {
    const tags = parseReleases(version.text);
    const tag = typeof tags === "string" ? undefined : tags[service];
    if (tag === undefined) break; // before the service (or the file) existed
    if (tag !== current) return { tag, commit: version.commit, subject: version.subject };
  }
  throw new ConfigError([
    {
      field: "release.rollback",
      value: service,
      fix: `has no earlier tag than ${JSON.stringify(current)} in the git history of ${file} (${history.length} commit${history.length === 1 ? "" : "s"} of the file); there is nothing to roll back to. Release a tag by name: pnpm release <env> ${service} <tag>.`,
    },
  ]);
}

/** What the release changes, for the terminal and the pull request. */
export function describeRelease(plan: ReleasePlan): string {
  if (!plan.changed) return `${plan.environment} ${plan.service} already runs ${plan.after}: nothing to change (${plan.file} untouched).`;
  return [
    `${plan.environment} ${plan.service}: ${plan.before} → ${plan.after}${plan.from ? ` (rollback to the tag of ${plan.from.commit.slice(0, 12)} "${plan.from.subject}")` : ""}`,
    `  file:            ${plan.file}`,
    `  stack:           ${plan.stack} (the only stack whose plan changes)`,
    `  task definition: ${plan.taskDefinition}: a new revision (replace), container "app" image ${plan.repository}:${plan.before} → ${plan.repository}:${plan.after}`,
    `  service:         ${plan.taskDefinition}: update in place to the new revision (rolling deployment, circuit breaker rolls back a failing one)`,
  ].join("\n");
}

/** Title and Markdown body of the release pull request. */
export function pullRequestText(plan: ReleasePlan): { title: string; body: string } {
  const kind = plan.from ? "Roll back" : "Release";
  return {
    title: `${kind} ${plan.environment} ${plan.service} ${plan.after}`,
    body: [
      `${kind} of \`${plan.service}\` in \`${plan.environment}\`: \`${plan.before}\` → \`${plan.after}\`${plan.from ? ` (the tag of ${plan.from.commit.slice(0, 12)})` : ""}.`,
      "",
      "| | |",
      "| --- | --- |",
      `| file | \`${plan.file}\` |`,
      `| stack | \`${plan.stack}\` (the only stack whose plan changes) |`,
      `| task definition | \`${plan.taskDefinition}\`: new revision, image \`${plan.repository}:${plan.after}\` |`,
      `| service | \`${plan.taskDefinition}\`: update to the new revision |`,
      "",
      "The plan review below must show exactly this. Merge to deploy through the normal deploy; to undo, run the release workflow with `rollback` (or `pnpm release " +
        `${plan.environment} ${plan.service} --rollback\`).`,
    ].join("\n"),
  };
}
