/**
 * Mock values for cross-stack inputs in offline plans (the Terragrunt `mock_outputs` idea,
 * derived instead of hand-written): a producer stack is planned first, its planned outputs
 * are kept where known, and unknown ones are filled with values of the right type and
 * shape, guided by the provider schema of the attribute the output points at.
 */

import { arn, awsContextOf } from "@platform/core/aws-shapes";

type SchemaType = string | [string, SchemaType] | ["object", Record<string, SchemaType>] | ["tuple", SchemaType[]];

interface SchemaBlock {
  attributes?: Record<string, { type?: SchemaType }>;
  block_types?: Record<string, { block: SchemaBlock; nesting_mode: string }>;
}

export interface ProviderSchema {
  readonly resources: Record<string, { block: SchemaBlock }>;
}

export interface OutputChange {
  readonly after?: unknown;
  readonly after_unknown?: unknown;
}

const ACCOUNT = "123456789012";

/** Parses `${aws_x.name.attr[0].sub}` into the resource type and the attribute path. */
export function parseReference(expression: unknown): { type: string; path: string[] } | undefined {
  if (typeof expression !== "string") return undefined;
  const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.[a-z0-9_]+|\[\d+\])+)\}$/.exec(expression);
  if (!match) return undefined;
  const path = match[3]!.split(/\.|\[\d+\]/).filter(Boolean);
  return { type: match[1]!, path };
}

/** The schema type of `path` within a resource type, when the schema knows it. */
export function attributeType(schema: ProviderSchema, type: string, path: readonly string[]): SchemaType | undefined {
  let block: SchemaBlock | undefined = schema.resources[type]?.block;
  for (let i = 0; i < path.length && block; i++) {
    const name = path[i]!;
    const attribute = block.attributes?.[name];
    if (attribute?.type !== undefined) {
      let t: SchemaType = attribute.type;
      for (const rest of path.slice(i + 1)) {
        // Indexes were dropped from the path, so unwrap collections before reading a field.
        while (Array.isArray(t) && (t[0] === "list" || t[0] === "set" || t[0] === "map")) t = t[1] as SchemaType;
        t = Array.isArray(t) && t[0] === "object" ? ((t[1] as Record<string, SchemaType>)[rest] ?? "string") : "string";
      }
      return t;
    }
    block = block.block_types?.[name]?.block;
  }
  return undefined;
}

/**
 * A plausible value for an attribute of a resource type, shaped like what AWS returns. With a
 * `token` (lowercase letters and digits), every shape holds that token verbatim instead of the
 * seed-derived parts, so the value can be recognized wherever it ends up.
 */
export function mockScalar(resourceType: string, attribute: string, seed: string, region: string, token?: string): string {
  const short = token ?? (seed.replace(/[^a-z0-9]/gi, "").slice(-12).toLowerCase() || "mock");
  const hex17 = token ?? Buffer.from(seed).toString("hex").padEnd(17, "0").slice(0, 17);
  const hex = (length: number) => token ?? hex17.slice(0, length);
  const service = resourceType.replace(/^aws_/, "").split("_")[0] ?? "mock";
  if (attribute === "arn" || attribute.endsWith("_arn") || (attribute === "id" && resourceType === "aws_ecs_service")) {
    const at = (service: string, resource: string) => arn(awsContextOf({ region, accountId: ACCOUNT }), { service, resource });
    switch (resourceType) {
      case "aws_iam_role":
        return arn(awsContextOf({ region, accountId: ACCOUNT }), { service: "iam", region: "", resource: `role/${short}` });
      case "aws_lb":
        return at("elasticloadbalancing", `loadbalancer/app/${short}/${hex(16)}`);
      case "aws_lb_target_group":
        return at("elasticloadbalancing", `targetgroup/${short}/${hex(16)}`);
      case "aws_security_group":
        return at("ec2", `security-group/sg-${hex17}`);
      case "aws_ecs_service":
        return at("ecs", `service/${short}/${short}`);
      case "aws_ssm_parameter":
        return at("ssm", `parameter/${short}`);
      case "aws_acm_certificate":
      case "aws_acm_certificate_validation":
        return at("acm", `certificate/00000000-0000-4000-8000-${hex(12)}`);
      default:
        return at(service, `${service}/${short}`);
    }
  }
  if (attribute === "arn_suffix") return `app/${short}/${hex(16)}`;
  if (attribute === "dns_name") return `${short}-123456.${region}.elb.amazonaws.com`;
  if (attribute === "zone_id") return token ? `Z${token}` : "Z0123456789ABCDEFGHIJ";
  if (attribute === "repository_url") return `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${short}`;
  if (attribute === "endpoint" || attribute === "reader_endpoint" || attribute === "address") {
    return `${short}.cluster-abcdefghijkl.${region}.rds.amazonaws.com`;
  }
  if (attribute === "id") {
    const prefixes: Record<string, string> = {
      aws_vpc: "vpc",
      aws_subnet: "subnet",
      aws_security_group: "sg",
      aws_route_table: "rtb",
      aws_internet_gateway: "igw",
      aws_nat_gateway: "nat",
      aws_instance: "i",
      aws_efs_file_system: "fs",
      aws_efs_access_point: "fsap",
      aws_kms_key: "00000000-0000-4000-8000",
    };
    const prefix = prefixes[resourceType];
    if (prefix) return `${prefix}-${hex17}`;
    if (resourceType === "aws_route53_zone") return token ? `Z${token}` : "Z0123456789ABCDEFGHIJ";
  }
  return `mock-${short}`;
}

