import {
  LOG_RETENTION_DAYS,
  REGION_AZ_LETTERS,
  Validator,
  cidrContains,
  checkKmsKeyArn,
  checkNamePrefix,
  cidrsOverlap,
  isKnown,
  isRegionName,
  isValidLogRetention,
  parseCidr,
  type Cidr,
} from "@platform/core";
import { NAT_MODES, type NetworkProps } from "./network-props";
import { MAX_PREFIX, MIN_PREFIX, azSlot, defaultSubnetPrefixLength, derivedSubnetCidr, slotsPerHalf } from "./subnet-layout";
import { INTERFACE_ENDPOINT_SERVICES, type InterfaceEndpointService, type S3GatewayEndpointMode } from "./vpc-endpoints";
import { FLOW_LOG_TRAFFIC_TYPES } from "./vpc-flow-logs";

const S3_MODES: readonly S3GatewayEndpointMode[] = ["none", "privateRouteTables", "allRouteTables"];

type Tier = "public" | "private";

/** Props resolved to literal values, after validation. */
export interface NetworkLayout {
  readonly availabilityZones: string[];
  readonly publicSubnetsEnabled: boolean;
  /** Public subnets are dual-stack. */
  readonly ipv6: boolean;
  /** One per AZ; empty without public subnets. */
  readonly publicSubnetCidrs: string[];
  readonly privateSubnetCidrs: string[];
  readonly interfaceEndpoints: InterfaceEndpointService[];
  readonly interfaceEndpointAzCount: number;
  readonly s3GatewayEndpoint: S3GatewayEndpointMode;
}

/**
 * Validates every prop of a Network, throwing one ConfigError that lists all problems
 * (prefixed with the construct path), and resolves defaults.
 */
export function resolveNetworkLayout(path: string, props: NetworkProps): NetworkLayout {
  const v = new Validator(path);
  const publicSubnetsEnabled = props.publicSubnetsEnabled ?? true;

  checkNamePrefix(v, props.namePrefix);
  const regionOk = v.check(
    isKnown(props.region) && isRegionName(props.region),
    "region",
    props.region,
    'must be a literal AWS region name, e.g. "ap-northeast-1".',
  );
  const { azs, ok: azsOk } = checkAvailabilityZones(v, props, regionOk);
  const vpc = checkVpcCidr(v, props.vpcCidr);

  v.check(NAT_MODES.includes(props.natMode), "natMode", props.natMode, `must be one of ${quoted(NAT_MODES)}.`);
  v.check(
    props.natMode === "none" || !NAT_MODES.includes(props.natMode) || publicSubnetsEnabled,
    "natMode",
    props.natMode,
    'needs public subnets (NAT gateways live in them); set publicSubnetsEnabled: true or natMode: "none".',
  );
  v.check(
    publicSubnetsEnabled || props.publicSubnetCidrs === undefined,
    "publicSubnetCidrs",
    props.publicSubnetCidrs,
    "is set but publicSubnetsEnabled is false; remove one of them.",
  );
  const ipv6 = checkIpv6(v, props, publicSubnetsEnabled);

  const tiers: Tier[] = publicSubnetsEnabled ? ["public", "private"] : ["private"];
  const cidrs = { public: [] as string[], private: [] as string[] };
  for (const tier of tiers) {
    const given = tier === "public" ? props.publicSubnetCidrs : props.privateSubnetCidrs;
    if (given !== undefined) cidrs[tier] = checkExplicitCidrs(v, `${tier}SubnetCidrs`, given, azs, vpc ? props.vpcCidr : undefined);
  }
  const derivedTiers = tiers.filter((t) => (t === "public" ? props.publicSubnetCidrs : props.privateSubnetCidrs) === undefined);
  const subnetPrefix = checkSubnetPrefix(v, props, vpc, azs, azsOk, derivedTiers.length > 0);
  if (vpc && subnetPrefix !== undefined) {
    for (const tier of derivedTiers) cidrs[tier] = azs.map((az) => derivedSubnetCidr(props.vpcCidr, subnetPrefix, az, tier));
  }
  checkNoOverlap(v, props, azs, cidrs);

  const services = checkEndpoints(v, props, azs.length);
  const s3GatewayEndpoint = checkS3Mode(v, props, publicSubnetsEnabled);
  checkFlowLogs(v, props);

  v.throwIfAny();
  return {
    availabilityZones: azs,
    publicSubnetsEnabled,
    ipv6,
    publicSubnetCidrs: cidrs.public,
    privateSubnetCidrs: cidrs.private,
    interfaceEndpoints: services,
    interfaceEndpointAzCount: props.interfaceEndpointAzCount ?? azs.length,
    s3GatewayEndpoint,
  };
}

