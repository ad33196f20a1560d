import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { EfsAccessPoint } from "@cdktf/provider-aws/lib/efs-access-point";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NAME_LIMITS, Validator, boundedName, checkKmsKeyArn, isKnown } from "@platform/core";
import { Construct } from "constructs";

/** Days after last access EFS may move a file to Infrequent Access (values EFS accepts). */
export const EFS_IA_TRANSITION_DAYS = [1, 7, 14, 30, 60, 90, 180, 270, 365] as const;
export type EfsIaTransitionDays = (typeof EFS_IA_TRANSITION_DAYS)[number];

/** POSIX identity and directory of the access point the service mounts through. */
export interface EfsAccessPointProps {
  /** Directory on the file system exposed as the volume's root; created on first use. */
  readonly path: string;
  /** User ID every NFS request runs as, whatever the container's user. */
  readonly uid: number;
  /** Group ID every NFS request runs as. */
  readonly gid: number;
  /**
   * Mode of `path` when EFS creates it.
   * @default "750"
   */
  readonly permissions?: string;
}

export interface EfsVolumeProps {
  /** Prefix of every name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** What the file system holds, e.g. `cache`; names the file system and its security group. */
  readonly name: string;
  /** VPC of the mount targets. */
  readonly vpcId: string;
  /** One subnet per AZ where tasks run; each gets a mount target. */
  readonly subnetIds: readonly string[];
  /** Security groups of the tasks that mount it; only they may reach NFS (2049). */
  readonly clientSecurityGroupIds: readonly string[];
  readonly accessPoint: EfsAccessPointProps;
  /**
   * Move files not read for this many days to the cheaper Infrequent Access class; `false` keeps all in Standard.
   * @default 30
   */
  readonly transitionToIaDays?: EfsIaTransitionDays | false;
  /**
   * Customer-managed KMS key for encryption at rest.
   * @default the AWS-managed key aws/elasticfilesystem (the file system is encrypted either way)
   */
  readonly kmsKeyArn?: string;
}

/** What a service needs to mount the volume. */
export interface EfsVolumeRef {
  readonly fileSystemId: string;
  readonly fileSystemArn: string;
  /** Waits for every mount target, so a task mounting through it never starts before NFS is reachable. */
  readonly accessPointId: string;
  readonly accessPointArn: string;
}

/**
 * An encrypted EFS file system for a Fargate service: mount targets behind their own security
 * group (NFS only from the client security groups), one access point with a fixed POSIX
 * identity, and a file system policy that refuses unencrypted (non-TLS) connections.
 * Grant access by mounting it in `FargateService` (`volumes`), which gives the task role
 * ClientMount/ClientWrite through this access point only.
 */
export class EfsVolume extends Construct {
  readonly fileSystem: EfsFileSystem;
  readonly securityGroup: SecurityGroup;
  readonly mountTargets: readonly EfsMountTarget[];
  readonly accessPoint: EfsAccessPoint;
  readonly ref: EfsVolumeRef;

  constructor(scope: Construct, id: string, props: EfsVolumeProps) {
    super(scope, id);
    validate(this.node.path, props);
    const name = boundedName([props.namePrefix, props.name], NAME_LIMITS.efsCreationToken);

    const iaDays = props.transitionToIaDays ?? 30;
    this.fileSystem = new EfsFileSystem(this, "file-system", {
      creationToken: name,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      performanceMode: "generalPurpose",
      throughputMode: "bursting",
      lifecyclePolicy:
        iaDays === false
          ? undefined
          : [{ transitionToIa: `AFTER_${iaDays}_DAYS` }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
      tags: { Name: name },
    });

    const tls = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "DenyUnencryptedTransport",
          effect: "Deny",
          principals: [{ type: "AWS", identifiers: ["*"] }],
          actions: ["*"],
          resources: [this.fileSystem.arn],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new EfsFileSystemPolicy(this, "policy", { fileSystemId: this.fileSystem.id, policy: tls.json });

    const sgName = boundedName([props.namePrefix, props.name, "efs"], NAME_LIMITS.securityGroupName);
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: sgName,
      description: `NFS to the ${props.name} file system from its client tasks only`,
      vpcId: props.vpcId,
      // No egress rules: security groups are stateful, replies need none.
      tags: { Name: sgName },
    });
    props.clientSecurityGroupIds.forEach((clientSg, i) => {
      new VpcSecurityGroupIngressRule(this, i === 0 ? "nfs-from-clients" : `nfs-from-clients-${i + 1}`, {
        securityGroupId: this.securityGroup.id,
        referencedSecurityGroupId: clientSg,
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
        description: "NFS from client tasks",
      });
      // Client groups may have no allow-all egress (ours do not), so open exactly NFS to this file system.
      new VpcSecurityGroupEgressRule(this, i === 0 ? "nfs-to-file-system" : `nfs-to-file-system-${i + 1}`, {
        securityGroupId: clientSg,
        referencedSecurityGroupId: this.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
        description: `NFS to the ${props.name} file system`,
      });
    });

