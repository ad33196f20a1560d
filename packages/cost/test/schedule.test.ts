import { describe, expect, it } from "vitest";
import { firingsPerMonth, parseCron, scheduledHoursPerMonth, yearWindow } from "../src/schedule";

const weekdays = { start: "cron(0 9 ? * MON-FRI *)", stop: "cron(0 22 ? * MON-FRI *)", timeZone: "Asia/Tokyo" };

describe("schedule hours", () => {
  it("counts weekday 9:00-22:00 Asia/Tokyo over 2026: 261 weekdays × 13 h = 3,393 h of 8,760 → 282.75 h/month", () => {
    expect(scheduledHoursPerMonth(weekdays, yearWindow(2026))).toBeCloseTo((261 * 13 * 730) / 8760, 6);
  });

  it("counts 2027 the same way (it also has 261 weekdays)", () => {
    expect(scheduledHoursPerMonth(weekdays, yearWindow(2027))).toBeCloseTo(282.75, 6);
  });

  it("counts one JST week Mon 2026-01-05 00:00 to Mon 2026-01-12 00:00 as 5 × 13 = 65 h", () => {
    const window = { from: new Date("2026-01-04T15:00:00Z"), to: new Date("2026-01-11T15:00:00Z") };
    expect(scheduledHoursPerMonth(weekdays, window)).toBeCloseTo((65 / 168) * 730, 6);
  });

  it("uses the schedule's time zone: the same crons in UTC shift the hours but not their count", () => {
    const window = { from: new Date("2026-01-05T00:00:00Z"), to: new Date("2026-01-06T00:00:00Z") };
    // Monday 5 Jan in UTC: 09:00-22:00 UTC = 13 h; in Tokyo, Mon 09:00-22:00 JST = 00:00-13:00 UTC = 13 h, and
    // Tue 09:00 JST = Mon 24:00 UTC is outside. Both 13 h of 24.
    expect(scheduledHoursPerMonth({ ...weekdays, timeZone: "UTC" }, window)).toBeCloseTo((13 / 24) * 730, 6);
    expect(scheduledHoursPerMonth(weekdays, window)).toBeCloseTo((13 / 24) * 730, 6);
  });

  it("starts in the state the schedule leaves: a window opening on Saturday counts no weekend hours", () => {
    const saturday = { from: new Date("2026-01-09T15:00:00Z"), to: new Date("2026-01-11T15:00:00Z") };
    expect(scheduledHoursPerMonth(weekdays, saturday)).toBe(0);
  });

  it("counts firings per month: 261 weekday firings in 2026, rate(1 hour) 730", () => {
    expect(firingsPerMonth(weekdays.start, "Asia/Tokyo", yearWindow(2026))).toBeCloseTo((261 * 730) / 8760, 6);
    expect(firingsPerMonth("rate(1 hour)", "UTC", yearWindow(2026))).toBe(730);
  });

  it("parses names, ranges, lists and steps, and refuses forms it cannot count", () => {
    expect([...parseCron("cron(0/15 8-10 ? JAN,MAR MON-WED *)").minutes]).toEqual([0, 15, 30, 45]);
    expect([...parseCron("cron(0 9 ? * MON-FRI *)").daysOfWeek!]).toEqual([2, 3, 4, 5, 6]);
    expect(() => parseCron("cron(0 9 L * ? *)")).toThrow(/L, W and #/);
    expect(() => parseCron("rate(5 minutes)")).toThrow(/six-field/);
    expect(() => scheduledHoursPerMonth({ ...weekdays, timeZone: "Mars/Olympus" }, yearWindow(2026))).toThrow(/unknown time zone/);
  });
});
