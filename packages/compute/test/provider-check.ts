/**
 * Synthesizes the stacks of the real-provider check: one holding every compute example
 * (staging-like, prod-like, seed 004's single container, seed 000's two backends scaled) and one
 * with seed 000's rollback (scaling switched off):
 *
 *   node_modules/.bin/tsx packages/compute/test/provider-check.ts /tmp/compute-check
 *   node_modules/.bin/tsx scripts/tf-check/main.ts /tmp/compute-check --work-dir /tmp/compute-check-work
 */
import { EnvironmentStack } from "@platform/core";
import { testEnvironment } from "@platform/core/testing";
import { App } from "cdktf";
import { buildProdLikeExample, buildSingleContainerExample, buildStagingLikeExample, buildTwoBackendsExample } from "../examples/index";
import { CERTIFICATE_ARN, SINGLE_CONTAINER_REFS, TWO_BACKENDS_REFS, WEB_AND_API_REFS } from "./fixtures";

const outdir = process.argv[2];
if (!outdir) {
  console.error("usage: provider-check.ts <outdir>");
  process.exit(2);
}
const app = new App({ outdir, skipValidation: false });
const stack = new EnvironmentStack(app, { environment: testEnvironment({ region: "ap-northeast-1" }), layer: "compute-examples" });
buildStagingLikeExample(stack, { ...WEB_AND_API_REFS, namePrefix: "bookmark-manager-staging" });
buildProdLikeExample(stack, {
  ...WEB_AND_API_REFS,
  namePrefix: "bookmark-manager-prod",
  certificateArn: CERTIFICATE_ARN,
  accessLogsBucketName: "bookmark-manager-prod-alb-logs",
});
buildSingleContainerExample(stack, SINGLE_CONTAINER_REFS);
buildTwoBackendsExample(stack, TWO_BACKENDS_REFS);
const rollback = new EnvironmentStack(app, { environment: testEnvironment({ region: "ap-northeast-1" }), layer: "compute-rollback" });
buildTwoBackendsExample(rollback, TWO_BACKENDS_REFS, { autoScaling: false });
app.synth();
console.log(`${outdir}: ${stack.stackName}, ${rollback.stackName}`);
