import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { NAME_LIMITS, Validator, arn, awsContext, boundedName, checkAccountId, checkNamePrefix, isKnown, shortHash } from "@platform/core";
import { Construct } from "constructs";
import type { AlarmSink } from "./alarm-sink";

/** The CloudWatch alarms service principal: the publisher this topic exists for. */
export const CLOUDWATCH_SERVICE_PRINCIPAL = "cloudwatch.amazonaws.com";

/**
 * A service allowed to publish only from named resources of this account (`aws:SourceArn`),
 * e.g. EventBridge from two rules, or AWS Budgets from the account's budgets.
 */
export interface ScopedPublisher {
  /** Service principal, e.g. `events.amazonaws.com`. */
  readonly service: string;
  /** ARNs (or ARN patterns with `*`) of the resources that may publish. At least one. */
  readonly sourceArns: readonly string[];
}

export interface AlarmTopicProps {
  /** Prefix of every name, e.g. `acme-prod`; the topic is `<namePrefix>-alarms`. */
  readonly namePrefix: string;
  /**
   * 12-digit account ID that owns the key: its root principal administers the key, and
   * only alarms of this account may publish. Taken from config, not looked up, so plans run offline.
   */
  readonly accountId: string;
  /**
   * E-mail addresses to notify. Each receives a confirmation mail from AWS and gets nothing
   * until someone clicks its link; Terraform shows such subscriptions as pending.
   * @default none (add subscribers outside Terraform, or pass another sink)
   */
  readonly emailAddresses?: readonly string[];
  /**
   * AWS service principals allowed to publish and to use the key, e.g. add
   * `events.amazonaws.com` for EventBridge rules.
   * @default ["cloudwatch.amazonaws.com"]
   */
  readonly publisherServices?: readonly string[];
  /**
   * Services allowed to publish from named resources only (and to use the key, which they need
   * to publish to an encrypted topic).
   * @default none
   */
  readonly scopedPublishers?: readonly ScopedPublisher[];
  /**
   * Sender name of the notification e-mails.
   * @default "<namePrefix> alarms"
   */
  readonly displayName?: string;
  /**
   * Days KMS waits before deleting the key after it is removed (7-30).
   * @default 30
   */
  readonly keyDeletionWindowDays?: number;
}

/** What other stacks need to publish to the topic; plain strings. */
export interface AlarmTopicRef {
  readonly topicArn: string;
  readonly keyArn: string;
}

const EMAIL_PATTERN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const SERVICE_PRINCIPAL_PATTERN = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;

/**
 * The SNS topic every alarm notifies, encrypted with its own customer-managed KMS key.
 *
 * Not `alias/aws/sns`: that AWS-managed key's policy cannot be changed and does not let
 * CloudWatch generate data keys, so alarms on such a topic fail to publish and nobody is
 * told. This key's policy grants the publishers `kms:Decrypt` and `kms:GenerateDataKey*`.
 */
export class AlarmTopic extends Construct implements AlarmSink {
  readonly key: KmsKey;
  readonly keyAlias: KmsAlias;
  readonly topic: SnsTopic;
  readonly topicPolicy: SnsTopicPolicy;
  /** E-mail subscriptions keyed by address. */
  readonly subscriptions: Readonly<Record<string, SnsTopicSubscription>>;
  readonly topicArn: string;
  readonly alarmActionArns: readonly string[];
  readonly okActionArns: readonly string[];
  readonly ref: AlarmTopicRef;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const publishers = [...(props.publisherServices ?? [CLOUDWATCH_SERVICE_PRINCIPAL])];
    const scoped = [...(props.scopedPublishers ?? [])];
    const emails = [...(props.emailAddresses ?? [])];
    validate(this.node.path, props, publishers, emails);
    const keyUsers = [...new Set([...publishers, ...scoped.map((p) => p.service)])];

    const rootArn = arn(awsContext(this), { service: "iam", region: "", account: props.accountId, resource: "root" });
    const topicName = boundedName([props.namePrefix, "alarms"], NAME_LIMITS.snsTopicName);