function quoted(values: readonly string[]): string {
  return values.map((x) => `"${x}"`).join(", ");
}

/** IPv6 exists for the ALB, which lives in public subnets; without them it would serve nothing. */
function checkIpv6(v: Validator, props: NetworkProps, publicSubnetsEnabled: boolean): boolean {
  if (props.ipv6 === undefined) return false;
  if (!v.check(typeof props.ipv6 === "boolean", "ipv6", props.ipv6, "must be true or false (a literal, not a Terraform value).")) {
    return false;
  }
  v.check(
    !props.ipv6 || publicSubnetsEnabled,
    "ipv6",
    props.ipv6,
    "gives public subnets IPv6 for a dual-stack load balancer, but publicSubnetsEnabled is false; " +
      "set publicSubnetsEnabled: true or remove ipv6 (private subnets stay IPv4-only).",
  );
  return props.ipv6;
}

/** AZs become construct IDs and subnet slots, so they must be literal, unique and in the region. */
function checkAvailabilityZones(v: Validator, props: NetworkProps, regionOk: boolean): { azs: string[]; ok: boolean } {
  const list = isKnown(props.availabilityZones) && Array.isArray(props.availabilityZones) ? props.availabilityZones : [];
  let ok = v.check(
    list.length > 0,
    "availabilityZones",
    props.availabilityZones,
    'needs at least one literal AZ name (two for RDS and an ALB), e.g. ["ap-northeast-1a", "ap-northeast-1c"].',
  );
  const known = regionOk ? REGION_AZ_LETTERS[props.region] : undefined;
  const seen = new Set<string>();
  list.forEach((az, i) => {
    const field = `availabilityZones[${i}]`;
    ok = v.check(!seen.has(az), field, az, "is listed twice; list each AZ once.") && ok;
    seen.add(az);
    if (!regionOk) return;
    const letter = typeof az === "string" && az.startsWith(props.region) ? az.slice(props.region.length) : "";
    const inRegion = /^[a-z]$/.test(letter) && (!known || known.includes(letter));
    const choices = known ? known.map((l) => props.region + l).join(", ") : `${props.region}a, ${props.region}b, …`;
    ok = v.check(inRegion, field, az, `is not an AZ of region "${props.region}"; use one of ${choices}.`) && ok;
  });
  return { azs: [...list], ok };
}

function checkVpcCidr(v: Validator, vpcCidr: string): Cidr | undefined {
  const vpc = isKnown(vpcCidr) ? parseCidr(vpcCidr) : undefined;
  if (!v.check(vpc !== undefined, "vpcCidr", vpcCidr, 'must be a literal IPv4 CIDR with no host bits set, e.g. "10.0.0.0/16".')) {
    return undefined;
  }
  const sizeOk = v.check(
    vpc!.prefix >= MIN_PREFIX && vpc!.prefix <= MAX_PREFIX,
    "vpcCidr",
    vpcCidr,
    `has prefix /${vpc!.prefix}, but an AWS VPC must be /${MIN_PREFIX} to /${MAX_PREFIX}; use e.g. "10.0.0.0/16".`,
  );
  return sizeOk ? vpc : undefined;
}

