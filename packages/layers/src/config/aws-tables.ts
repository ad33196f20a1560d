/**
 * Offline tables of values AWS accepts, so typos fail at synth instead of at apply.
 * Each table is a snapshot (November 2026); a value missing here is refused with the table in
 * the message: add it here when AWS adds it.
 */

/**
 * ECS quota "Tasks per service" (bounds a service's desired count and scaling maximum): 5,000 by
 * default. Where the account has a raised quota (Service Quotas), raise this constant with it.
 */
export const ECS_MAX_TASKS_PER_SERVICE = 5000;

/** PostgreSQL majors RDS and Aurora offer (14 is the oldest in standard support). */
export const POSTGRES_MAJORS = [14, 15, 16, 17, 18] as const;

const BURSTABLE_SIZES = ["micro", "small", "medium", "large", "xlarge", "2xlarge"];
const SIZES_16 = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];
const SIZES_24 = [...SIZES_16, "24xlarge"];
const SIZES_32 = [...SIZES_24, "32xlarge"];
const SIZES_48 = [...SIZES_32, "48xlarge"];

/** RDS for PostgreSQL DB instance classes: family → sizes. */
export const RDS_POSTGRES_INSTANCE_CLASSES: Readonly<Record<string, readonly string[]>> = {
  "db.t3": BURSTABLE_SIZES,
  "db.t4g": BURSTABLE_SIZES,
  "db.m5": SIZES_24,
  "db.m5d": SIZES_24,
  "db.m6g": SIZES_16,
  "db.m6gd": SIZES_16,
  "db.m6i": SIZES_32,
  "db.m6id": SIZES_32,
  "db.m6idn": SIZES_32,
  "db.m6in": SIZES_32,
  "db.m7g": SIZES_16,
  "db.m7i": SIZES_48,
  "db.m8g": SIZES_48,
  "db.r5": SIZES_24,
  "db.r5b": SIZES_24,
  "db.r5d": SIZES_24,
  "db.r6g": SIZES_16,
  "db.r6gd": SIZES_16,
  "db.r6i": SIZES_32,
  "db.r6id": SIZES_32,
  "db.r6idn": SIZES_32,
  "db.r6in": SIZES_32,
  "db.r7g": SIZES_16,
  "db.r7i": SIZES_48,
  "db.r8g": SIZES_48,
  "db.x2g": ["medium", ...SIZES_16],
  "db.x2idn": ["16xlarge", "24xlarge", "32xlarge"],
  "db.x2iedn": ["xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge", "24xlarge", "32xlarge"],
  "db.c6gd": ["medium", ...SIZES_16],
};

export function isRdsPostgresInstanceClass(value: string): boolean {
  const dot = value.lastIndexOf(".");
  return RDS_POSTGRES_INSTANCE_CLASSES[value.slice(0, dot)]?.includes(value.slice(dot + 1)) ?? false;
}

/** EC2 families a bastion may use (general purpose, compute, memory); burstable ones list their sizes. */
const EC2_BURSTABLE: Readonly<Record<string, readonly string[]>> = {
  t2: ["nano", ...BURSTABLE_SIZES],
  t3: ["nano", ...BURSTABLE_SIZES],
  t3a: ["nano", ...BURSTABLE_SIZES],
  t4g: ["nano", ...BURSTABLE_SIZES],
};
const EC2_FIXED_FAMILIES = new Set(
  [
    "a1", "m5", "m5a", "m5ad", "m5d", "m5dn", "m5n", "m5zn", "m6a", "m6g", "m6gd", "m6i", "m6id", "m6idn", "m6in",
    "m7a", "m7g", "m7gd", "m7i", "m7i-flex", "m8g", "m8gd", "m8i", "c5", "c5a", "c5ad", "c5d", "c5n", "c6a", "c6g",
    "c6gd", "c6gn", "c6i", "c6id", "c6in", "c7a", "c7g", "c7gd", "c7gn", "c7i", "c7i-flex", "c8g", "r5", "r5a",
    "r5ad", "r5b", "r5d", "r5dn", "r5n", "r6a", "r6g", "r6gd", "r6i", "r6id", "r6idn", "r6in", "r7a", "r7g", "r7gd",
    "r7i", "r7iz", "r8g",
  ],
);
const EC2_FIXED_SIZE = /^(medium|large|xlarge|(2|3|4|6|8|9|12|16|18|24|32|48)xlarge|metal(-(16|24|32|48)xl)?)$/;

/** True for an EC2 instance type of the table (`t3.nano`, `m7g.large`). */
export function isEc2InstanceType(value: string): boolean {
  const dot = value.indexOf(".");
  const family = value.slice(0, dot);
  const size = value.slice(dot + 1);
  if (dot < 0) return false;
  if (EC2_BURSTABLE[family]) return EC2_BURSTABLE[family]!.includes(size);
  return EC2_FIXED_FAMILIES.has(family) && EC2_FIXED_SIZE.test(size);
}

/**
 * PostgreSQL's reserved key words (the "reserved" column of the PostgreSQL key word appendix),
 * which RDS refuses as master user names, and names RDS keeps for itself.
 */
export const RESERVED_POSTGRES_USER_NAMES: ReadonlySet<string> = new Set([
  "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
  "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
  "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
  "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
  "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
  "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime", "localtimestamp",
  "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer", "overlaps", "placing", "primary",
  "references", "returning", "right", "select", "session_user", "similar", "some", "symmetric", "system_user", "table",
  "tablesample", "then", "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
  "where", "window", "with",
  // Roles RDS creates or reserves.
  "rdsadmin", "rdsrepladmin", "rds_superuser", "rds_replication", "rdstopmgr", "public",
]);

/** AWS tag limits (every service that takes tags). */
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
export const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
