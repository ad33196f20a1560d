import { describe, expect, it } from "vitest";
import { listDataSources, listResources, onlyResource, policyStatements, resourceAddresses, synth, testStack } from "@platform/core/testing";
import { Bastion, type BastionProps } from "../src/index";
import { DB_ENDPOINT, prodLikeBastionStack } from "./fixtures/prod-like";

const base: BastionProps = {
  namePrefix: "acme-prod",
  subnetId: "subnet-0123456789abcdef0",
  securityGroupIds: ["sg-0123456789abcdef0"],
};

describe("Bastion with defaults (seed 003: t3.nano through SSM)", () => {
  const json = synth(prodLikeBastionStack());
  const instance = onlyResource(json, "aws_instance");
  const template = onlyResource(json, "aws_launch_template");

  it("is a t3.nano in the given private subnet and security group, with no public IP and no key pair", () => {
    expect(instance).toMatchObject({
      instance_type: "t3.nano",
      subnet_id: "subnet-0123456789abcdef0",
      vpc_security_group_ids: ["sg-0123456789abcdef0"],
      associate_public_ip_address: false,
      monitoring: false,
      tags: { Name: "acme-prod-bastion" },
    });
    expect(instance.key_name).toBeUndefined();
    expect(template.key_name).toBeUndefined();
    expect(template.network_interfaces).toBeUndefined();
  });

  it("requires IMDSv2 with a hop limit of 1", () => {
    expect(instance.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "disabled",
    });
  });

  it("launches the newest Amazon Linux 2023 through the launch template's SSM reference, with no AMI lookup", () => {
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(instance.ami).toBeUndefined();
    expect(instance.launch_template).toEqual({
      id: expect.stringMatching(/^\$\{aws_launch_template\.bastion_template_[0-9A-F]{8}\.id\}$/),
      version: expect.stringMatching(/^\$\{aws_launch_template\.bastion_template_[0-9A-F]{8}\.latest_version\}$/),
    });
    expect(listDataSources(json, "aws_ami")).toHaveLength(0);
    expect(resourceAddresses(json).filter((a) => a.startsWith("data.")).map((a) => a.split(".")[1])).toEqual([
      "aws_iam_policy_document",
      "aws_iam_policy_document",
    ]);
  });

  it("encrypts a gp3 root volume configured on the Amazon Linux root device", () => {
    expect(template.block_device_mappings).toEqual([
      { device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", delete_on_termination: "true" } },
    ]);
    // root_block_device on the instance would make the provider DescribeImages the SSM reference.
    expect(instance.root_block_device).toBeUndefined();
  });

  it("uses standard CPU credits so a busy bastion cannot run up unlimited-mode charges", () => {
    expect(instance.credit_specification).toEqual({ cpu_credits: "standard" });
  });

  it("gets only the SSM managed-instance policy through an EC2 role and instance profile", () => {
    expect(policyStatements(json, "bastion/assume")).toEqual([
      { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] },
    ]);
    const attachments = listResources(json, "aws_iam_role_policy_attachment");
    expect(attachments.map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
    // Its only inline policy is the deny of secret values (next test).
    expect(listResources(json, "aws_iam_role_policy").map((p) => p.name)).toEqual(["deny-secret-values"]);
    expect(policyStatements(json, "bastion/deny-secrets").every((s) => s.effect === "Deny")).toBe(true);
    expect(onlyResource(json, "aws_iam_instance_profile")).toMatchObject({ name: "acme-prod-bastion" });
    expect(instance.iam_instance_profile).toMatch(/^\$\{aws_iam_instance_profile\.bastion_profile_[0-9A-F]{8}\.name\}$/);
  });

  it("opens no ingress of its own: no security group or rule is created", () => {
    const types = resourceAddresses(json).map((a) => a.split(".")[0]);
    expect(types.filter((t) => /security_group/.test(t!))).toEqual([]);
  });

  it("outputs the instance ID and the exact port-forwarding command for the database", () => {
    expect(json.output!.bastion_instance_id!.value).toMatch(/^\$\{aws_instance\.bastion_instance_[0-9A-F]{8}\.id\}$/);
    expect(json.output!.db_tunnel_command!.value).toMatch(
      new RegExp(
        `^aws ssm start-session --target \\$\\{aws_instance\\.bastion_instance_[0-9A-F]{8}\\.id\\} ` +
          `--document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host=${DB_ENDPOINT.replace(/\./g, "\\.")},portNumber=5432,localPortNumber=15432$`,
      ),
    );
  });
});

