import type { Validator } from "@platform/core";

/** The load balancer's HTTP health check of a service's tasks. */
export interface TargetHealthCheckProps {
  /**
   * Path requested on the target port; make it cheap (no database round trip on every probe).
   * @default "/"
   */
  readonly path?: string;
  /**
   * Seconds between probes, 5–300.
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds to wait for an answer, 2–120 and less than the interval.
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive successes before a target is healthy, 2–10.
   * @default 3
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failures before a target is unhealthy (and ECS replaces the task), 2–10.
   * @default 3
   */
  readonly unhealthyThreshold?: number;
  /**
   * HTTP codes that count as healthy: "200", "200,204" or "200-299" (codes 200–499).
   * @default "200"
   */
  readonly matcher?: string;
}

export const TARGET_HEALTH_CHECK_DEFAULTS = {
  path: "/",
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 3,
  unhealthyThreshold: 3,
  matcher: "200",
} as const satisfies Required<TargetHealthCheckProps>;

/** Checks a health check against the ranges Elastic Load Balancing accepts for HTTP target groups. */
export function validateTargetHealthCheck(v: Validator, field: string, props: TargetHealthCheckProps | undefined): void {
  const h = { ...TARGET_HEALTH_CHECK_DEFAULTS, ...props };
  const whole = (key: keyof typeof h, min: number, max: number): boolean =>
    v.check(
      Number.isInteger(h[key]) && (h[key] as number) >= min && (h[key] as number) <= max,
      `${field}.${key}`,
      h[key],
      `must be a whole number between ${min} and ${max} (Elastic Load Balancing's range).`,
    );
  const intervalOk = whole("intervalSeconds", 5, 300);
  const timeoutOk = whole("timeoutSeconds", 2, 120);
  if (intervalOk && timeoutOk) {
    v.check(
      h.timeoutSeconds < h.intervalSeconds,
      `${field}.timeoutSeconds`,
      h.timeoutSeconds,
      `must be less than intervalSeconds (${h.intervalSeconds}); a probe has to finish before the next starts.`,
    );
  }
  whole("healthyThreshold", 2, 10);
  whole("unhealthyThreshold", 2, 10);
  v.check(
    /^\/[\x21-\x7e]{0,1023}$/.test(h.path),
    `${field}.path`,
    h.path,
    'must start with "/" and be at most 1024 printable characters, e.g. "/health".',
  );
  v.check(isValidMatcher(h.matcher), `${field}.matcher`, h.matcher, 'must list HTTP codes between 200 and 499, e.g. "200", "200,204" or "200-299".');
}

function isValidMatcher(matcher: string): boolean {
  const inRange = (code: string) => /^\d{3}$/.test(code) && Number(code) >= 200 && Number(code) <= 499;
  return matcher.split(",").every((part) => {
    const [from, to, extra] = part.split("-");
    if (extra !== undefined || from === undefined) return false;
    if (to === undefined) return inRange(from);
    return inRange(from) && inRange(to) && Number(from) < Number(to);
  });
}