function mockOfType(type: SchemaType | undefined, make: () => string): unknown {
  if (type === undefined || type === "string" || type === "dynamic") return make();
  if (type === "number") return 1;
  if (type === "bool") return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === "list" || kind === "set") return [mockOfType(inner as SchemaType, make), mockOfType(inner as SchemaType, make)];
    if (kind === "map") return { mock: mockOfType(inner as SchemaType, make) };
    if (kind === "object") {
      return Object.fromEntries(
        Object.entries(inner as Record<string, SchemaType>).map(([k, t]) => [k, mockOfType(t, make)]),
      );
    }
  }
  return make();
}

/** Fills the unknown parts of a planned output value with mocks. */
export function fillUnknown(
  after: unknown,
  unknown: unknown,
  type: SchemaType | undefined,
  make: () => string,
): unknown {
  if (unknown === true) return mockOfType(type, make);
  if (Array.isArray(after) && Array.isArray(unknown)) {
    const inner = Array.isArray(type) ? (type[1] as SchemaType) : undefined;
    return after.map((v, i) => fillUnknown(v, unknown[i], inner, make));
  }
  if (after && typeof after === "object" && unknown && typeof unknown === "object") {
    return Object.fromEntries(
      Object.entries(after as Record<string, unknown>).map(([k, v]) => [
        k,
        fillUnknown(v, (unknown as Record<string, unknown>)[k], undefined, make),
      ]),
    );
  }
  return after;
}

/** The Terraform type constraint of a JSON value, as a state file records it. */
export function typeOfValue(value: unknown): unknown {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return ["tuple", value.map(typeOfValue)];
  if (value && typeof value === "object") {
    return ["object", Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeOfValue(v)]))];
  }
  return "string";
}

/**
 * A state file (format 4) holding only outputs, which a `terraform_remote_state` with the
 * local backend reads exactly as it would read the producer's real state.
 */
export function mockStateFile(outputs: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    {
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "00000000-0000-4000-8000-000000000000",
      outputs: Object.fromEntries(
        Object.entries(outputs).map(([name, value]) => [name, { value, type: typeOfValue(value) }]),
      ),
      resources: [],
      check_results: null,
    },
    null,
    2,
  );
}

/**
 * Mock outputs of a producer stack from its plan's `output_changes` and its own
 * `cdk.tf.json` (to know which resource attribute each output points at). `token(output, n)`,
 * when given, names the n-th unknown string of an output (see `mockScalar`).
 */
export function mockOutputs(
  outputChanges: Readonly<Record<string, OutputChange>>,
  producerOutputs: Readonly<Record<string, { value: unknown }>>,
  schema: ProviderSchema,
  region: string,
  token?: (output: string, n: number) => string,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, change] of Object.entries(outputChanges)) {
    const reference = parseReference(producerOutputs[name]?.value);
    const type = reference ? attributeType(schema, reference.type, reference.path) : undefined;
    const attribute = reference?.path.filter((p) => !/^\d+$/.test(p)).at(-1) ?? name;
    let n = 0;
    const make = () => {
      const k = n++;
      return mockScalar(reference?.type ?? "", attribute, `${name}${k || ""}`, region, token?.(name, k));
    };
    result[name] = fillUnknown(change.after, change.after_unknown, type, make);
  }
  return result;
}
