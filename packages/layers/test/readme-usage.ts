import { App } from "cdktf";
import { buildEnvironment } from "@platform/layers";
import type { EnvironmentPlan } from "@platform/layers";
declare const stagingConfig: EnvironmentPlan; // apps/staging/src/config.ts

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
const app = new App();
buildEnvironment(app, stagingConfig);   // staging-network, staging-security, … staging-compute