    const subnetIds = props.subnetIds;
    // Subnet IDs from another stack are unknown until apply, so the mount targets are counted by
    // position; Terraform addresses stay stable as long as the subnet list keeps its order.
    this.mountTargets = subnetIds.map(
      (subnetId, i) =>
        new EfsMountTarget(this, `mount-target-${i + 1}`, {
          fileSystemId: this.fileSystem.id,
          subnetId,
          securityGroups: [this.securityGroup.id],
        }),
    );

    this.accessPoint = new EfsAccessPoint(this, "access-point", {
      fileSystemId: this.fileSystem.id,
      posixUser: { uid: props.accessPoint.uid, gid: props.accessPoint.gid },
      rootDirectory: {
        path: props.accessPoint.path,
        creationInfo: {
          ownerUid: props.accessPoint.uid,
          ownerGid: props.accessPoint.gid,
          permissions: props.accessPoint.permissions ?? "750",
        },
      },
      tags: { Name: name },
      dependsOn: [...this.mountTargets],
    });

    this.ref = {
      fileSystemId: this.fileSystem.id,
      fileSystemArn: this.fileSystem.arn,
      accessPointId: this.accessPoint.id,
      accessPointArn: this.accessPoint.arn,
    };
  }
}

function validate(path: string, props: EfsVolumeProps): void {
  const v = new Validator(path);
  v.check(/^[a-z][a-z0-9-]{0,30}$/.test(props.name), "name", props.name, "use lower-case letters, digits and hyphens, starting with a letter (e.g. \"cache\").");
  // One mount target per element: the list itself must be known, its elements may be tokens.
  if (v.check(isKnown(props.subnetIds), "subnetIds", props.subnetIds, "must be a list whose length is known at synth (e.g. network.privateSubnetIds), not a single list token.")) {
    v.check(props.subnetIds.length >= 1, "subnetIds", props.subnetIds, "pass the subnets the tasks run in (one per AZ); each gets a mount target.");
  }
  if (v.check(isKnown(props.clientSecurityGroupIds), "clientSecurityGroupIds", props.clientSecurityGroupIds, "must be a list whose length is known at synth, e.g. [securityGroups.serviceSecurityGroupId].")) {
    v.check(props.clientSecurityGroupIds.length >= 1, "clientSecurityGroupIds", props.clientSecurityGroupIds, "pass the security group of the tasks that mount the volume (e.g. securityGroups.serviceSecurityGroupId).");
  }
  const ap = props.accessPoint;
  v.check(/^\/[A-Za-z0-9._\-/]{1,99}$/.test(ap.path) && !ap.path.endsWith("/"), "accessPoint.path", ap.path, "must be an absolute directory other than /, without trailing slash (e.g. \"/cache\"); a task should not see the whole file system.");
  for (const key of ["uid", "gid"] as const) {
    v.check(Number.isInteger(ap[key]) && ap[key] >= 0 && ap[key] <= 4294967295, `accessPoint.${key}`, ap[key], "must be a POSIX id between 0 and 4294967295 (use the id the container runs as, e.g. 1000).");
  }
  if (ap.permissions !== undefined) {
    v.check(/^[0-7]{3,4}$/.test(ap.permissions), "accessPoint.permissions", ap.permissions, "must be an octal mode such as \"750\".");
  }
  const ia = props.transitionToIaDays;
  if (ia !== undefined && ia !== false) {
    v.check((EFS_IA_TRANSITION_DAYS as readonly number[]).includes(ia), "transitionToIaDays", ia, `EFS accepts ${EFS_IA_TRANSITION_DAYS.join(", ")} days, or false.`);
  }
  // EFS stores the key with the file system: the key itself, not an alias.
  if (props.kmsKeyArn !== undefined) checkKmsKeyArn(v, "kmsKeyArn", props.kmsKeyArn, { aliases: false });
  v.throwIfAny();
}
