import { type Validator, isKnown } from "@platform/core";

/** Oldest PostgreSQL major version still in RDS standard support (13 ended in February 2026). */
export const MIN_POSTGRES_MAJOR = 14;

/**
 * Checks an engine version: a major (`17`) or major.minor (`17.6`). Returns the major version,
 * or undefined when the version is a token or malformed.
 */
export function checkEngineVersion(v: Validator, field: string, version: string): number | undefined {
  if (!isKnown(version)) return undefined;
  const match = /^(\d{1,2})(\.\d{1,2})?$/.exec(version);
  if (!v.check(match !== null, field, version, 'is not a PostgreSQL version; write the major ("17") or major.minor ("17.6").')) {
    return undefined;
  }
  const major = Number(match![1]);
  v.check(
    major >= MIN_POSTGRES_MAJOR,
    field,
    version,
    `is past RDS standard support (Extended Support is billed per vCPU-hour); use PostgreSQL ${MIN_POSTGRES_MAJOR} or newer.`,
  );
  return major;
}

export function checkBackupRetention(v: Validator, days: number): void {
  v.check(
    Number.isInteger(days) && days >= 1 && days <= 35,
    "backupRetentionDays",
    days,
    "must be a whole number of days from 1 to 35 (0 would turn off automated backups and point-in-time recovery).",
  );
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const CLOCK = "([01]\\d|2[0-3]):([0-5]\\d)";
const BACKUP_WINDOW = new RegExp(`^${CLOCK}-${CLOCK}$`);
const MAINTENANCE_WINDOW = new RegExp(`^(${DAYS.join("|")}):${CLOCK}-(${DAYS.join("|")}):${CLOCK}$`);
const WEEK = 7 * 24 * 60;

/** Minute-of-week intervals of a maintenance window `ddd:hh:mm-ddd:hh:mm` (UTC). */
function maintenanceMinutes(window: string): [number, number] | undefined {
  const m = MAINTENANCE_WINDOW.exec(window);
  if (!m) return undefined;
  const start = DAYS.indexOf(m[1]!) * 1440 + Number(m[2]) * 60 + Number(m[3]);
  const end = DAYS.indexOf(m[4]!) * 1440 + Number(m[5]) * 60 + Number(m[6]);
  return [start, end < start ? end + WEEK : end];
}

/** Minute-of-day interval of a backup window `hh:mm-hh:mm` (UTC). */
function backupMinutes(window: string): [number, number] | undefined {
  const m = BACKUP_WINDOW.exec(window);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return [start, end < start ? end + 1440 : end];
}

/**
 * Checks the daily backup window and the weekly maintenance window (both UTC): formats,
 * minimum lengths AWS enforces (30 minutes each), and that they do not overlap.
 */
export function checkWindows(v: Validator, backupWindow: string, maintenanceWindow: string): void {
  const backup = backupMinutes(backupWindow);
  const maintenance = maintenanceMinutes(maintenanceWindow);
  if (v.check(backup !== undefined, "preferredBackupWindow", backupWindow, 'must be "hh:mm-hh:mm" in UTC, e.g. "17:00-17:30" (02:00 JST).')) {
    v.check(backup![1] - backup![0] >= 30, "preferredBackupWindow", backupWindow, "must last at least 30 minutes.");
  }
  if (
    v.check(
      maintenance !== undefined,
      "preferredMaintenanceWindow",
      maintenanceWindow,
      'must be "ddd:hh:mm-ddd:hh:mm" in UTC, e.g. "sun:15:00-sun:16:00" (Monday 00:00 JST).',
    )
  ) {
    v.check(maintenance![1] - maintenance![0] >= 30, "preferredMaintenanceWindow", maintenanceWindow, "must last at least 30 minutes.");
  }
  if (!backup || !maintenance) return;
  // The backup window repeats daily; compare each day's copy against the weekly window (and its wrap).
  const overlaps = [...Array(8).keys()].some((day) => {
    const b0 = backup[0] + day * 1440;
    const b1 = backup[1] + day * 1440;
    return [0, WEEK].some((shift) => b0 < maintenance[1] - shift && maintenance[0] - shift < b1);
  });
  v.check(
    !overlaps,
    "preferredBackupWindow",
    backupWindow,
    `overlaps the maintenance window ${maintenanceWindow}; move one of them (RDS rejects overlapping windows).`,
  );
}

/** Checks a literal list of subnets covers at least two (AWS requires two AZs in a DB subnet group). */
export function checkSubnets(v: Validator, subnetIds: readonly string[]): void {
  if (!isKnown(subnetIds as string[])) return;
  v.check(
    subnetIds.length >= 2,
    "subnetIds",
    subnetIds,
    "must list at least two private subnets in different availability zones (an RDS subnet group requirement).",
  );
}

export function checkSecurityGroups(v: Validator, ids: readonly string[]): void {
  if (!isKnown(ids as string[])) return;
  v.check(ids.length > 0, "securityGroupIds", ids, "must list the database security group (SecurityGroups.ref.databaseSecurityGroupId).");
}

/** Performance Insights keeps 7 days free, or whole months (31-day multiples) up to 731 days. */
export function checkPerformanceInsightsRetention(v: Validator, days: number | undefined): void {
  if (days === undefined) return;
  v.check(
    days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713),
    "performanceInsightsRetentionDays",
    days,
    "must be 7 (free tier), a multiple of 31 up to 713, or 731.",
  );
}

const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

export function checkMonitoringInterval(v: Validator, seconds: number): void {
  v.check(
    (MONITORING_INTERVALS as readonly number[]).includes(seconds),
    "monitoringIntervalSeconds",
    seconds,
    "must be one of 0 (off), 1, 5, 10, 15, 30, 60.",
  );
}

/** An explicit RDS identifier: 1-63 lower-case letters, digits, single hyphens; a letter first; no trailing hyphen. */
export function checkIdentifier(v: Validator, identifier: string | undefined, field = "identifier"): void {
  if (identifier === undefined || !isKnown(identifier)) return;
  v.check(
    /^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(identifier) && !identifier.endsWith("-"),
    field,
    identifier,
    'must be 1-63 lower-case letters, digits and single hyphens, start with a letter and not end with a hyphen (RDS), e.g. "acme-prod-db".',
  );
}

/** PostgreSQL database and user names: letters, digits, underscores; not reserved by RDS. */
export function checkPostgresNames(v: Validator, databaseName: string, masterUsername: string): void {
  if (isKnown(databaseName)) {
    v.check(
      /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(databaseName),
      "databaseName",
      databaseName,
      "must start with a letter and hold up to 63 letters, digits or underscores.",
    );
  }
  if (isKnown(masterUsername)) {
    v.check(
      /^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(masterUsername) &&
        masterUsername.toLowerCase() !== "rdsadmin" &&
        !masterUsername.toLowerCase().startsWith("pg_"),
      "masterUsername",
      masterUsername,
      'must start with a letter, hold up to 63 letters, digits or underscores, and not be reserved (rdsadmin, pg_*); e.g. "dbadmin".',
    );
  }
}

export function checkPort(v: Validator, port: number): void {
  v.check(
    Number.isInteger(port) && port >= 1150 && port <= 65535,
    "port",
    port,
    "must be between 1150 and 65535 (the range RDS accepts); PostgreSQL's default is 5432.",
  );
}
