import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { NAME_LIMITS, Validator, arn, awsContext, awsManagedPolicyArn, boundedName, checkKmsKeyArn, checkNamePrefix, isKnown } from "@platform/core";
import { Construct } from "constructs";
import {
  amazonLinux2023Parameter,
  instanceArchitecture,
  isBurstable,
  isInstanceTypeName,
  type CpuArchitecture,
} from "./architecture";
import { portForwardingCommand, type PortForwardingOptions } from "./tunnel";

/** What other stacks and outputs need of the bastion. */
export interface BastionRef {
  /** EC2 instance ID, the `--target` of `aws ssm start-session`. */
  readonly instanceId: string;
  /** ARN of the instance role, for granting it more (e.g. RDS IAM authentication). */
  readonly roleArn: string;
}

export interface BastionProps {
  /** Prefix for every name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** Private subnet to launch in. It needs a route to SSM (NAT gateway or SSM VPC endpoints). */
  readonly subnetId: string;
  /**
   * Security groups of the instance. Session Manager needs no ingress, so give a group
   * without ingress rules whose egress allows HTTPS (SSM) and the database port.
   */
  readonly securityGroupIds: readonly string[];
  /**
   * Burstable types get standard CPU credits. A Graviton type (`t4g.nano`) selects the
   * arm64 image automatically.
   * @default "t3.nano"
   */
  readonly instanceType?: string;
  /**
   * A fixed AMI. With it, the image changes only when this prop does.
   * @default the newest Amazon Linux 2023 for the instance's architecture, resolved by EC2
   * from the public SSM parameter at each launch
   */
  readonly amiId?: string;
  /**
   * Root device name of the image, where the encrypted root volume is configured. Amazon
   * Linux uses `/dev/xvda`; set it when `amiId` is an image with another root device
   * (Ubuntu: `/dev/sda1`), or the settings land on an extra volume instead.
   * @default "/dev/xvda"
   */
  readonly rootDeviceName?: string;
  /**
   * Root volume size; at least the image's snapshot (8 GiB for Amazon Linux 2023).
   * @default the image's snapshot size
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * KMS key ARN for the root volume.
   * @default the account's default EBS key (`aws/ebs`)
   */
  readonly rootVolumeKmsKeyArn?: string;
  /**
   * One-minute CloudWatch metrics (billed per instance).
   * @default false
   */
  readonly detailedMonitoring?: boolean;
  /**
   * SSM parameter paths whose values the bastion must never read, e.g. `/acme/` (DATABASE_URL).
   * AmazonSSMManagedInstanceCore allows `ssm:GetParameter*` on every parameter; this denies it here.
   * Secret values stay out of reach regardless: the role is always denied
   * `secretsmanager:GetSecretValue` and `kms:Decrypt` through SSM or Secrets Manager.
   * @default none
   */
  readonly protectedParameterPaths?: readonly string[];
}

const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const AMI_ID = /^ami-[0-9a-f]{8,17}$/;
const DEVICE_NAME = /^\/dev\/(sd[a-z][0-9]{0,2}|xvd[a-z]{1,2}|nvme[0-9]+n[0-9]+)$/;
/** EC2 allows at most this many security groups per network interface by default. */
const MAX_SECURITY_GROUPS = 5;
const AL2023_SNAPSHOT_GIB = 8;

/**
 * A maintenance host in a private subnet reached only through SSM Session Manager: no key
 * pair, no public IP, no ingress, IMDSv2 only, encrypted gp3 root volume. Its use is the
 * database tunnel (`tunnelCommand`), replacing SSH bastions and their open port 22.
 *
 * The image comes from a launch template whose `image_id` is `resolve:ssm:<parameter>`, so
 * the plan needs no AMI lookup and there is no drift: Terraform never sees the AMI ID.
 * A running bastion keeps its image; it gets the newest one when it is replaced
 * (`terraform apply -replace=<address>`), or when the launch template changes, which
 * replaces it on the next apply.
 */
