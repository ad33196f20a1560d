/**
 * Japanese public holidays for the scheduler handler, from `@holiday-jp/holiday_jp` (a
 * maintained calendar, including substitute and citizens' holidays, bundled into the
 * handler by esbuild). Handler-only: synth never loads the calendar.
 */
import holidayJp from "@holiday-jp/holiday_jp";
import type { HolidayCalendar } from "./targets";

interface Holiday {
  readonly name: string;
  readonly name_en: string;
}

const JP_HOLIDAYS = holidayJp.holidays as unknown as Readonly<Record<string, Holiday>>;

/** `YYYY-MM-DD` of an instant in Asia/Tokyo: a holiday is a Japanese date, whatever the Lambda's TZ. */
function tokyoDate(at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The holiday on the calendar's date of `at`, e.g. `2026-11-03 文化の日 (Culture Day)`, or undefined. */
export function holidayOn(calendar: HolidayCalendar, at: Date): string | undefined {
  const date = tokyoDate(at);
  const holiday = calendar === "JP" ? JP_HOLIDAYS[date] : undefined;
  return holiday ? `${date} ${holiday.name} (${holiday.name_en})` : undefined;
}

/** Reads the calendar setting; anything but unset or a known calendar is a deployment error. */
export function parseHolidayCalendar(value: string | undefined): HolidayCalendar | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "JP") return value;
  throw new Error(`SKIP_START_ON_HOLIDAYS is "${value}": expected "JP" or unset.`);
}
