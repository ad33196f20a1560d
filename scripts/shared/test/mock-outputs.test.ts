import { describe, expect, it } from "vitest";
import { attributeType, fillUnknown, mockOutputs, mockStateFile, parseReference, type ProviderSchema } from "../mock-outputs";

const schema: ProviderSchema = {
  resources: {
    aws_route53_zone: { block: { attributes: { zone_id: { type: "string" }, name_servers: { type: ["list", "string"] } } } },
    aws_db_instance: {
      block: {
        attributes: { port: { type: "number" } },
        block_types: {},
      },
    },
    aws_rds_cluster: {
      block: {
        attributes: { master_user_secret: { type: ["list", ["object", { secret_arn: "string", kms_key_id: "string" }]] } },
      },
    },
  },
};

describe("mock outputs for offline plans", () => {
  it("parses the resource type and attribute path an output points at", () => {
    expect(parseReference("${aws_rds_cluster.db_cluster_1234ABCD.master_user_secret[0].secret_arn}")).toEqual({
      type: "aws_rds_cluster",
      path: ["master_user_secret", "secret_arn"],
    });
    expect(parseReference("${var.x} and more")).toBeUndefined();
  });

  it("finds attribute types through nested object types", () => {
    expect(attributeType(schema, "aws_route53_zone", ["name_servers"])).toEqual(["list", "string"]);
    expect(attributeType(schema, "aws_rds_cluster", ["master_user_secret", "secret_arn"])).toBe("string");
  });

  it("keeps known values and fills unknown ones with values of the schema's type and AWS's shape", () => {
    const outputs = mockOutputs(
      {
        zone: { after: null, after_unknown: true },
        servers: { after: null, after_unknown: true },
        port: { after: null, after_unknown: true },
        name: { after: "bookmark-manager-prod", after_unknown: false },
        pair: { after: [null, "x"], after_unknown: [true, false] },
      },
      {
        zone: { value: "${aws_route53_zone.zone_1.zone_id}" },
        servers: { value: "${aws_route53_zone.zone_1.name_servers}" },
        port: { value: "${aws_db_instance.db_1.port}" },
        name: { value: "${aws_ecs_cluster.c.name}" },
        pair: { value: "${[aws_subnet.a.id, aws_subnet.b.id]}" },
      },
      schema,
      "ap-northeast-1",
    );
    expect(outputs.zone).toBe("Z0123456789ABCDEFGHIJ");
    expect(outputs.servers).toEqual([expect.any(String), expect.any(String)]);
    expect(outputs.port).toBe(1);
    expect(outputs.name).toBe("bookmark-manager-prod");
    expect((outputs.pair as string[])[1]).toBe("x");
  });

  it("fills unknown ARNs with valid ARN shapes", () => {
    const make = () => "arn:aws:iam::123456789012:role/x";
    expect(fillUnknown(null, true, "string", make)).toMatch(/^arn:aws:/);
  });

  it("writes a state file whose outputs carry their types", () => {
    const state = JSON.parse(mockStateFile({ a: "x", b: ["y"], c: 3 })) as { version: number; outputs: Record<string, { type: unknown }> };
    expect(state.version).toBe(4);
    expect(state.outputs.a!.type).toBe("string");
    expect(state.outputs.b!.type).toEqual(["tuple", ["string"]]);
    expect(state.outputs.c!.type).toBe("number");
  });
});
