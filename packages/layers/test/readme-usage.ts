import { App } from "cdktf";
import { buildEnvironment } from "@platform/layers";
import type { EnvironmentLayersConfig } from "@platform/layers";
declare const stagingConfig: EnvironmentLayersConfig; // apps/staging/src/config.ts

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
const app = new App();
buildEnvironment(app, stagingConfig);   // staging-network, staging-security, … staging-compute
