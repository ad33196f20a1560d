/**
 * Stable anchors of `docs/runbooks/alarms.md` (and `alarms.ja.md`): every alarm, rule and budget
 * links to its section. The docs declare each with `<a id="…"></a>`, so renaming a heading never
 * breaks a link in an alarm that is already deployed. A test checks both files hold every anchor.
 */
export const RUNBOOK_ANCHORS = {
  deploymentFailed: "ecs-deployment-failed",
  deploymentRollback: "ecs-deployment-rollback",
  ecsCpu: "ecs-cpu-high",
  ecsMemory: "ecs-memory-high",
  ecsTasksLow: "ecs-tasks-low",
  ecsBelowDesired: "ecs-tasks-below-desired",
  ecsAtMaximum: "ecs-scaling-at-max",
  elb5xx: "alb-elb-5xx",
  target5xx: "alb-target-5xx",
  target4xx: "alb-target-4xx-ratio",
  albLatency: "alb-latency-high",
  unhealthyHosts: "alb-unhealthy-hosts",
  dbCpu: "db-cpu-high",
  dbConnections: "db-connections-high",
  dbMemory: "db-memory-low",
  dbCapacity: "db-acu-near-max",
  dbStorage: "db-storage-low",
  dbReadLatency: "db-read-latency-high",
  dbWriteLatency: "db-write-latency-high",
  lambdaErrors: "lambda-errors",
  lambdaThrottles: "lambda-throttles",
  natBytes: "nat-bytes-high",
  budget: "monthly-budget",
} as const;

export type RunbookAnchor = (typeof RUNBOOK_ANCHORS)[keyof typeof RUNBOOK_ANCHORS];

/**
 * `<runbookUrl>#<anchor>`, or `undefined` without a runbook URL (the alarm then carries its
 * description alone). `runbookUrl` is the page, e.g.
 * `https://github.com/acme/infrastructure/blob/main/docs/runbooks/alarms.md`.
 */
export function runbookLink(runbookUrl: string | undefined, anchor: RunbookAnchor): string | undefined {
  return runbookUrl ? `${runbookUrl}#${anchor}` : undefined;
}

/** Checks a runbook URL: https, no fragment (the anchor is added per alarm). */
export function runbookUrlProblem(url: string): string | undefined {
  if (!/^https:\/\/[^\s#]+$/.test(url)) {
    return 'must be an https URL of the runbook page without "#", e.g. "https://github.com/acme/infrastructure/blob/main/docs/runbooks/alarms.md".';
  }
  return undefined;
}
