import { App } from "cdktf";
import { EnvironmentStack, defineEnvironment } from "@platform/core";

// README usage (the README shows the lines after this marker, imports first; scripts/shared/test/docs-links.test.ts checks)
const app = new App();
const environment = defineEnvironment({ project: "acme", name: "staging", region: "ap-northeast-1", accountId: "123456789012", state: { bucket: "acme-terraform-state", lockTable: "acme-terraform-locks" } });
export const network = new EnvironmentStack(app, { environment, layer: "network" }); // stack "staging-network"