/** Returns the list when every entry is usable, else an empty list (problems recorded). */
function checkExplicitCidrs(
  v: Validator,
  field: string,
  given: readonly string[],
  azs: readonly string[],
  vpcCidr: string | undefined,
): string[] {
  if (!v.check(isKnown(given) && Array.isArray(given), field, given, "must be a literal list of CIDRs, one per AZ.")) return [];
  let ok = v.check(
    given.length === azs.length,
    field,
    given,
    `has ${given.length} CIDR(s) for ${azs.length} AZ(s); give exactly one per entry of availabilityZones, in the same order.`,
  );
  given.forEach((cidr, i) => {
    const at = `${field}[${i}]`;
    const parsed = isKnown(cidr) ? parseCidr(cidr) : undefined;
    if (!v.check(parsed !== undefined, at, cidr, 'must be a literal IPv4 CIDR with no host bits set, e.g. "10.0.1.0/24".')) {
      ok = false;
      return;
    }
    ok =
      v.check(
        parsed!.prefix >= MIN_PREFIX && parsed!.prefix <= MAX_PREFIX,
        at,
        cidr,
        `has prefix /${parsed!.prefix}, but an AWS subnet must be /${MIN_PREFIX} to /${MAX_PREFIX}.`,
      ) && ok;
    if (vpcCidr !== undefined) {
      ok = v.check(cidrContains(vpcCidr, cidr), at, cidr, `lies outside vpcCidr ${vpcCidr}; pick a block inside it.`) && ok;
    }
  });
  return ok ? [...given] : [];
}

/** The size of derived subnets, or undefined when nothing is derived or they do not fit. */
function checkSubnetPrefix(
  v: Validator,
  props: NetworkProps,
  vpc: Cidr | undefined,
  azs: readonly string[],
  azsOk: boolean,
  deriving: boolean,
): number | undefined {
  if (!vpc) return undefined;
  const explicit = props.subnetPrefixLength;
  if (
    explicit !== undefined &&
    !v.check(
      Number.isInteger(explicit) && explicit > vpc.prefix && explicit <= MAX_PREFIX,
      "subnetPrefixLength",
      explicit,
      `must be a whole number from ${vpc.prefix + 1} to ${MAX_PREFIX} (inside the /${vpc.prefix} VPC, within AWS's /${MAX_PREFIX} smallest subnet).`,
    )
  ) {
    return undefined;
  }
  if (!deriving || !azsOk) return undefined;
  const prefix = explicit ?? defaultSubnetPrefixLength(vpc.prefix);
  const half = prefix <= MAX_PREFIX ? slotsPerHalf(vpc.prefix, prefix) : 0;
  const outside = azs.filter((az) => azSlot(az) >= half);
  const why =
    prefix > MAX_PREFIX
      ? `derived subnets would be /${prefix}, smaller than AWS's /${MAX_PREFIX} minimum`
      : `/${prefix} subnets leave ${half} slot(s) per tier (AZ letters a–${String.fromCharCode(96 + half)}), so ${outside.join(", ")} do not fit`;
  const fits = v.check(
    outside.length === 0 && prefix <= MAX_PREFIX,
    explicit === undefined ? "vpcCidr" : "subnetPrefixLength",
    explicit ?? props.vpcCidr,
    `is too small for the derived subnets: ${why}; use a larger vpcCidr` +
      `${explicit === undefined ? "" : " or a smaller subnetPrefixLength"}, or give publicSubnetCidrs and privateSubnetCidrs.`,
  );
  return fits ? prefix : undefined;
}