export class Bastion extends Construct implements BastionRef {
  readonly instance: Instance;
  readonly launchTemplate: LaunchTemplate;
  readonly role: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  readonly instanceId: string;
  readonly roleArn: string;
  readonly architecture: CpuArchitecture;
  /** What EC2 launches from: `resolve:ssm:<parameter>` or the given AMI ID. */
  readonly imageId: string;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    const instanceType = props.instanceType ?? "t3.nano";
    validate(this.node.path, props, instanceType);

    const name = boundedName([props.namePrefix, "bastion"], NAME_LIMITS.iamRoleName);
    this.architecture = instanceArchitecture(instanceType);
    this.imageId = props.amiId ?? `resolve:ssm:${amazonLinux2023Parameter(this.architecture)}`;

    // No aws:SourceAccount / aws:SourceArn here: EC2 does not set them when it assumes an instance
    // profile's role, so the conditions would lock the instance out. iam:PassRole guards this trust.
    const assume = new DataAwsIamPolicyDocument(this, "assume", {
      statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
    });
    this.role = new IamRole(this, "role", {
      name,
      assumeRolePolicy: assume.json,
      description: `Bastion ${props.namePrefix}: SSM Session Manager only`,
    });
    this.roleArn = this.role.arn;
    // The AWS managed policy is the documented minimum for Session Manager and is kept
    // current by AWS as the agent changes.
    new IamRolePolicyAttachment(this, "ssm-core", {
      role: this.role.name,
      policyArn: awsManagedPolicyArn(awsContext(this), "AmazonSSMManagedInstanceCore"),
    });
    // Anyone with a session on the bastion acts as this role: it must not read secret values.
    // Session Manager's own KMS use (direct, no kms:ViaService) is unaffected.
    const paths = props.protectedParameterPaths ?? [];
    const denySecrets = new DataAwsIamPolicyDocument(this, "deny-secrets", {
      statement: [
        ...(paths.length > 0
          ? [
              {
                sid: "DenyProductParameters",
                effect: "Deny",
                actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
                resources: paths.map((path) => arn(awsContext(this), { service: "ssm", region: "*", account: "*", resource: `parameter${path}*` })),
              },
            ]
          : []),
        { sid: "DenySecretValues", effect: "Deny", actions: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"], resources: ["*"] },
        {
          sid: "DenyDecryptThroughSecretStores",
          effect: "Deny",
          actions: ["kms:Decrypt"],
          resources: ["*"],
          condition: [{ test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] }],
        },
      ],
    });
    new IamRolePolicy(this, "deny-secrets-policy", { name: "deny-secret-values", role: this.role.id, policy: denySecrets.json });
    this.instanceProfile = new IamInstanceProfile(this, "profile", { name, role: this.role.name });

    // The root volume lives in the template, not in the instance's root_block_device: with
    // a `resolve:ssm:` image the provider would call DescribeImages on the parameter name to
    // find the root device and fail (hashicorp/terraform-provider-aws#43488).
    this.launchTemplate = new LaunchTemplate(this, "template", {
      name: boundedName([props.namePrefix, "bastion"], 128),
      description: `Bastion ${props.namePrefix}: image and encrypted root volume`,
      imageId: this.imageId,
      updateDefaultVersion: true,
      blockDeviceMappings: [
        {
          deviceName: props.rootDeviceName ?? "/dev/xvda",
          ebs: {
            encrypted: "true",
            volumeType: "gp3",
            deleteOnTermination: "true",
            volumeSize: props.rootVolumeSizeGiB,
            kmsKeyId: props.rootVolumeKmsKeyArn,
          },
        },
      ],
      tagSpecifications: [{ resourceType: "volume", tags: { Name: name } }],
    });

