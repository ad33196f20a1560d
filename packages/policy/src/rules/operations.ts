import { coversAction, statements, type Statement } from "../iam";
import { blocks, containers, isTrue, num, references, resources, setting, stackOf, violation } from "../model";
import type { PolicyInput, Rule } from "../types";

/** Days production keeps logs at least. */
const PROD_LOG_RETENTION_DAYS = 30;

/** Names of variables that hold secrets. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)$/i;
/** Values that look like live credentials whatever their name. */
const SECRET_VALUE = /(sk_live_|rk_live_|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{20,}|github_pat_|xox[abpr]-|-----BEGIN [A-Z ]*PRIVATE KEY|:\/\/[^/\s:@]+:[^@\s$]+@)/;

function secretLooking(name: string, value: unknown): boolean {
  const text = typeof value === "string" ? value : "";
  // References to secret stores (ARNs, parameter names, interpolations) are fine: the value is not in the template.
  if (SECRET_VALUE.test(text)) return true;
  return SECRET_NAME.test(name) && text !== "" && !text.startsWith("${") && !text.startsWith("arn:");
}

function backends(input: PolicyInput): { bucket?: string; table?: string }[] {
  return input.stacks
    .map((s) => (s.json.terraform as { backend?: { s3?: { bucket?: string; dynamodb_table?: string } } } | undefined)?.backend?.s3)
    .filter((b): b is { bucket?: string; dynamodb_table?: string } => b !== undefined)
    .map((b) => ({ bucket: b.bucket, table: b.dynamodb_table }));
}