describe("Bastion with options", () => {
  it("picks the arm64 image for a Graviton type", () => {
    const stack = testStack("bastion");
    const bastion = new Bastion(stack, "bastion", { ...base, instanceType: "t4g.nano" });
    expect(bastion.architecture).toBe("arm64");
    expect(onlyResource(synth(stack), "aws_launch_template").image_id).toBe(
      "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
    );
  });

  it("pins a given AMI, root device, size and key, and skips credits for non-burstable types", () => {
    const stack = testStack("bastion");
    new Bastion(stack, "bastion", {
      ...base,
      instanceType: "m7i.large",
      amiId: "ami-0123456789abcdef0",
      rootDeviceName: "/dev/sda1",
      rootVolumeSizeGiB: 20,
      rootVolumeKmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      detailedMonitoring: true,
    });
    const json = synth(stack);
    const template = onlyResource(json, "aws_launch_template");
    expect(template.image_id).toBe("ami-0123456789abcdef0");
    expect(template.block_device_mappings).toEqual([
      {
        device_name: "/dev/sda1",
        ebs: {
          encrypted: "true",
          volume_type: "gp3",
          delete_on_termination: "true",
          volume_size: 20,
          kms_key_id: "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
      },
    ]);
    const instance = onlyResource(json, "aws_instance");
    expect(instance.credit_specification).toBeUndefined();
    expect(instance.monitoring).toBe(true);
  });

  it("builds tunnel commands for other ports", () => {
    const bastion = new Bastion(testStack("bastion"), "bastion", base);
    expect(bastion.tunnelCommand("db.internal", { remotePort: 3306, localPort: 13306 })).toMatch(
      /--parameters host=db\.internal,portNumber=3306,localPortNumber=13306$/,
    );
  });
});

describe("Bastion validation", () => {
  const make = (props: Partial<BastionProps>) => () => new Bastion(testStack("bad"), "bastion", { ...base, ...props });

  it("fails when no security group is given, naming the prop, value and fix", () => {
    expect(make({ securityGroupIds: [] })).toThrow(
      /bastion\.securityGroupIds: \[\] must hold 1-5 security group IDs; pass the bastion group made by the security package/,
    );
  });

  it("fails when subnet, security group or AMI IDs are malformed", () => {
    expect(make({ subnetId: "subnet-xyz" })).toThrow(/bastion\.subnetId: "subnet-xyz" must be a subnet ID/);
    expect(make({ securityGroupIds: ["default"] })).toThrow(/securityGroupIds\[0\]: "default" must be a security group ID/);
    expect(make({ securityGroupIds: ["sg-0123456789abcdef0", "sg-0123456789abcdef0"] })).toThrow(/lists a security group twice/);
    expect(make({ amiId: "al2023" })).toThrow(/bastion\.amiId: "al2023" must be an AMI ID/);
  });

  it("fails when the instance type, root device or size is invalid", () => {
    expect(make({ instanceType: "nano" })).toThrow(/instanceType: "nano" must be an EC2 instance type/);
    expect(make({ rootDeviceName: "xvda" })).toThrow(/rootDeviceName: "xvda" must be a device name/);
    expect(make({ rootVolumeSizeGiB: 4 })).toThrow(/rootVolumeSizeGiB: 4 must be a whole number of GiB between 8 and 16384 \(the Amazon Linux 2023 image needs 8\)/);
  });

  it("fails when the KMS key is not an ARN, and accepts a key or an alias ARN", () => {
    expect(make({ rootVolumeKmsKeyArn: "alias/aws/ebs" })).toThrow(/rootVolumeKmsKeyArn: "alias\/aws\/ebs" must be a KMS key or alias ARN/);
    expect(make({ rootVolumeKmsKeyArn: "arn:aws:kms:ap-northeast-1:123456789012:alias/aws/ebs" })).not.toThrow();
  });
});

// Issue 10, "The bastion's role can read [DATABASE_URL] too".
describe("Bastion and secret values", () => {
  const stack = testStack("bastion");
  new Bastion(stack, "bastion", { ...base, protectedParameterPaths: ["/acme/"] });
  const json = synth(stack);
  const deny = policyStatements(json, "bastion/deny-secrets") as Array<{ sid: string; effect: string; actions: string[]; resources: string[]; condition?: unknown[] }>;
  const bySid = (sid: string) => deny.find((s) => s.sid === sid)!;

  it("denies reading the product's parameters although AmazonSSMManagedInstanceCore allows ssm:GetParameter*", () => {
    expect(bySid("DenyProductParameters")).toMatchObject({ effect: "Deny", actions: expect.arrayContaining(["ssm:GetParameter", "ssm:GetParametersByPath"]) });
    expect(bySid("DenyProductParameters").resources[0]).toMatch(/:ssm:\*:\*:parameter\/acme\/\*$/);
  });

  it("denies every Secrets Manager value and any kms:Decrypt through SSM or Secrets Manager", () => {
    expect(bySid("DenySecretValues")).toMatchObject({ effect: "Deny", actions: expect.arrayContaining(["secretsmanager:GetSecretValue"]), resources: ["*"] });
    expect(bySid("DenyDecryptThroughSecretStores")).toMatchObject({
      effect: "Deny",
      actions: ["kms:Decrypt"],
      condition: [{ test: "StringLike", variable: "kms:ViaService", values: ["ssm.*.amazonaws.com", "secretsmanager.*.amazonaws.com"] }],
    });
  });

  it("fails when a protected path is not a top-level SSM path", () => {
    expect(() => new Bastion(testStack("bastion"), "bastion", { ...base, protectedParameterPaths: ["acme"] })).toThrow(/protectedParameterPaths\[0\]: "acme"/);
  });
});
