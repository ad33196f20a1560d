import { listResources, policyStatements, resourceAt, synth, testStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { EfsVolume, type EfsVolumeProps } from "../src/efs-volume";
import { FargateService, NETWORK, SECURITY_GROUPS, containerDefinitions, errorOf, repository, serviceProps } from "./fixtures";

function props(overrides: Partial<EfsVolumeProps> = {}): EfsVolumeProps {
  return {
    namePrefix: "weather-prod",
    name: "cache",
    vpcId: NETWORK.vpcId,
    subnetIds: NETWORK.privateSubnetIds,
    clientSecurityGroupIds: [SECURITY_GROUPS.serviceSecurityGroupId],
    accessPoint: { path: "/cache", uid: 1000, gid: 1000 },
    ...overrides,
  };
}

describe("EfsVolume mounted by a FargateService (seed 004: cache at /app/cache)", () => {
  const stack = testStack("compute");
  const cache = new EfsVolume(stack, "cache", props({ transitionToIaDays: 30 }));
  new FargateService(stack, "app", serviceProps({
    name: "app",
    containers: {
      app: {
        image: { ...repository("weather"), tag: "v1" },
        ports: { ui: 8501, api: 8000 },
        mounts: { cache: { containerPath: "/app/cache" } },
      },
    },
    volumes: { cache: { efs: cache.ref } },
    loadBalancing: { containerPort: 8501 },
  }));
  const json = synth(stack);

  it("encrypts the file system and moves cold files to Infrequent Access after 30 days", () => {
    const fs = resourceAt(json, "aws_efs_file_system", "cache/file-system");
    expect(fs.encrypted).toBe(true);
    expect(fs.lifecycle_policy).toEqual([{ transition_to_ia: "AFTER_30_DAYS" }, { transition_to_primary_storage_class: "AFTER_1_ACCESS" }]);
  });

  it("puts a mount target in every given subnet behind its own security group", () => {
    const targets = listResources(json, "aws_efs_mount_target");
    expect(targets.map((t) => t.subnet_id)).toEqual(NETWORK.privateSubnetIds);
    for (const t of targets) expect(t.security_groups).toEqual([expect.stringMatching(/cache_security-group_[0-9A-F]{8}\.id\}$/)]);
  });

  it("allows NFS (2049) only from the service security group, and nothing else", () => {
    const rules = listResources(json, "aws_vpc_security_group_ingress_rule");
    expect(rules).toEqual([
      expect.objectContaining({ ip_protocol: "tcp", from_port: 2049, to_port: 2049, referenced_security_group_id: SECURITY_GROUPS.serviceSecurityGroupId }),
    ]);
    expect(resourceAt(json, "aws_security_group", "cache/security-group").ingress).toBeUndefined();
  });

  it("refuses unencrypted connections in the file system policy", () => {
    const [deny] = policyStatements(json, "cache/policy-document");
    expect(deny).toMatchObject({
      effect: "Deny",
      actions: ["*"],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  it("exposes one directory through an access point with a fixed POSIX identity, after the mount targets exist", () => {
    const ap = resourceAt(json, "aws_efs_access_point", "cache/access-point");
    expect(ap.posix_user).toEqual({ uid: 1000, gid: 1000 });
    expect(ap.root_directory).toEqual({ path: "/cache", creation_info: { owner_uid: 1000, owner_gid: 1000, permissions: "750" } });
    expect(ap.depends_on).toHaveLength(2);
  });

  it("mounts it with transit encryption and IAM authorisation through the access point at /app/cache", () => {
    const task = resourceAt(json, "aws_ecs_task_definition", "app/task-definition");
    expect(task.volume).toEqual([
      {
        name: "cache",
        efs_volume_configuration: {
          file_system_id: expect.stringMatching(/cache_file-system_[0-9A-F]{8}\.id\}$/),
          transit_encryption: "ENABLED",
          authorization_config: { access_point_id: expect.stringMatching(/cache_access-point_[0-9A-F]{8}\.id\}$/), iam: "ENABLED" },
        },
      },
    ]);
    const [container] = containerDefinitions(json, "app/task-definition");
    expect(container!.mountPoints).toEqual([{ sourceVolume: "cache", containerPath: "/app/cache", readOnly: false }]);
    expect(container!.portMappings.map((p: { containerPort: number }) => p.containerPort)).toEqual([8000, 8501]);
  });

  it("lets the task role mount and write exactly this file system through exactly this access point", () => {
    expect(policyStatements(json, "app/task-role/permissions")).toEqual([
      {
        sid: "EfsCache",
        actions: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        resources: [expect.stringMatching(/^\$\{aws_efs_file_system\.cache_file-system_[0-9A-F]{8}\.arn\}$/)],
        condition: [
          {
            test: "StringEquals",
            variable: "elasticfilesystem:AccessPointArn",
            values: [expect.stringMatching(/^\$\{aws_efs_access_point\.cache_access-point_[0-9A-F]{8}\.arn\}$/)],
          },
        ],
      },
    ]);
  });
});

describe("EfsVolume options", () => {
  it("grants only ClientMount when every mount is read-only, and keeps files in Standard when IA is off", () => {
    const stack = testStack();
    const volume = new EfsVolume(stack, "assets", props({ name: "assets", transitionToIaDays: false }));
    new FargateService(stack, "web", serviceProps({
      containers: { web: { image: { ...repository("acme-web"), tag: "v1" }, ports: { http: 3000 }, mounts: { assets: { containerPath: "/srv/assets", readOnly: true } } } },
      volumes: { assets: { efs: volume.ref } },
    }));
    const json = synth(stack);
    expect(policyStatements(json, "web/task-role/permissions")[0]!.actions).toEqual(["elasticfilesystem:ClientMount"]);
    expect(resourceAt(json, "aws_efs_file_system", "assets/file-system").lifecycle_policy).toBeUndefined();
  });
});

describe("EfsVolume validation", () => {
  it("fails when the IA transition is a day count EFS does not offer", () => {
    expect(errorOf(() => new EfsVolume(testStack(), "cache", props({ transitionToIaDays: 45 as 30 })))).toContain(
      "cache.transitionToIaDays: 45 EFS accepts 1, 7, 14, 30, 60, 90, 180, 270, 365 days, or false.",
    );
  });

  it("fails when the access point would expose the whole file system or uses a bad id", () => {
    const message = errorOf(() => new EfsVolume(testStack(), "cache", props({ accessPoint: { path: "/", uid: -1, gid: 1000, permissions: "999" } })));
    expect(message).toContain('cache.accessPoint.path: "/" must be an absolute directory other than /');
    expect(message).toContain("cache.accessPoint.uid: -1 must be a POSIX id");
    expect(message).toContain('cache.accessPoint.permissions: "999" must be an octal mode');
  });

  it("fails when there is no subnet or no client security group", () => {
    const message = errorOf(() => new EfsVolume(testStack(), "cache", props({ subnetIds: [], clientSecurityGroupIds: [] })));
    expect(message).toContain("cache.subnetIds: [] pass the subnets the tasks run in");
    expect(message).toContain("cache.clientSecurityGroupIds: [] pass the security group of the tasks");
  });
});