    this.instance = new Instance(this, "instance", {
      launchTemplate: { id: this.launchTemplate.id, version: `${this.launchTemplate.latestVersion}` },
      instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [...props.securityGroupIds],
      associatePublicIpAddress: false,
      iamInstanceProfile: this.instanceProfile.name,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // 1 hop: containers or forwarded traffic on the host cannot reach the credentials.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      monitoring: props.detailedMonitoring ?? false,
      // The provider otherwise launches t3 as `unlimited`, billing surplus credits.
      creditSpecification: isBurstable(instanceType) ? { cpuCredits: "standard" } : undefined,
      tags: { Name: name },
    });
    this.instanceId = this.instance.id;
  }

  /** The `aws ssm start-session` command that tunnels a local port to `remoteHost` through this bastion. */
  tunnelCommand(remoteHost: string, options: Omit<PortForwardingOptions, "instanceId" | "remoteHost"> = {}): string {
    return portForwardingCommand({ instanceId: this.instanceId, remoteHost, ...options });
  }

  /** The narrow ref for other stacks. */
  get ref(): BastionRef {
    return { instanceId: this.instanceId, roleArn: this.roleArn };
  }
}

function validate(path: string, props: BastionProps, instanceType: string): void {
  const v = new Validator(path);
  checkNamePrefix(v, props.namePrefix);
  if (isKnown(props.subnetId)) {
    v.check(SUBNET_ID.test(props.subnetId), "subnetId", props.subnetId, "must be a subnet ID (subnet-0123456789abcdef0) of a private subnet.");
  }
  if (isKnown(props.securityGroupIds as string[])) {
    const ids = props.securityGroupIds;
    v.check(
      ids.length >= 1 && ids.length <= MAX_SECURITY_GROUPS,
      "securityGroupIds",
      ids,
      `must hold 1-${MAX_SECURITY_GROUPS} security group IDs; pass the bastion group made by the security package.`,
    );
    ids.forEach((id, i) => {
      if (isKnown(id)) v.check(SECURITY_GROUP_ID.test(id), `securityGroupIds[${i}]`, id, "must be a security group ID (sg-0123456789abcdef0).");
    });
    v.check(new Set(ids).size === ids.length, "securityGroupIds", ids, "lists a security group twice; list each once.");
  }
  v.check(
    isInstanceTypeName(instanceType),
    "instanceType",
    instanceType,
    "must be an EC2 instance type such as \"t3.nano\" or \"t4g.nano\".",
  );
  if (props.amiId !== undefined && isKnown(props.amiId)) {
    v.check(
      AMI_ID.test(props.amiId),
      "amiId",
      props.amiId,
      "must be an AMI ID (ami-0123456789abcdef0); leave it unset to launch the newest Amazon Linux 2023.",
    );
  }
  if (props.rootDeviceName !== undefined) {
    v.check(
      DEVICE_NAME.test(props.rootDeviceName),
      "rootDeviceName",
      props.rootDeviceName,
      "must be a device name such as \"/dev/xvda\" (Amazon Linux) or \"/dev/sda1\" (Ubuntu).",
    );
  }
  if (props.rootVolumeSizeGiB !== undefined) {
    const min = props.amiId === undefined ? AL2023_SNAPSHOT_GIB : 1;
    v.check(
      Number.isInteger(props.rootVolumeSizeGiB) && props.rootVolumeSizeGiB >= min && props.rootVolumeSizeGiB <= 16384,
      "rootVolumeSizeGiB",
      props.rootVolumeSizeGiB,
      `must be a whole number of GiB between ${min} and 16384${props.amiId === undefined ? " (the Amazon Linux 2023 image needs 8)" : ""}.`,
    );
  }
  (props.protectedParameterPaths ?? []).forEach((path, i) =>
    v.check(/^\/[A-Za-z0-9_.-]+\/$/.test(path), `protectedParameterPaths[${i}]`, path, 'must be a top-level SSM path such as "/acme/".'),
  );
  // EC2 resolves an alias when it creates the volume, so both are accepted.
  if (props.rootVolumeKmsKeyArn !== undefined) checkKmsKeyArn(v, "rootVolumeKmsKeyArn", props.rootVolumeKmsKeyArn, { aliases: true });
  v.throwIfAny();
}
