import { AssetBucket } from "@platform/storage";
import type { TerraformStack } from "cdktf";
declare const stack: TerraformStack;

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
new AssetBucket(stack, "assets", {
  namePrefix: "acme-prod",
  versioned: true,
  lifecycle: { transitionToInfrequentAccessDays: 180, expirationDays: 730 },
  cors: { allowedOrigins: ["https://example.com"] },
});
