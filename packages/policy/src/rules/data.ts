import { statements } from "../iam";
import { attached, blocks, isTrue, num, references, resources, setting, stackOf, violation, type ResourceRef } from "../model";
import type { PolicyInput, Rule } from "../types";

/** Days a production bucket keeps current objects at least (a 1-day expiry deletes live assets). */
const PROD_EXPIRY_FLOOR_DAYS = 30;
/** Days of automated RDS backups production keeps at least. */
const PROD_BACKUP_DAYS = 7;

function databases(input: PolicyInput): ResourceRef[] {
  return [...resources(input, "aws_db_instance"), ...resources(input, "aws_rds_cluster")];
}

function parameterGroupOf(input: PolicyInput, db: ResourceRef): ResourceRef | undefined {
  const attr = db.type === "aws_db_instance" ? db.values.parameter_group_name : db.values.db_cluster_parameter_group_name;
  const type = db.type === "aws_db_instance" ? "aws_db_parameter_group" : "aws_rds_cluster_parameter_group";
  return resources(input, type).find((g) => references(attr, g));
}

export const dataRules: Rule[] = [
  {
    id: "PLAT-RDS-001",
    severity: "high",
    category: "data",
    title: "Database storage is encrypted",
    rationale: "Unencrypted storage leaks every row through snapshots and backups that are shared or copied.",
    anchors: { checkov: ["CKV_AWS_16", "CKV_AWS_96"], trivy: ["AVD-AWS-0080", "AVD-AWS-0079"], fsbp: ["RDS.3", "RDS.27"] },
    check: (input) => databases(input).filter((d) => !isTrue(d.values.storage_encrypted)).map((d) => violation(d, "storage_encrypted is not true.")),
  },
  {
    id: "PLAT-RDS-002",
    severity: "high",
    category: "data",
    title: "Databases have deletion protection",
    rationale: "Without it, one wrong destroy or a replaced resource deletes the database.",
    anchors: { checkov: ["CKV_AWS_293", "CKV_AWS_139"], trivy: ["AVD-AWS-0177", "AVD-AWS-0343"], fsbp: ["RDS.7", "RDS.8"] },
    check: (input) =>
      databases(input).filter((d) => !isTrue(d.values.deletion_protection)).map((d) => violation(d, `deletion_protection is off; set ${setting(input, "database.deletionProtection")}: true.`)),
  },
  {
    id: "PLAT-RDS-003",
    severity: "high",
    category: "backup",
    title: `Automated backups are kept (production: at least ${PROD_BACKUP_DAYS} days)`,
    rationale: "Point-in-time recovery reaches back only as far as the backup retention; a short window loses data found corrupted late.",
    anchors: { checkov: ["CKV_AWS_133"], trivy: ["AVD-AWS-0077"], fsbp: ["RDS.11"] },
    check: (input) => {
      const floor = input.environment.production ? PROD_BACKUP_DAYS : 1;
      return databases(input)
        .filter((d) => (num(d.values.backup_retention_period) ?? 0) < floor)
        .map((d) => violation(d, `backup_retention_period is ${d.values.backup_retention_period ?? "unset"}; set ${setting(input, "database.backupRetentionDays")} to ${floor} or more.`));
    },
  },
  {
    id: "PLAT-RDS-004",
    severity: "high",
    category: "backup",
    title: "A final snapshot is taken on delete",
    rationale: "skip_final_snapshot loses every row when the database is destroyed, deliberately or not.",
    anchors: {},
    check: (input) =>
      databases(input)
        .filter((d) => isTrue(d.values.skip_final_snapshot) || typeof d.values.final_snapshot_identifier !== "string")
        .map((d) => violation(d, "skip_final_snapshot is true or final_snapshot_identifier is missing.")),
  },
  {
    id: "PLAT-RDS-005",
    severity: "critical",
    category: "data",
    title: "Databases are not publicly accessible",
    rationale: "A public endpoint exposes the database to password spraying from the whole internet.",
    anchors: { checkov: ["CKV_AWS_17"], trivy: ["AVD-AWS-0180"], fsbp: ["RDS.2"] },
    check: (input) =>
      [...resources(input, "aws_db_instance"), ...resources(input, "aws_rds_cluster_instance")]
        .filter((d) => isTrue(d.values.publicly_accessible))
        .map((d) => violation(d, "publicly_accessible is true.")),
  },
  {
    id: "PLAT-RDS-006",
    severity: "low",
    category: "data",
    title: "IAM database authentication is enabled",
    rationale: "IAM auth gives short-lived, audited credentials instead of one long-lived password.",
    anchors: { checkov: ["CKV_AWS_161", "CKV_AWS_162"], trivy: ["AVD-AWS-0176"], fsbp: ["RDS.10", "RDS.12"] },
    check: (input) =>
      databases(input)
        .filter((d) => !isTrue(d.values.iam_database_authentication_enabled))
        .map((d) => violation(d, "iam_database_authentication_enabled is not true.")),
  },
  {
    id: "PLAT-RDS-007",
    severity: "high",
    category: "data",
    title: "PostgreSQL refuses unencrypted connections (rds.force_ssl)",
    rationale: "Without force_ssl a misconfigured client sends the password and data in clear text inside the VPC.",
    anchors: { checkov: ["CKV2_AWS_69"] },
    check: (input) =>
      databases(input)
        .filter((d) => String(d.values.engine ?? "").includes("postgres"))
        .filter((d) => !blocks(parameterGroupOf(input, d)?.values.parameter).some((p) => p.name === "rds.force_ssl" && String(p.value) === "1"))
        .map((d) => violation(d, "its parameter group does not set rds.force_ssl = 1.")),
  },
  {
    id: "PLAT-RDS-008",
    severity: "medium",
    category: "logging",
    title: "Database logs are exported to CloudWatch",
    rationale: "Without exported logs, failed logins and errors disappear with the instance's local log rotation.",
    anchors: { checkov: ["CKV_AWS_129", "CKV_AWS_324"], fsbp: ["RDS.9"] },
    check: (input) =>
      databases(input)
        .filter((d) => !Array.isArray(d.values.enabled_cloudwatch_logs_exports) || d.values.enabled_cloudwatch_logs_exports.length === 0)
        .map((d) => violation(d, "enabled_cloudwatch_logs_exports is empty.")),
  },
  {
    id: "PLAT-RDS-009",
    severity: "low",
    category: "data",
    title: "Minor engine upgrades apply automatically",
    rationale: "Minor versions carry security fixes; without auto upgrade they wait for someone to remember.",
    anchors: { checkov: ["CKV_AWS_226"], fsbp: ["RDS.13"] },
    check: (input) =>
      [...resources(input, "aws_db_instance"), ...resources(input, "aws_rds_cluster_instance")]
        .filter((d) => d.values.auto_minor_version_upgrade === false)
        .map((d) => violation(d, "auto_minor_version_upgrade is false.")),
  },
  {
    id: "PLAT-RDS-010",
    severity: "medium",
    category: "backup",
    title: "Production databases survive an AZ failure",
    rationale: "A single-AZ database is down for the length of an AZ outage plus a restore.",
    anchors: { checkov: ["CKV_AWS_157"] },
    productionOnly: true,
    check: (input) => [
      ...resources(input, "aws_db_instance").filter((d) => !isTrue(d.values.multi_az)).map((d) => violation(d, "multi_az is off.")),
      ...resources(input, "aws_rds_cluster")
        .filter((c) => resources(input, "aws_rds_cluster_instance").filter((i) => references(i.values.cluster_identifier, c)).length < 2)
        .map((c) => violation(c, `the cluster has fewer than two instances; set ${setting(input, "database.reader")}: true.`)),
    ],
  },
  {
    id: "PLAT-S3-001",
    severity: "high",
    category: "data",
    title: "Buckets block every kind of public access",
    rationale: "One public ACL or bucket policy statement publishes the bucket; the block makes that impossible.",
    anchors: { checkov: ["CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"], trivy: ["AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094"], fsbp: ["S3.8"] },
    check: (input) =>
      resources(input, "aws_s3_bucket").flatMap((b) => {
        const block = attached(input, b, "aws_s3_bucket_public_access_block")[0];
        const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
        const off = block ? flags.filter((f) => !isTrue(block.values[f])) : flags;
        return off.length > 0 ? [violation(b, `public access block missing or incomplete (${off.join(", ")}).`)] : [];
      }),
  },
  {
    id: "PLAT-S3-002",
    severity: "medium",
    category: "data",
    title: "Bucket policies refuse requests without TLS",
    rationale: "Without an aws:SecureTransport deny, a client can read or write objects over plain HTTP.",
    anchors: { fsbp: ["S3.5"] },
    check: (input) =>
      resources(input, "aws_s3_bucket").flatMap((b) => {
        const policies = attached(input, b, "aws_s3_bucket_policy");
        const denies = policies.flatMap((p) => statements(stackOf(input, p), p.values.policy)).some(
          (s) => s.effect === "Deny" && s.conditions.some((c) => c.variable === "aws:SecureTransport" && c.values.includes("false")),
        );
        return denies ? [] : [violation(b, "no bucket policy statement denies aws:SecureTransport = false.")];
      }),
  },
  {
    id: "PLAT-S3-003",
    severity: "medium",
    category: "data",
    title: "Buckets declare default encryption",
    rationale: "Declaring SSE keeps the encryption choice in code (and reviewable) instead of the account default.",
    anchors: { checkov: ["CKV_AWS_19"], trivy: ["AVD-AWS-0088"] },
    check: (input) =>
      resources(input, "aws_s3_bucket")
        .filter((b) => !attached(input, b, "aws_s3_bucket_server_side_encryption_configuration").some((e) => blocks(e.values.rule).some((r) => blocks(r.apply_server_side_encryption_by_default).length > 0)))
        .map((b) => violation(b, "no aws_s3_bucket_server_side_encryption_configuration.")),
  },
  {
    id: "PLAT-S3-004",
    severity: "medium",
    category: "backup",
    title: "Production buckets are versioned",
    rationale: "Without versioning an overwrite or delete of a production object cannot be undone.",
    anchors: { checkov: ["CKV_AWS_21"], trivy: ["AVD-AWS-0090"] },
    productionOnly: true,
    check: (input) =>
      resources(input, "aws_s3_bucket")
        // Access-log buckets are write-once by their producer; versioning them only doubles the bill.
        .filter((b) => !resources(input, "aws_lb").some((lb) => blocks(lb.values.access_logs).some((l) => references(l.bucket, b))))
        .filter((b) => !attached(input, b, "aws_s3_bucket_versioning").some((v) => blocks(v.values.versioning_configuration).some((c) => c.status === "Enabled")))
        .map((b) => violation(b, `versioning is not enabled; set ${setting(input, "storage.versioned")}: true.`)),
  },
  {
    id: "PLAT-S3-005",
    severity: "high",
    category: "data",
    title: `Production lifecycle rules do not expire objects within ${PROD_EXPIRY_FLOOR_DAYS} days`,
    rationale: "A short expiration silently deletes live production data (an expiry of 1 day empties the asset bucket daily).",
    anchors: {},
    productionOnly: true,
    check: (input) =>
      resources(input, "aws_s3_bucket_lifecycle_configuration").flatMap((l) =>
        blocks(l.values.rule)
          .filter((r) => r.status !== "Disabled")
          .flatMap((r) => [
            ...blocks(r.expiration).map((e) => num(e.days)),
            ...blocks(r.noncurrent_version_expiration).map((e) => num(e.noncurrent_days)),
          ])
          .filter((days): days is number => days !== undefined && days < PROD_EXPIRY_FLOOR_DAYS)
          .map((days) => violation(l, `a lifecycle rule expires objects after ${days} day(s); production keeps them at least ${PROD_EXPIRY_FLOOR_DAYS} (${setting(input, "storage.lifecycle")}).`)),
      ),
  },
  {
    id: "PLAT-S3-006",
    severity: "medium",
    category: "data",
    title: "Bucket ACLs are disabled (BucketOwnerEnforced)",
    rationale: "With ACLs on, an uploader can grant public or cross-account access object by object.",
    anchors: { checkov: ["CKV2_AWS_65"], fsbp: ["S3.12"] },
    check: (input) =>
      resources(input, "aws_s3_bucket")
        .filter((b) => !attached(input, b, "aws_s3_bucket_ownership_controls").some((o) => blocks(o.values.rule).some((r) => r.object_ownership === "BucketOwnerEnforced")))
        .map((b) => violation(b, "object ownership is not BucketOwnerEnforced.")),
  },
  {
    id: "PLAT-ECR-001",
    severity: "high",
    category: "compute",
    title: "Image tags are immutable",
    rationale: "With mutable tags, a push to v1.0.1 silently changes what the next task start runs.",
    anchors: { checkov: ["CKV_AWS_51"], trivy: ["AVD-AWS-0031"], fsbp: ["ECR.2"] },
    check: (input) =>
      resources(input, "aws_ecr_repository")
        .filter((r) => r.values.image_tag_mutability !== "IMMUTABLE")
        .map((r) => violation(r, `image_tag_mutability is ${JSON.stringify(r.values.image_tag_mutability ?? "MUTABLE")}; set ${setting(input, "registry.imageTagMutability")}: "IMMUTABLE" (or leave it out).`)),
  },
  {
    id: "PLAT-ECR-002",
    severity: "medium",
    category: "compute",
    title: "Images are scanned on push",
    rationale: "Scan on push reports known CVEs before the image reaches a task.",
    anchors: { checkov: ["CKV_AWS_163"], trivy: ["AVD-AWS-0030"], fsbp: ["ECR.1"] },
    check: (input) =>
      resources(input, "aws_ecr_repository")
        .filter((r) => !blocks(r.values.image_scanning_configuration).some((c) => isTrue(c.scan_on_push)))
        .map((r) => violation(r, "image_scanning_configuration.scan_on_push is not true.")),
  },
  {
    id: "PLAT-ECR-003",
    severity: "high",
    category: "backup",
    title: "Production repositories cannot be force-deleted",
    rationale: "force_delete destroys a repository with its images, so a destroy leaves production unable to start tasks.",
    anchors: {},
    productionOnly: true,
    check: (input) =>
      resources(input, "aws_ecr_repository").filter((r) => isTrue(r.values.force_delete)).map((r) => violation(r, `force_delete is true; set ${setting(input, "registry.forceDelete")}: false.`)),
  },
  {
    id: "PLAT-ECR-004",
    severity: "low",
    category: "compute",
    title: "Repositories have a lifecycle policy",
    rationale: "Without one, images pile up forever (cost) and old vulnerable images stay pullable.",
    anchors: { fsbp: ["ECR.3"] },
    check: (input) =>
      resources(input, "aws_ecr_repository")
        .filter((r) => !resources(input, "aws_ecr_lifecycle_policy").some((p) => references(p.values.repository, r)))
        .map((r) => violation(r, "no aws_ecr_lifecycle_policy.")),
  },
  {
    id: "PLAT-DDB-001",
    severity: "medium",
    category: "backup",
    title: "DynamoDB tables have point-in-time recovery",
    rationale: "PITR restores a table to any second of the last 35 days after a bad write or delete.",
    anchors: { checkov: ["CKV_AWS_28"], trivy: ["AVD-AWS-0024"], fsbp: ["DynamoDB.2"] },
    check: (input) =>
      resources(input, "aws_dynamodb_table")
        .filter((t) => !blocks(t.values.point_in_time_recovery).some((p) => isTrue(p.enabled)))
        .map((t) => violation(t, "point_in_time_recovery is not enabled.")),
  },
];