export const operationsRules: Rule[] = [
  {
    id: "PLAT-LOG-001",
    severity: "medium",
    category: "logging",
    title: "Log groups set a retention",
    rationale: "A log group without retention keeps (and bills) everything forever.",
    anchors: { checkov: ["CKV_AWS_66"] },
    check: (input) =>
      resources(input, "aws_cloudwatch_log_group")
        .filter((g) => !num(g.values.retention_in_days))
        .map((g) => violation(g, "retention_in_days is not set.")),
  },
  {
    id: "PLAT-LOG-002",
    severity: "medium",
    category: "logging",
    title: `Production logs are kept at least ${PROD_LOG_RETENTION_DAYS} days`,
    rationale: "Incidents are often found weeks later; shorter retention deletes the evidence.",
    anchors: {},
    productionOnly: true,
    check: (input) =>
      resources(input, "aws_cloudwatch_log_group")
        .filter((g) => (num(g.values.retention_in_days) ?? Infinity) < PROD_LOG_RETENTION_DAYS)
        .map((g) => violation(g, `retention_in_days is ${g.values.retention_in_days}; set the layer's logRetentionDays in ${input.environment.name}'s config to ${PROD_LOG_RETENTION_DAYS} or more.`)),
  },
  {
    id: "PLAT-LOG-003",
    severity: "medium",
    category: "logging",
    title: "ECS Exec session logs are encrypted with a customer-managed key",
    rationale: "Exec sessions print whatever the operator reads, secrets included; their logs need a key whose policy limits who decrypts.",
    anchors: { checkov: ["CKV_AWS_224"], trivy: ["AVD-AWS-0017"] },
    check: (input) =>
      resources(input, "aws_ecs_cluster").flatMap((cluster) =>
        blocks(cluster.values.configuration)
          .flatMap((c) => blocks(c.execute_command_configuration))
          .flatMap((e) => blocks(e.log_configuration))
          .filter((l) => {
            const group = resources(input, "aws_cloudwatch_log_group").find((g) => references(l.cloud_watch_log_group_name, g));
            return !isTrue(l.cloud_watch_encryption_enabled) || typeof group?.values.kms_key_id !== "string";
          })
          .map(() => violation(cluster, "ECS Exec logs go to a log group without a customer-managed KMS key.")),
      ),
  },
  {
    id: "PLAT-MON-001",
    severity: "high",
    category: "monitoring",
    title: "Alarms notify someone",
    rationale: "An alarm whose topic has no subscriber fires into the void (15 alarms to nobody).",
    anchors: { checkov: ["CKV_AWS_319"] },
    check: (input) => {
      const alarms = resources(input, "aws_cloudwatch_metric_alarm");
      const unheard = alarms
        .filter((a) => {
          const actions = Array.isArray(a.values.alarm_actions) ? a.values.alarm_actions : [];
          const topics = resources(input, "aws_sns_topic").filter((t) => references(actions, t));
          const heard = topics.some((t) => resources(input, "aws_sns_topic_subscription").some((s) => references(s.values.topic_arn, t)));
          return a.values.actions_enabled === false || actions.length === 0 || (topics.length > 0 && !heard);
        })
        .map((a) => violation(a, `the alarm's actions reach no subscriber; set ${setting(input, "monitoring.alarmEmails")}.`));
      const silent =
        input.environment.production && alarms.length === 0
          ? resources(input, "aws_ecs_cluster").map((c) => violation(c, "production runs services without any alarm; configure monitoring."))
          : [];
      return [...unheard, ...silent];
    },
  },
  {
    id: "PLAT-MON-002",
    severity: "medium",
    category: "monitoring",
    title: "SNS topics are encrypted",
    rationale: "Alarm messages name resources and errors; an unencrypted topic stores them in clear.",
    anchors: { checkov: ["CKV_AWS_26"], trivy: ["AVD-AWS-0095"], fsbp: ["SNS.1"] },
    check: (input) =>
      resources(input, "aws_sns_topic").filter((t) => typeof t.values.kms_master_key_id !== "string").map((t) => violation(t, "kms_master_key_id is not set.")),
  },
  {
    id: "PLAT-KMS-001",
    severity: "medium",
    category: "secrets",
    title: "Customer-managed keys rotate",
    rationale: "Rotation limits how much data one leaked key version exposes.",
    anchors: { checkov: ["CKV_AWS_7"], trivy: ["AVD-AWS-0065"] },
    check: (input) =>
      resources(input, "aws_kms_key")
        .filter((k) => (k.values.customer_master_key_spec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" && !isTrue(k.values.enable_key_rotation))
        .map((k) => violation(k, "enable_key_rotation is not true.")),
  },
  {
    id: "PLAT-STATE-001",
    severity: "critical",
    category: "state",
    title: "The state bucket is versioned",
    rationale: "State is the only map from code to real resources; a corrupted or deleted state file without versions means importing everything by hand.",
    anchors: { checkov: ["CKV_AWS_21"], trivy: ["AVD-AWS-0090"] },
    check: (input) => {
      const names = new Set(backends(input).map((b) => b.bucket));
      return resources(input, "aws_s3_bucket")
        .filter((b) => names.has(b.values.bucket as string))
        .filter((b) => !resources(input, "aws_s3_bucket_versioning").some((v) => references(v.values.bucket, b) && blocks(v.values.versioning_configuration).some((c) => c.status === "Enabled")))
        .map((b) => violation(b, "the state bucket is not versioned."));
    },
  },
  {
    id: "PLAT-STATE-002",
    severity: "critical",
    category: "state",
    title: "The state bucket and lock table have prevent_destroy",
    rationale: "A destroy of the bootstrap stack must fail instead of deleting every environment's state.",
    anchors: {},
    check: (input) => {
      const buckets = new Set(backends(input).map((b) => b.bucket));
      const tables = new Set(backends(input).map((b) => b.table));
      return [
        ...resources(input, "aws_s3_bucket").filter((b) => buckets.has(b.values.bucket as string)),
        ...resources(input, "aws_dynamodb_table").filter((t) => tables.has(t.values.name as string)),
      ]
        .filter((r) => !blocks(r.values.lifecycle).some((l) => isTrue(l.prevent_destroy)))
        .map((r) => violation(r, "lifecycle.prevent_destroy is not true."));
    },
  },
  {
    id: "PLAT-SEC-001",
    severity: "critical",
    category: "secrets",
    title: "SecureString parameters are encrypted with a customer-managed key",
    rationale: "Under the aws/ssm key, every principal of the account that may call ssm:GetParameter can decrypt the value (the database password included).",
    anchors: { checkov: ["CKV_AWS_337"] },
    check: (input) => [
      ...resources(input, "aws_ssm_parameter")
        .filter((p) => p.values.type === "SecureString" && (typeof p.values.key_id !== "string" || p.values.key_id.includes("alias/aws/ssm")))
        .map((p) => violation(p, "the SecureString uses the aws/ssm key; set key_id to the secrets key.")),
      // Parameters written at run time (DATABASE_URL): the writer must be able to use a specific key.
      ...resources(input, "aws_iam_role_policy").flatMap((p) => {
        const all = statements(stackOf(input, p), p.values.policy).filter((s) => s.effect === "Allow");
        if (!all.some((s) => coversAction(s, "ssm:PutParameter"))) return [];
        const encrypts = (s: Statement) => ["kms:Encrypt", "kms:GenerateDataKey"].some((a) => coversAction(s, a));
        const keyed = all.some((s) => encrypts(s) && s.resources.length > 0 && !s.resources.includes("*"));
        // Or a key policy names the writer's role directly.
        const role = resources(input, "aws_iam_role").find((r) => r.stack === p.stack && references(p.values.role, r));
        const keyPolicies = [...resources(input, "aws_kms_key"), ...resources(input, "aws_kms_key_policy")].flatMap((k) => statements(stackOf(input, k), k.values.policy));
        const granted = role !== undefined && keyPolicies.some((s) => s.effect === "Allow" && encrypts(s) && s.principals.some((pr) => references(pr.identifiers, role)));
        return keyed || granted ? [] : [violation(p, "the policy writes SSM parameters but no customer-managed key is granted to it (kms:Encrypt on a key ARN, or a key policy naming its role); the value lands under aws/ssm.")];
      }),
    ],
  },
  {
    id: "PLAT-SEC-002",
    severity: "critical",
    category: "secrets",
    title: "No secret-looking values in plain environment variables",
    rationale: "Plain variables are visible to anyone who can describe the task or function (ReadOnlyAccess), and land in state and plans.",
    anchors: { checkov: ["CKV_AWS_45"], trivy: ["AVD-AWS-0036"], fsbp: ["ECS.8"] },
    check: (input) => [
      ...resources(input, "aws_ecs_task_definition").flatMap((td) =>
        containers(td).flatMap((c) =>
          blocks(c.environment)
            .filter((e) => secretLooking(String(e.name), e.value))
            .map((e) => violation(td, `container ${JSON.stringify(c.name)} sets ${String(e.name)} in plain text; pass it as a secret (parameters).`)),
        ),
      ),
      ...resources(input, "aws_lambda_function").flatMap((f) =>
        blocks(f.values.environment).flatMap((env) =>
          Object.entries((env.variables as Record<string, unknown>) ?? {})
            .filter(([name, value]) => secretLooking(name, value))
            .map(([name]) => violation(f, `${name} is set in plain text; read it from SSM or Secrets Manager at run time.`)),
        ),
      ),
    ],
  },
  {
    id: "PLAT-SEC-003",
    severity: "critical",
    category: "secrets",
    title: "Tasks and roles read only their own environment's parameters",
    rationale: "A staging service that reads prod's DATABASE_URL puts production credentials in a less protected environment.",
    anchors: {},
    check: (input) => {
      const others = Object.keys(input.environment.otherAccounts);
      /** The other environment whose parameter path an ARN names (`…:parameter/<project>/<env>/NAME`). */
      const foreign = (arn: string) => {
        const at = arn.indexOf(":parameter/");
        const folders = at < 0 ? [] : arn.slice(at + ":parameter/".length).split("/").slice(0, -1);
        return others.find((o) => folders.includes(o));
      };
      const fromTasks = resources(input, "aws_ecs_task_definition").flatMap((td) =>
        containers(td).flatMap((c) =>
          blocks(c.secrets)
            .map((x) => ({ name: String(x.name), env: foreign(String(x.valueFrom ?? "")) }))
            .filter((x) => x.env)
            .map((x) => violation(td, `container ${JSON.stringify(c.name)} reads ${x.name} from ${x.env}'s parameters.`)),
        ),
      );
      const fromRoles = resources(input, "aws_iam_role_policy").flatMap((p) =>
        statements(stackOf(input, p), p.values.policy)
          .filter((st) => st.effect === "Allow" && st.actions.some((a) => a.toLowerCase().startsWith("ssm:")))
          .flatMap((st) => st.resources.map(foreign).filter((e): e is string => e !== undefined))
          .map((env) => violation(p, `the policy grants SSM access to ${env}'s parameters.`)),
      );
      return [...fromTasks, ...fromRoles];
    },
  },
  {
    id: "PLAT-ACCT-001",
    severity: "high",
    category: "account",
    title: "A non-production environment has an AWS account of its own",
    rationale: "Sharing production's account means any IAM mistake in staging (or its CI role) reaches production; a waiver must say why it is accepted.",
    anchors: {},
    check: (input) => {
      if (input.environment.production) return [];
      const shared = Object.entries(input.environment.otherAccounts).filter(([, account]) => account === input.environment.accountId);
      return shared.length === 0
        ? []
        : [{ stack: input.environment.name, resource: "account", message: `shares account ${input.environment.accountId} with ${shared.map(([n]) => n).join(", ")}.` }];
    },
  },
];
