import { PostgresInstance } from "@platform/database";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;
declare const network: { privateSubnetIds: string[] };
declare const groups: { databaseSecurityGroupId: string };

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
export const db = new PostgresInstance(stack, "postgres", {
  namePrefix: "acme-staging",
  engineVersion: "17",
  databaseName: "app",
  instanceClass: "db.t4g.micro",
  allocatedStorageGiB: 20,
  backupRetentionDays: 7,
  databaseUrlParameterName: "/acme/staging/DATABASE_URL",
  subnetIds: network.privateSubnetIds,
  securityGroupIds: [groups.databaseSecurityGroupId],
});
