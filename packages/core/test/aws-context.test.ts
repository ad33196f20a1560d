import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { type App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { EnvironmentStack, arn, awsContext, awsManagedPolicyArn, partitionOf } from "../src/index";
import { environmentOutputs, synthesizeContract, testEnvironment, unexplainedEdges } from "../src/testing";

describe("awsContext", () => {
  it("gives a construct its stack's region, partition and account from the environment config", () => {
    const stack = new EnvironmentStack(Testing.app(), {
      environment: testEnvironment({ region: "eu-west-1", accountId: "210987654321" }),
      layer: "unit",
    });
    const nested = new Construct(new Construct(stack, "outer"), "inner");
    expect(awsContext(nested)).toEqual({ region: "eu-west-1", partition: "aws", accountId: "210987654321" });
  });

  it("fails, naming the construct, outside an EnvironmentStack (no lookup to fall back on)", () => {
    const plain = new TerraformStack(Testing.app(), "plain");
    expect(() => awsContext(new Construct(plain, "thing"))).toThrow(/plain\/thing needs the AWS region, partition and account.*EnvironmentStack/);
  });

  it("maps regions to ARN partitions", () => {
    expect(partitionOf("ap-northeast-1")).toBe("aws");
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-east-1")).toBe("aws-us-gov");
  });

  it("builds ARNs in the context's partition, region and account unless a field is overridden", () => {
    const ctx = { region: "cn-north-1", partition: "aws-cn", accountId: "123456789012" };
    expect(arn(ctx, { service: "ssm", resource: "parameter/acme/prod/DATABASE_URL" })).toBe(
      "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/acme/prod/DATABASE_URL",
    );
    expect(arn(ctx, { service: "s3", region: "", account: "", resource: "bucket" })).toBe("arn:aws-cn:s3:::bucket");
    expect(awsManagedPolicyArn(ctx, "ReadOnlyAccess")).toBe("arn:aws-cn:iam::aws:policy/ReadOnlyAccess");
  });
});

describe("cross-stack contract checks", () => {
  /** A producer and a consumer; `wire` connects them the way a test wants to. */
  function twoStacks(wire: (producer: EnvironmentStack, consumer: EnvironmentStack) => void) {
    return synthesizeContract((app: App) => {
      const environment = testEnvironment();
      const producer = new EnvironmentStack(app, { environment, layer: "producer" });
      const consumer = new EnvironmentStack(app, { environment, layer: "consumer" });
      wire(producer, consumer);
    });
  }

  it("flags a region read from another stack's state", () => {
    const result = twoStacks((producer, consumer) => {
      const region = new DataAwsRegion(producer, "region");
      new SsmParameter(consumer, "p", { name: "/x", type: "String", value: region.name });
    });
    expect(result.contract.outputs).toEqual([
      expect.objectContaining({ producer: "test-producer", consumers: ["test-consumer"], value: expect.stringMatching(/^data\.aws_region\./) }),
    ]);
    expect(environmentOutputs(result.contract)).toHaveLength(1);
    expect(result.dataSourceTypes["test-producer"]).toEqual(["aws_region"]);
    expect(unexplainedEdges(result)).toEqual([]);
  });

  it("flags an ordering that is neither an output read nor declared, and accepts a declared one", () => {
    const undeclared = twoStacks((producer, consumer) => consumer.addDependency(producer));
    expect(unexplainedEdges(undeclared)).toEqual([{ consumer: "test-consumer", producer: "test-producer" }]);

    const declared = twoStacks((producer, consumer) => consumer.declareDependency(producer, "needs what the producer writes"));
    expect(declared.manifestEdges).toEqual([{ consumer: "test-consumer", producer: "test-producer" }]);
    expect(declared.contract.dependencies).toEqual([
      { consumer: "test-consumer", producer: "test-producer", reason: "needs what the producer writes" },
    ]);
    expect(unexplainedEdges(declared)).toEqual([]);
  });

  it("refuses a declared dependency without a reason", () => {
    expect(() => twoStacks((producer, consumer) => consumer.declareDependency(producer, " "))).toThrow(/say why the order matters/);
  });
});
