/**
 * The alarm thresholds an environment gets unless `monitoring.thresholds` says otherwise: the
 * one place they are written (docs/runbooks/alarms.md explains each).
 */
export const ALARM_THRESHOLD_DEFAULTS = {
  /** ECS service CPU %: the operations guide's 80, above the 70 % scaling target. */
  serviceCpuPercent: 80,
  /** ECS service memory %: seed 000's 85, above the 80 % scaling target (80 fired under normal scaled load). */
  serviceMemoryPercent: 85,
  /** Target 4xx as % of requests (periods with at least 100 requests), 3 x 5 min. */
  target4xxPercent: 20,
  /** Average database read latency, ms, 3 x 5 min. */
  databaseReadLatencyMs: 20,
  /** Average database write latency, ms, 3 x 5 min. */
  databaseWriteLatencyMs: 20,
  /** Free storage of an RDS instance, GiB. */
  databaseFreeStorageGiB: 10,
  /** Data out of one NAT gateway per hour, GB, two hours in a row (~$0.06/GB processing in Tokyo). */
  natGbPerHour: 1,
} as const;

/** The compute package's own target defaults (ServiceAutoScaling), for the rule that compares them. */
export { AUTO_SCALING_TARGET_DEFAULTS } from "@platform/compute";
