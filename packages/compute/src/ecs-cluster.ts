import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EcsCluster as AwsEcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { NAME_LIMITS, Validator, boundedName, checkKmsKeyArn, checkLogRetention } from "@platform/core";
import { Construct } from "constructs";

/** What services (and other stacks) need to know about a cluster. */
export interface EcsClusterRef {
  /** Cluster name. Taken from the capacity-provider association, so a service that uses it waits for FARGATE/FARGATE_SPOT to be attached. */
  readonly clusterName: string;
  readonly clusterArn: string;
  /** Log group that records ECS Exec sessions; absent when exec logging is off. */
  readonly execLogGroupArn?: string;
  /** KMS key that encrypts ECS Exec sessions and their logs; tasks need kms:Decrypt on it. */
  readonly execKmsKeyArn?: string;
}

export interface EcsExecLoggingProps {
  /** Retention of the session log group; must be a value CloudWatch Logs accepts. */
  readonly logRetentionDays: number;
  /**
   * KMS key (ARN) that encrypts the session logs and the exec data channel.
   * @default AWS-owned encryption for the log group; the data channel is TLS-encrypted either way
   */
  readonly kmsKeyArn?: string;
}

export interface EcsClusterProps {
  /** Prefix of every name, e.g. `acme-staging`; the cluster is `<namePrefix>-cluster`. */
  readonly namePrefix: string;
  /**
   * CloudWatch Container Insights (per-task CPU/memory/network metrics, billed as custom metrics).
   * Turn it off explicitly in cost-optimised environments.
   * @default true
   */
  readonly containerInsights?: boolean;
  /**
   * Records ECS Exec sessions (who ran what in which container) to a dedicated log group.
   * Services that enable ECS Exec get permission to write to it.
   * @default no session logging (ECS Exec still works if a service enables it)
   */
  readonly execLogging?: EcsExecLoggingProps;
}

/**
 * An ECS cluster for Fargate services with the FARGATE and FARGATE_SPOT capacity providers
 * attached (FARGATE is the default strategy; a service opts into Spot explicitly).
 */
export class EcsCluster extends Construct {
  readonly cluster: AwsEcsCluster;
  readonly capacityProviders: EcsClusterCapacityProviders;
  readonly execLogGroup?: CloudwatchLogGroup;
  readonly clusterName: string;
  readonly ref: EcsClusterRef;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    if (props.execLogging) {
      checkLogRetention(v, "execLogging.logRetentionDays", props.execLogging.logRetentionDays);
      // ECS resolves the key at each session, so an alias works.
      if (props.execLogging.kmsKeyArn !== undefined) checkKmsKeyArn(v, "execLogging.kmsKeyArn", props.execLogging.kmsKeyArn, { aliases: true });
    }
    v.throwIfAny();

    this.clusterName = boundedName([props.namePrefix, "cluster"], NAME_LIMITS.ecsClusterName);

    if (props.execLogging) {
      this.execLogGroup = new CloudwatchLogGroup(this, "exec-logs", {
        name: `/ecs/exec/${this.clusterName}`,
        retentionInDays: props.execLogging.logRetentionDays,
        kmsKeyId: props.execLogging.kmsKeyArn,
      });
    }

    this.cluster = new AwsEcsCluster(this, "cluster", {
      name: this.clusterName,
      // Written out in both states, so the account-level default never decides silently.
      setting: [{ name: "containerInsights", value: props.containerInsights === false ? "disabled" : "enabled" }],
      configuration: this.execLogGroup
        ? {
            executeCommandConfiguration: {
              kmsKeyId: props.execLogging?.kmsKeyArn,
              logging: "OVERRIDE",
              logConfiguration: {
                cloudWatchLogGroupName: this.execLogGroup.name,
                cloudWatchEncryptionEnabled: props.execLogging?.kmsKeyArn !== undefined,
              },
            },
          }
        : undefined,
      tags: { Name: this.clusterName },
    });

    this.capacityProviders = new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });

    this.ref = {
      clusterName: this.capacityProviders.clusterName,
      clusterArn: this.cluster.arn,
      execLogGroupArn: this.execLogGroup?.arn,
      execKmsKeyArn: props.execLogging?.kmsKeyArn,
    };
  }
}
