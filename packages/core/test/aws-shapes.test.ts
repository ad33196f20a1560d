import { describe, expect, it } from "vitest";
import {
  ARN_SHAPES,
  Validator,
  bucketNameProblem,
  checkEcsServiceReferences,
  checkKmsKeyArn,
  cidrContains,
  cidrPrefix,
  cidrSubnet,
  cidrsOverlap,
  isArnOf,
  isValidCidr,
  isValidIpv6Cidr,
  isValidNamePrefix,
  matchArn,
  parseArn,
  ssmParameterNameProblem,
} from "../src/index";

const issues = (run: (v: Validator) => void) => {
  const v = new Validator("x");
  run(v);
  try {
    v.throwIfAny();
    return "";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("ARNs", () => {
  it("accepts every partition and refuses others", () => {
    for (const partition of ["aws", "aws-cn", "aws-us-gov"]) {
      expect(isArnOf(ARN_SHAPES.kmsKey, `arn:${partition}:kms:cn-north-1:123456789012:key/abcd-1234`)).toBe(true);
    }
    expect(parseArn("arn:aws-iso:kms:us-iso-east-1:123456789012:key/abcd")).toBeUndefined();
    expect(parseArn("arn:aws:s3:::bucket")).toEqual({ partition: "aws", service: "s3", region: "", account: "", resource: "bucket" });
  });

  it("checks service, region, account and resource", () => {
    expect(matchArn(ARN_SHAPES.ecsService, "arn:aws:ecs:ap-northeast-1:123456789012:service/c/s")?.slice(1)).toEqual(["c", "s"]);
    expect(isArnOf(ARN_SHAPES.ecsService, "arn:aws:ecs:ap-northeast-1:123456789012:service/s")).toBe(false); // short format
    expect(isArnOf(ARN_SHAPES.ecsService, "arn:aws:ecs::123456789012:service/c/s")).toBe(false); // no region
    expect(isArnOf(ARN_SHAPES.iamPolicy, "arn:aws:iam::aws:policy/ReadOnlyAccess")).toBe(true);
    expect(isArnOf(ARN_SHAPES.iamCustomerPolicy, "arn:aws:iam::aws:policy/ReadOnlyAccess")).toBe(false);
    expect(isArnOf(ARN_SHAPES.iamPolicy, "arn:aws:iam:ap-northeast-1:123456789012:policy/x")).toBe(false); // IAM is global
    expect(isArnOf(ARN_SHAPES.secret, "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:db")).toBe(false); // no suffix
  });

  it("makes each KMS caller say whether an alias is accepted", () => {
    const alias = "arn:aws:kms:ap-northeast-1:123456789012:alias/logs";
    expect(issues((v) => checkKmsKeyArn(v, "k", alias, { aliases: true }))).toBe("");
    expect(issues((v) => checkKmsKeyArn(v, "k", alias, { aliases: false }))).toMatch(/x\.k: ".*alias\/logs" must be a KMS key ARN .*not an alias/);
  });
});

describe("names", () => {
  it("has one name-prefix rule: letter first, single hyphens, no trailing hyphen, not sg-", () => {
    for (const ok of ["a", "acme-staging", "acme2-prod"]) expect(isValidNamePrefix(ok)).toBe(true);
    for (const bad of ["", "1acme", "Acme", "acme-", "acme--x", "sg-acme", "acme_x"]) expect(isValidNamePrefix(bad)).toBe(false);
  });

  it("takes AWS's bucket rule: dots allowed, not adjacent, not IP-shaped, reserved affixes refused", () => {
    expect(bucketNameProblem("assets.example.com")).toBeUndefined();
    expect(bucketNameProblem("a..b")).toMatch(/two adjacent dots/);
    expect(bucketNameProblem("192.168.1.1")).toMatch(/IP address/);
    expect(bucketNameProblem("logs.mrap")).toMatch(/suffix S3 reserves/);
    expect(bucketNameProblem("Ab")).toMatch(/3-63/);
  });

  it("checks SSM parameter names", () => {
    expect(ssmParameterNameProblem("/acme/staging/DATABASE_URL")).toBeUndefined();
    expect(ssmParameterNameProblem("DATABASE_URL")).toMatch(/leading "\/"/);
    expect(ssmParameterNameProblem("/a//b")).toMatch(/single "\/"/);
    expect(ssmParameterNameProblem("/aws/x")).toMatch(/reserves/);
    expect(ssmParameterNameProblem(`/${Array(16).fill("a").join("/")}`)).toMatch(/15 levels/);
    expect(ssmParameterNameProblem("arn:aws:ssm:ap-northeast-1:123456789012:parameter/a")).toMatch(/is an ARN/);
  });
});

describe("ECS service references", () => {
  const arnOf = (c: string, s: string) => `arn:aws:ecs:ap-northeast-1:123456789012:service/${c}/${s}`;
  it("returns identities and reports a mismatched ARN and a service listed twice", () => {
    const v = new Validator("x");
    const ids = checkEcsServiceReferences(v, "services", {
      web: { clusterName: "c", serviceName: "web", serviceArn: arnOf("c", "web") },
      api: { clusterName: "c", serviceName: "api", serviceArn: arnOf("c", "worker") },
      again: { clusterName: "c", serviceName: "web" },
    });
    expect([...ids]).toEqual([["web", "c/web"], ["api", "c/worker"], ["again", "c/web"]]);
    expect(() => v.throwIfAny()).toThrow(/services\.api\.serviceArn: .* names service c\/worker, not c\/api[\s\S]*services\.again: "c\/web" is the same ECS service as services\.web/);
  });
});

describe("CIDRs (ip-address)", () => {
  it("accepts network addresses of both versions and refuses host bits", () => {
    expect(isValidCidr("10.0.0.0/16")).toBe(true);
    expect(isValidCidr("10.0.0.1/16")).toBe(false);
    expect(isValidCidr("2001:db8::/32")).toBe(false); // the IPv4 check
    expect(isValidIpv6Cidr("2001:db8::/32")).toBe(true);
    expect(isValidIpv6Cidr("2001:db8::1/32")).toBe(false);
    expect(isValidIpv6Cidr("::ffff:10.0.0.0/128")).toBe(false);
    expect(cidrPrefix("2001:db8::/48")).toBe(48);
  });

  it("computes overlap, containment and subnets in both versions", () => {
    expect(cidrsOverlap("2001:db8::/32", "2001:db8:ff::/48")).toBe(true);
    expect(cidrsOverlap("2001:db8::/32", "2001:db9::/32")).toBe(false);
    expect(cidrContains("2001:db8::/32", "2001:db8:1::/48")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/8", "::/0")).toBe(false); // versions never overlap
    expect(cidrSubnet("10.0.0.0/16", 8, 3)).toBe("10.0.3.0/24");
    expect(cidrSubnet("2001:db8::/56", 8, 255)).toBe("2001:db8:0:ff::/64");
  });
});
