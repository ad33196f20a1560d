/**
 * Resource types whose destroy (or replace, which destroys) loses something a re-create does
 * not bring back: data, keys, images, DNS delegation. The review raises these on their own,
 * above everything else, and CI asks for an explicit approval before they can merge.
 * Deliberately short: caches, queues and log groups are left out, because an alarm that fires
 * on every service removal teaches reviewers to approve without reading. Add types per
 * repository with `pnpm review --stateful-type aws_sqs_queue`.
 */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "database instance: its data and automated backups",
  aws_rds_cluster: "database cluster: its data and automated backups",
  aws_rds_cluster_instance: "database cluster instance: connections drop, a failover runs",
  aws_rds_global_cluster: "global database: every member cluster",
  aws_docdb_cluster: "DocumentDB cluster: its data",
  aws_neptune_cluster: "Neptune cluster: its data",
  aws_memorydb_cluster: "MemoryDB cluster: its data",
  aws_opensearch_domain: "search domain: its indices",
  aws_elasticsearch_domain: "search domain: its indices",
  aws_s3_bucket: "S3 bucket: every object and version in it",
  aws_efs_file_system: "EFS file system: every file on it",
  aws_fsx_lustre_file_system: "FSx file system: every file on it",
  aws_fsx_ontap_file_system: "FSx file system: every file on it",
  aws_fsx_openzfs_file_system: "FSx file system: every file on it",
  aws_fsx_windows_file_system: "FSx file system: every file on it",
  aws_ebs_volume: "EBS volume: its data",
  aws_dynamodb_table: "DynamoDB table: every item in it",
  aws_dynamodb_global_table: "DynamoDB table: every item in it",
  aws_ecr_repository: "ECR repository: every image (running tasks can no longer pull theirs)",
  aws_secretsmanager_secret: "secret: its value and every version",
  aws_kms_key: "KMS key: whatever it encrypted becomes unreadable once deleted",
  aws_kms_replica_key: "KMS key: whatever it encrypted becomes unreadable once deleted",
  aws_route53_zone: "hosted zone: its records, and new name servers break the delegation",
  aws_backup_vault: "backup vault: its recovery points",
  aws_cognito_user_pool: "user pool: every user",
};

/** Names the resource kind of an account-wide stack whose loss loses every environment's state. */
const STATE_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: "Terraform state bucket: the state of every stack of every environment",
  aws_dynamodb_table: "Terraform lock table: state locking for every stack",
};

export interface StatefulOptions {
  /** More types to treat as stateful, with what their destroy loses. */
  readonly extraTypes?: Readonly<Record<string, string>>;
  /** Stacks that hold the Terraform state store. @default `bootstrap` and the per-account `bootstrap-<envs>` */
  readonly stateStacks?: readonly string[];
}

/** Bootstrap stacks: `bootstrap` (one shared account) or `bootstrap-<envs>` (one per account). */
function isBootstrapStack(stack: string): boolean {
  return stack === "bootstrap" || stack.startsWith("bootstrap-");
}

/** What destroying a resource of `type` in `stack` loses, or undefined when nothing lasting. */
export function statefulKind(stack: string, type: string, options: StatefulOptions = {}): string | undefined {
  const stateStack = options.stateStacks ? options.stateStacks.includes(stack) : isBootstrapStack(stack);
  if (stateStack && STATE_TYPES[type]) return STATE_TYPES[type];
  return options.extraTypes?.[type] ?? STATEFUL_TYPES[type];
}
