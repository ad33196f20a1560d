import { ARN_SHAPES, type Validator, isArnOf, isKnown } from "@platform/core";
import { Fn } from "cdktf";

/**
 * Where a new database's data comes from. A restore always creates a NEW instance or cluster
 * (its own identifier); the database it came from is left untouched for the cut-over and for
 * the way back (docs/runbooks/restore.md).
 */
export type RestoreSource =
  /**
   * A manual, automated or final snapshot (`aws rds describe-db-snapshots` / `describe-db-cluster-snapshots`),
   * or the ARN of an AWS Backup recovery point of this region. The restored database keeps
   * `snapshot_identifier` (force-new): leave it in config after the restore.
   */
  | { readonly snapshotIdentifier: string }
  /** Point-in-time recovery from an existing instance (RDS) or cluster (Aurora) of the same account and region. */
  | {
      readonly pointInTime: {
        /** Identifier of the source instance or cluster, e.g. `acme-prod-aurora`. */
        readonly sourceIdentifier: string;
        /** UTC time to restore to, `YYYY-MM-DDTHH:MM:SSZ`; omit with `latestRestorable`. */
        readonly restoreTime?: string;
        /** Restore to the latest restorable time (about five minutes ago). */
        readonly latestRestorable?: boolean;
      };
    };

/**
 * How the final snapshot taken on delete is named.
 * - `"fixed"`: `<identifier>-final`. A second delete of a re-created database fails while the
 *   first one's snapshot exists: the safe failure for production.
 * - `"per-create"`: `<identifier>-final-<creation time>`, fixed at creation (`ignore_changes`, so no
 *   perpetual diff from `timestamp()`): every create/destroy cycle leaves its own snapshot, for
 *   environments torn down and rebuilt (`teardown: "allowed"`).
 */
export type FinalSnapshotNaming = "fixed" | "per-create";

/** A snapshot name, or its ARN (AWS Backup's recovery points are ARNs like `…:cluster-snapshot:awsbackup:job-…`). */
const SNAPSHOT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,254}$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Checks a restore source: a well-formed source, one restore point, and a new identifier. */
export function checkRestore(v: Validator, restore: RestoreSource | undefined, identifier: string | undefined): void {
  if (restore === undefined) return;
  v.check(
    identifier !== undefined,
    "identifier",
    identifier,
    "must be set when restoreFrom is: a restore creates a NEW database, so give it a new identifier, e.g. \"acme-prod-aurora-r20261130\".",
  );
  if ("snapshotIdentifier" in restore) {
    if (isKnown(restore.snapshotIdentifier)) {
      v.check(
        (SNAPSHOT_NAME.test(restore.snapshotIdentifier) || isArnOf(ARN_SHAPES.rdsSnapshot, restore.snapshotIdentifier)) && !restore.snapshotIdentifier.includes("--"),
        "restoreFrom.snapshotIdentifier",
        restore.snapshotIdentifier,
        "is not a snapshot identifier or ARN; copy it from `aws rds describe-db-snapshots` (Aurora: describe-db-cluster-snapshots).",
      );
    }
    return;
  }
  const p = restore.pointInTime;
  v.check(
    (p.restoreTime !== undefined) !== (p.latestRestorable === true),
    "restoreFrom.pointInTime",
    p,
    "must set exactly one of restoreTime (\"2026-11-30T01:23:00Z\") or latestRestorable: true.",
  );
  if (p.restoreTime !== undefined && isKnown(p.restoreTime)) {
    v.check(
      UTC_TIME.test(p.restoreTime) && !Number.isNaN(Date.parse(p.restoreTime)),
      "restoreFrom.pointInTime.restoreTime",
      p.restoreTime,
      'must be a UTC time "YYYY-MM-DDTHH:MM:SSZ" inside the source\'s backup retention, e.g. "2026-11-30T01:23:00Z".',
    );
  }
  v.check(
    p.sourceIdentifier !== identifier,
    "identifier",
    identifier,
    `must differ from restoreFrom.pointInTime.sourceIdentifier (${p.sourceIdentifier}): the restore creates a new database next to the source.`,
  );
}

/** `final_snapshot_identifier` and the lifecycle that keeps a per-create name stable. */
export function finalSnapshot(identifier: string, naming: FinalSnapshotNaming): { identifier: string; ignoreChanges?: string[] } {
  if (naming === "fixed") return { identifier: `${identifier}-final` };
  // timestamp() changes on every plan; ignore_changes pins the value chosen at create.
  return { identifier: `${identifier}-final-${Fn.formatdate("YYYYMMDDhhmmss", Fn.timestamp())}`, ignoreChanges: ["final_snapshot_identifier"] };
}