    const keyPolicy = new DataAwsIamPolicyDocument(this, "key-policy", {
      statement: [
        {
          // Without it the key becomes unmanageable; IAM policies of the account decide who else administers it.
          sid: "AccountAdministers",
          principals: [{ type: "AWS", identifiers: [rootArn] }],
          actions: ["kms:*"],
          // In a key policy "*" means "this key"; it cannot name anything else.
          resources: ["*"],
        },
        {
          // Unconditioned as AWS documents it: a condition key the service's KMS call does not
          // carry would deny every notification silently. The topic policy scopes the account.
          sid: "PublishersUseKey",
          principals: [{ type: "Service", identifiers: keyUsers }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
        },
      ],
    });

    this.key = new KmsKey(this, "key", {
      description: `Encrypts the ${topicName} SNS topic; usable by ${keyUsers.join(", ")}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.keyDeletionWindowDays ?? 30,
      policy: keyPolicy.json,
      tags: { Name: topicName },
    });
    this.keyAlias = new KmsAlias(this, "key-alias", {
      name: `alias/${topicName}`,
      targetKeyId: this.key.keyId,
    });

    this.topic = new SnsTopic(this, "topic", {
      name: topicName,
      displayName: props.displayName ?? `${props.namePrefix} alarms`.slice(0, 100),
      kmsMasterKeyId: this.key.arn,
      tags: { Name: topicName },
    });

    const topicPolicy = new DataAwsIamPolicyDocument(this, "topic-policy-document", {
      statement: [
        {
          // aws:SourceAccount stops a service acting for another account (confused deputy).
          sid: "ServicesOfThisAccountPublish",
          principals: [{ type: "Service", identifiers: publishers }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
        ...scoped.map((publisher) => ({
          sid: `${statementId(publisher.service)}PublishFromNamedSources`,
          principals: [{ type: "Service", identifiers: [publisher.service] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [...publisher.sourceArns] },
          ],
        })),
      ],
    });
    this.topicPolicy = new SnsTopicPolicy(this, "topic-policy", { arn: this.topic.arn, policy: topicPolicy.json });

    const subscriptions: Record<string, SnsTopicSubscription> = {};
    for (const email of emails) {
      // Keyed by the address, so reordering the list never replaces a confirmed subscription.
      subscriptions[email] = new SnsTopicSubscription(this, `email-${shortHash(email.toLowerCase(), 8)}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    }
    this.subscriptions = subscriptions;

    // One token for the ARN, so the sink's lists compare equal to topicArn.
    this.topicArn = this.topic.arn;
    this.alarmActionArns = [this.topicArn];
    this.okActionArns = [this.topicArn];
    this.ref = { topicArn: this.topicArn, keyArn: this.key.arn };
  }
}

/** `events.amazonaws.com` → `Events`: statement IDs allow only letters and digits. */
function statementId(service: string): string {
  const name = service.split(".")[0]!.replace(/[^A-Za-z0-9]/g, "");
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function validate(path: string, props: AlarmTopicProps, publishers: string[], emails: string[]): void {
  const v = new Validator(path);
  checkNamePrefix(v, props.namePrefix);
  checkAccountId(v, "accountId", props.accountId);
  const seen = new Set<string>();
  emails.forEach((email, i) => {
    if (!isKnown(email)) return;
    const ok = v.check(
      EMAIL_PATTERN.test(email),
      `emailAddresses[${i}]`,
      email,
      'is not an e-mail address; write it as "name@example.com" without display name or spaces.',
    );
    if (ok) {
      v.check(!seen.has(email.toLowerCase()), `emailAddresses[${i}]`, email, "is listed twice; remove the duplicate.");
      seen.add(email.toLowerCase());
    }
  });
  v.check(publishers.length > 0, "publisherServices", publishers, 'must name at least one service, e.g. ["cloudwatch.amazonaws.com"].');
  publishers.forEach((service, i) => {
    if (!isKnown(service)) return;
    v.check(
      SERVICE_PRINCIPAL_PATTERN.test(service),
      `publisherServices[${i}]`,
      service,
      'must be an AWS service principal such as "cloudwatch.amazonaws.com" or "events.amazonaws.com".',
    );
  });
  (props.scopedPublishers ?? []).forEach((publisher, i) => {
    if (isKnown(publisher.service)) {
      v.check(SERVICE_PRINCIPAL_PATTERN.test(publisher.service), `scopedPublishers[${i}].service`, publisher.service, 'must be an AWS service principal such as "events.amazonaws.com".');
    }
    v.check(publisher.sourceArns.length > 0, `scopedPublishers[${i}].sourceArns`, publisher.sourceArns, "must name at least one source ARN; an unscoped publisher belongs in publisherServices.");
  });
  if (props.displayName !== undefined && isKnown(props.displayName)) {
    v.check(
      props.displayName.length >= 1 && props.displayName.length <= 100,
      "displayName",
      props.displayName,
      "must be 1-100 characters.",
    );
  }
  const window = props.keyDeletionWindowDays ?? 30;
  v.check(
    Number.isInteger(window) && window >= 7 && window <= 30,
    "keyDeletionWindowDays",
    window,
    "must be a whole number of days from 7 to 30.",
  );
  v.throwIfAny();
}