/** Derived blocks never overlap each other; explicit ones may overlap anything. */
function checkNoOverlap(v: Validator, props: NetworkProps, azs: readonly string[], cidrs: Record<Tier, string[]>): void {
  const label = (tier: Tier, i: number): { field: string; explicit: boolean } => {
    const explicit = (tier === "public" ? props.publicSubnetCidrs : props.privateSubnetCidrs) !== undefined;
    return { field: explicit ? `${tier}SubnetCidrs[${i}]` : `derived ${tier} subnet of ${azs[i]}`, explicit };
  };
  const all = (["public", "private"] as const).flatMap((tier) => cidrs[tier].map((cidr, i) => ({ cidr, ...label(tier, i) })));
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (!cidrsOverlap(all[i]!.cidr, all[j]!.cidr)) continue;
      // Report on an explicit entry: that is what the user can change.
      const [mine, other] = all[j]!.explicit ? [all[j]!, all[i]!] : [all[i]!, all[j]!];
      v.fail(mine.field, mine.cidr, `overlaps ${other.field} (${other.cidr}); subnets must not share addresses, pick another block.`);
    }
  }
}

function checkEndpoints(v: Validator, props: NetworkProps, azCount: number): InterfaceEndpointService[] {
  const services = props.interfaceEndpoints ?? [];
  const seen = new Set<string>();
  services.forEach((service, i) => {
    const field = `interfaceEndpoints[${i}]`;
    v.check(
      INTERFACE_ENDPOINT_SERVICES.includes(service),
      field,
      service,
      `is not a supported endpoint service; use one of ${quoted(INTERFACE_ENDPOINT_SERVICES)}.`,
    );
    v.check(!seen.has(service), field, service, "is listed twice; list each service once.");
    seen.add(service);
  });
  const count = props.interfaceEndpointAzCount;
  if (count !== undefined) {
    v.check(
      Number.isInteger(count) && count >= 1 && count <= Math.max(azCount, 1),
      "interfaceEndpointAzCount",
      count,
      `must be a whole number from 1 to the number of AZs (${azCount}).`,
    );
  }
  return [...services];
}

function checkS3Mode(v: Validator, props: NetworkProps, publicSubnetsEnabled: boolean): S3GatewayEndpointMode {
  const mode = props.s3GatewayEndpoint ?? (publicSubnetsEnabled ? "allRouteTables" : "privateRouteTables");
  if (v.check(S3_MODES.includes(mode), "s3GatewayEndpoint", mode, `must be one of ${quoted(S3_MODES)}.`)) {
    v.check(
      publicSubnetsEnabled || mode !== "allRouteTables",
      "s3GatewayEndpoint",
      mode,
      'asks for public route tables, but publicSubnetsEnabled is false; use "privateRouteTables".',
    );
  }
  return mode;
}

function checkFlowLogs(v: Validator, props: NetworkProps): void {
  const flow = props.flowLogs;
  if (!flow) return;
  if (isKnown(flow.logRetentionDays)) {
    v.check(
      isValidLogRetention(flow.logRetentionDays!),
      "flowLogs.logRetentionDays",
      flow.logRetentionDays,
      `is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}.`,
    );
  }
  if (flow.trafficType !== undefined) {
    v.check(
      FLOW_LOG_TRAFFIC_TYPES.includes(flow.trafficType),
      "flowLogs.trafficType",
      flow.trafficType,
      `must be one of ${quoted(FLOW_LOG_TRAFFIC_TYPES)}.`,
    );
  }
  if (flow.maxAggregationIntervalSeconds !== undefined) {
    v.check(
      flow.maxAggregationIntervalSeconds === 60 || flow.maxAggregationIntervalSeconds === 600,
      "flowLogs.maxAggregationIntervalSeconds",
      flow.maxAggregationIntervalSeconds,
      "must be 60 or 600.",
    );
  }
  // CloudWatch Logs associates the key itself with the log group: no alias.
  if (flow.kmsKeyArn !== undefined) checkKmsKeyArn(v, "flowLogs.kmsKeyArn", flow.kmsKeyArn, { aliases: false });
}
