import type { ConfigIssue } from "@platform/core";

/**
 * Constructs validate their own props and report on their construct path
 * (`staging-database/postgres.identifier`), for people who use them directly. A config user wrote
 * the value in `apps/<env>/src/config.ts`, so `buildEnvironment` reports it on the config path
 * (`staging.database.identifier`). The config's fields are the constructs' props (picked, see
 * environment-config.ts), so a prop maps to the config field of the same name; the table lists
 * the config section behind each construct of a layer stack, and the props the layers rename.
 */
interface ConfigHome {
  /** Config section the construct's props come from, e.g. `database`. */
  readonly section: string;
  /** Construct prop → config field, where the layer stack renames it. */
  readonly renamed?: Readonly<Record<string, string>>;
  /** Props the config sets under the same name; issues on other props keep their construct path. */
  readonly same: readonly string[];
}

const DATABASE_COMMON = [
  "engineVersion",
  "identifier",
  "databaseName",
  "masterUsername",
  "backupRetentionDays",
  "deletionProtection",
  "performanceInsightsRetentionDays",
  "logRetentionDays",
];

/** By `<layer>/<construct id>`. */
const HOMES: Readonly<Record<string, ConfigHome>> = {
  "network/network": {
    section: "network",
    same: ["vpcCidr", "natMode", "publicSubnetCidrs", "privateSubnetCidrs", "interfaceEndpoints", "interfaceEndpointAzCount", "flowLogs", "ipv6"],
  },
  "registry/repositories": { section: "registry", same: ["keepLastImages", "imageTagMutability", "forceDelete"] },
  "storage/assets": { section: "storage", renamed: { bucketName: "assetsBucketName" }, same: ["versioned", "lifecycle"] },
  "storage/alb-logs": { section: "storage.albAccessLogs", renamed: { logRetentionDays: "retentionDays" }, same: ["bucketName"] },
  "database/postgres": { section: "database", same: [...DATABASE_COMMON, "instanceClass", "allocatedStorageGiB", "maxAllocatedStorageGiB", "multiAz"] },
  "database/aurora": { section: "database", renamed: { "scaling.minAcu": "minAcu", "scaling.maxAcu": "maxAcu" }, same: DATABASE_COMMON },
  "monitoring/monitoring": { section: "monitoring", same: ["alarmEmails", "dashboard"] },
  "bastion/bastion": { section: "bastion", same: ["instanceType"] },
};

/** A service's FargateService: its props and its `app` container's. */
const SERVICE: Omit<ConfigHome, "section"> = {
  renamed: {
    "containers.app.environment": "environment",
    "containers.app.readonlyRootFilesystem": "readonlyRootFilesystem",
    "containers.app.image.tag": "imageTag",
    "loadBalancing.healthCheck": "healthCheck",
    "loadBalancing.containerPort": "port",
  },
  same: ["cpu", "memoryMiB", "cpuArchitecture", "healthCheckGraceSeconds", "desiredCount", "autoScaling", "capacityProviderStrategy"],
};

/** True when `field` is `prop` or lies below it (`prop.x`, `prop[0]`). */
function under(field: string, prop: string): boolean {
  return field === prop || field.startsWith(`${prop}.`) || field.startsWith(`${prop}[`);
}

/**
 * The issue on the config path that fed the construct, or unchanged when the construct or the
 * prop has no config home (a value the layer computed, not one the config wrote).
 */
export function onConfigPath(issue: ConfigIssue, environment: string, services: readonly string[]): ConfigIssue {
  const match = /^([^/.]+)\/([^/.]+)\.(.+)$/.exec(issue.field);
  if (!match || !match[1]!.startsWith(`${environment}-`)) return issue;
  const layer = match[1]!.slice(environment.length + 1);
  const [construct, field] = [match[2]!, match[3]!];
  const home: ConfigHome | undefined =
    layer === "compute" && services.includes(construct) ? { section: `compute.services.${construct}`, ...SERVICE } : HOMES[`${layer}/${construct}`];
  if (!home) return issue;
  const rename = Object.entries(home.renamed ?? {}).find(([prop]) => under(field, prop));
  if (rename) return { ...issue, field: `${environment}.${home.section}.${rename[1]}${field.slice(rename[0].length)}` };
  if (home.same.some((prop) => under(field, prop))) return { ...issue, field: `${environment}.${home.section}.${field}` };
  return issue;
}
