/**
 * Hours a scheduled service runs per average month, from EventBridge Scheduler cron pairs.
 * The window is simulated minute by minute in the schedule's time zone, so weekdays,
 * month lengths and daylight saving come out as AWS would fire them.
 */

/** Hours in an average month (8,760 h / 12), the basis of every monthly figure. */
export const HOURS_PER_MONTH = 730;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** A parsed cron(...) expression: the allowed values of each field; undefined means any. */
export interface Cron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth?: ReadonlySet<number>;
  readonly months?: ReadonlySet<number>;
  /** 1 = Sunday … 7 = Saturday, as EventBridge counts. */
  readonly daysOfWeek?: ReadonlySet<number>;
  readonly years?: ReadonlySet<number>;
}

/** Parses `cron(m h dom mon dow year)`; throws naming the expression for forms it cannot count (L, W, #). */
export function parseCron(expression: string): Cron {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  const parts = match?.[1]!.trim().split(/\s+/) ?? [];
  if (parts.length !== 6) throw new Error(`cost: ${JSON.stringify(expression)} is not a six-field cron(...) expression`);
  const field = (text: string, min: number, max: number, names?: readonly string[]): Set<number> | undefined => {
    const t = text.toUpperCase();
    if (t === "*" || t === "?") return undefined;
    const out = new Set<number>();
    for (const item of t.split(",")) {
      const [range, stepText] = item.split("/");
      const step = stepText === undefined ? 1 : Number(stepText);
      const value = (v: string): number => {
        const i = names?.indexOf(v) ?? -1;
        const n = i >= 0 ? min + i : Number(v);
        if (!/^\d+$/.test(v) && i < 0) {
          throw new Error(`cost: cannot count ${JSON.stringify(expression)}: "${item}" (L, W and # are not supported)`);
        }
        if (n < min || n > max) throw new Error(`cost: ${JSON.stringify(expression)}: ${v} is outside ${min}-${max}`);
        return n;
      };
      const [lo, hi] = range === "*" ? [min, max] : range!.includes("-") ? range!.split("-").map(value) : [value(range!), stepText ? max : value(range!)];
      for (let n = lo!; n <= hi!; n += step) out.add(n);
    }
    return out;
  };
  return {
    minutes: field(parts[0]!, 0, 59) ?? new Set(Array.from({ length: 60 }, (_, i) => i)),
    hours: field(parts[1]!, 0, 23) ?? new Set(Array.from({ length: 24 }, (_, i) => i)),
    daysOfMonth: field(parts[2]!, 1, 31),
    months: field(parts[3]!, 1, 12, MONTHS),
    daysOfWeek: field(parts[4]!, 1, 7, DAYS),
    years: field(parts[5]!, 1970, 2199),
  };
}

/** Local wall-clock fields of one instant. */
interface Local {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
}

function matches(cron: Cron, t: Local): boolean {
  return (
    cron.minutes.has(t.minute) &&
    cron.hours.has(t.hour) &&
    (cron.daysOfMonth?.has(t.day) ?? true) &&
    (cron.months?.has(t.month) ?? true) &&
    (cron.daysOfWeek?.has(t.weekday) ?? true) &&
    (cron.years?.has(t.year) ?? true)
  );
}

/** Offset of `timeZone` from UTC, in minutes, at `utcMs`. */
function offsetMinutes(format: Intl.DateTimeFormat, utcMs: number): number {
  const p = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - utcMs) / 60_000);
}

/** A start/stop pair of one scheduler, as found in the stacks. */
export interface SchedulePair {
  readonly start: string;
  readonly stop: string;
  readonly timeZone: string;
}

/** A time window [from, to), UTC. */
export interface Window {
  readonly from: Date;
  readonly to: Date;
}

/** The calendar year `year` in UTC: the default window (the year of the price table). */
export function yearWindow(year: number): Window {
  return { from: new Date(Date.UTC(year, 0, 1)), to: new Date(Date.UTC(year + 1, 0, 1)) };
}

function localClock(timeZone: string): (t: number, newHour: boolean) => Local {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric",
    });
  } catch {
    throw new Error(`cost: unknown time zone ${JSON.stringify(timeZone)} in a schedule`);
  }
  let offset = 0;
  return (t, newHour) => {
    if (newHour) offset = offsetMinutes(format, t);
    const d = new Date(t + offset * 60_000);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() + 1, hour: d.getUTCHours(), minute: d.getUTCMinutes() };
  };
}

/**
 * Running hours per average month (730 h basis) of a service started and stopped by `pair`
 * over `window`. The service is running when created; a week before the window is simulated
 * first so the window starts in the state the schedule leaves it in.
 */
export function scheduledHoursPerMonth(pair: SchedulePair, window: Window): number {
  const start = parseCron(pair.start);
  const stop = parseCron(pair.stop);
  const clock = localClock(pair.timeZone);
  const warmUp = window.from.getTime() - 7 * 24 * 3_600_000;
  const end = window.to.getTime();
  let running = true;
  let runningMinutes = 0;
  for (let t = warmUp; t < end; t += 60_000) {
    const local = clock(t, t === warmUp || t % 3_600_000 === 0);
    if (matches(stop, local)) running = false;
    if (matches(start, local)) running = true;
    if (running && t >= window.from.getTime()) runningMinutes++;
  }
  return (runningMinutes / 60 / windowHours(window)) * HOURS_PER_MONTH;
}

function windowHours(window: Window): number {
  return (window.to.getTime() - window.from.getTime()) / 3_600_000;
}

/** Firings per average month of a cron(...) or rate(...) expression. */
export function firingsPerMonth(expression: string, timeZone: string, window: Window): number {
  const rate = /^rate\((\d+)\s+(minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (rate) {
    const perHour = rate[2]!.startsWith("minute") ? 60 : rate[2]!.startsWith("hour") ? 1 : 1 / 24;
    return (HOURS_PER_MONTH * perHour) / Number(rate[1]);
  }
  if (expression.trim().startsWith("at(")) return 0;
  const cron = parseCron(expression);
  const clock = localClock(timeZone);
  let firings = 0;
  for (let t = window.from.getTime(); t < window.to.getTime(); t += 60_000) {
    if (matches(cron, clock(t, t === window.from.getTime() || t % 3_600_000 === 0))) firings++;
  }
  return (firings / windowHours(window)) * HOURS_PER_MONTH;
}
