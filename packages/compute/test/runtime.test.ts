import { listResources, policyStatements, resourceAt, synth, testStack } from "@platform/core/testing";
import { describe, expect, it } from "vitest";
import { ServiceTraffic } from "../src/service-traffic";
import { withDatadog, withSentry } from "../src/sidecars";
import { FargateService, NETWORK, containerDefinitions, errorOf, repository, serviceProps } from "./fixtures";

const BUCKET = { bucketName: "acme-test-assets", bucketArn: "arn:aws:s3:::acme-test-assets" };
const app = { image: { ...repository("acme-web"), tag: "v1.0.0" }, ports: { http: 3000 } };

describe("task grants", () => {
  it("creates no task role when nothing is granted", () => {
    const stack = testStack("compute");
    new FargateService(stack, "web", serviceProps());
    expect(listResources(synth(stack), "aws_iam_role").map((r) => r.name)).toEqual(["acme-test-web-execution"]);
  });

  it("read: lists the bucket and gets its objects, nothing else; the name reaches essential containers only", () => {
    const stack = testStack("compute");
    const containers = withDatadog({ web: app }, "web", { apiKeySecretName: "/acme/test/DD", tags: { env: "test", service: "web", version: "v1.0.0" } });
    new FargateService(stack, "web", serviceProps({ containers, loadBalancing: { containerName: "web", containerPort: 3000 }, grants: { bucket: { ...BUCKET, access: "read" } } }));
    const json = synth(stack);
    expect(policyStatements(json, "web/task-role/permissions")).toEqual([
      { sid: "BucketList", actions: ["s3:ListBucket"], resources: [BUCKET.bucketArn] },
      { sid: "BucketRead", actions: ["s3:GetObject"], resources: [`${BUCKET.bucketArn}/*`] },
    ]);
    const [web, agent] = containerDefinitions(json, "web/task-definition");
    expect(web!.environment).toContainEqual({ name: "ASSETS_BUCKET", value: "acme-test-assets" });
    expect(agent!.environment.map((e: { name: string }) => e.name)).not.toContain("ASSETS_BUCKET");
  });

  it("read-write adds put, delete and multipart abort on objects; parameters, paths and named secrets are scoped exactly", () => {
    const stack = testStack("compute");
    const kms = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555";
    new FargateService(
      stack,
      "web",
      serviceProps({
        grants: {
          bucket: { ...BUCKET, access: "read-write", environmentVariable: "UPLOADS_BUCKET" },
          parameterArns: ["arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/test/flags", "arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/test/app/*"],
          secretNames: ["/acme/test/PARTNER_TOKEN"],
          kmsKeyArns: [kms],
        },
      }),
    );
    const json = synth(stack);
    const bySid = Object.fromEntries(policyStatements(json, "web/task-role/permissions").map((s) => [s.sid, s]));
    expect(bySid.BucketWrite!.actions).toEqual(["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"]);
    expect(bySid.ReadParameterPaths!.resources).toEqual(["arn:aws:ssm:ap-northeast-1:123456789012:parameter/acme/test/app"]);
    expect(bySid.ReadSecrets!.resources).toEqual(["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/acme/test/PARTNER_TOKEN-??????"]);
    expect(bySid.DecryptGrantedSecrets!.resources).toEqual([kms]);
    const [web] = containerDefinitions(json, "web/task-definition");
    expect(web!.environment).toContainEqual({ name: "UPLOADS_BUCKET", value: "acme-test-assets" });
  });

  it("refuses a secret ARN where a name belongs, and a parameter grant that is not an ARN", () => {
    const message = errorOf(() =>
      new FargateService(testStack("compute"), "web", serviceProps({ grants: { secretNames: ["arn:aws:secretsmanager:x"], parameterArns: ["/acme/test/flags"] } })),
    );
    expect(message).toMatch(/grants\.parameterArns: "\/acme\/test\/flags" must be an SSM parameter ARN/);
    expect(message).toMatch(/grants\.secretNames: "arn:aws:secretsmanager:x" must be a Secrets Manager secret name, not an ARN/);
  });
});

describe("several containers per task", () => {
  it("refuses a task whose containers are all sidecars (no essential container)", () => {
    const message = errorOf(() => new FargateService(testStack("compute"), "web", serviceProps({ containers: { web: { ...app, essential: false } } })));
    expect(message).toMatch(/containers: \["web"\] has no essential container/);
  });

  it("refuses waiting for an unknown container, HEALTHY on a container without a health check, and routed logs without a router", () => {
    const message = errorOf(
      () =>
        new FargateService(
          testStack("compute"),
          "web",
          serviceProps({
            containers: {
              web: { ...app, dependsOn: { proxy: "HEALTHY", cache: "START" }, logRouting: { options: { Name: "datadog" } } },
              proxy: { image: { repositoryUrl: "public.ecr.aws/nginx/nginx", tag: "1.27.3" }, essential: false },
            },
            loadBalancing: { containerName: "web", containerPort: 3000 },
          }),
        ),
    );
    expect(message).toMatch(/containers\.web\.dependsOn\.proxy: "HEALTHY" waits for "proxy" to be healthy, but it has no healthCheck/);
    expect(message).toMatch(/containers\.web\.dependsOn\.cache: "cache" must name another container/);
    expect(message).toMatch(/containers\.web\.logRouting: .* needs another container of the task with firelensLogRouter: true/);
  });

  it("writes start ordering, UDP ports and the FireLens routing of the Datadog sidecars, with Sentry's DSN by name", () => {
    const stack = testStack("compute");
    const containers = withDatadog({ web: withSentry(app, { dsnSecretName: "/acme/test/SENTRY_DSN", environment: "test", release: "v1.0.0" }) }, "web", {
      apiKeySecretName: "/acme/test/DD",
      tags: { env: "test", service: "web", version: "v1.0.0" },
      logs: true,
    });
    new FargateService(stack, "web", serviceProps({ containers, loadBalancing: { containerName: "web", containerPort: 3000 } }));
    const json = synth(stack);
    const [web, agent, router] = containerDefinitions(json, "web/task-definition");
    expect(web!.dependsOn).toEqual([
      { containerName: "datadog-agent", condition: "START" },
      { containerName: "log-router", condition: "START" },
    ]);
    expect(web!.secrets).toEqual([{ name: "SENTRY_DSN", valueFrom: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/acme/test/SENTRY_DSN" }]);
    expect(agent!.portMappings.map((p: { containerPort: number; protocol: string }) => [p.containerPort, p.protocol])).toEqual([[8126, "tcp"], [8125, "udp"]]);
    expect(router!.firelensConfiguration).toEqual({ type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } });
    expect(web!.logConfiguration.logDriver).toBe("awsfirelens");
    // Public images: no ECR pull grant beyond the app's repository; named secrets with their random suffix.
    const exec = Object.fromEntries(policyStatements(json, "web/execution-role/permissions").map((s) => [s.sid, s]));
    expect(exec.EcrPull!.resources).toEqual([repository("acme-web").repositoryArn]);
    expect(exec.ReadSecrets!.resources).toEqual([
      "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/acme/test/SENTRY_DSN-??????",
      "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/acme/test/DD-??????",
    ]);
  });
});

describe("ServiceTraffic", () => {
  it("refuses a call to an undeclared service and bad egress, listing every problem", () => {
    const message = errorOf(
      () =>
        new ServiceTraffic(testStack("compute"), "traffic", {
          namePrefix: "acme-test",
          vpcId: NETWORK.vpcId,
          services: { api: { port: 3000, portName: "http", calls: ["ai"], egress: { atlas: { cidrs: ["10.0.0.0/33"], port: 27017 } } } },
        }),
    );
    expect(message).toMatch(/services\.api\.calls\[0\]: "ai" is not a service of this environment/);
    expect(message).toMatch(/services\.api\.egress\.atlas\.cidrs\[0\]: "10\.0\.0\.0\/33" is not a network in CIDR form/);
  });

  it("creates nothing when no service calls another or has its own egress", () => {
    const stack = testStack("compute");
    new ServiceTraffic(stack, "traffic", { namePrefix: "acme-test", vpcId: NETWORK.vpcId, services: { web: { port: 3000, portName: "http" } } });
    expect(Object.keys(synth(stack).resource ?? {})).toEqual([]);
  });

  it("publishes only callees, and gives callers client-only Service Connect", () => {
    const stack = testStack("compute");
    const traffic = new ServiceTraffic(stack, "traffic", {
      namePrefix: "acme-test",
      vpcId: NETWORK.vpcId,
      services: { web: { port: 3000, portName: "http" }, api: { port: 8080, portName: "http", calls: ["ai"] }, ai: { port: 8000, portName: "http" } },
    });
    expect(traffic.serviceConnectOf("web")).toBeUndefined();
    expect(traffic.securityGroupIdsOf("web")).toEqual([]);
    expect(traffic.serviceConnectOf("api")?.publish).toBeUndefined();
    expect(traffic.serviceConnectOf("ai")?.publish).toEqual({ portName: "http", discoveryName: "ai", port: 8000 });
    const json = synth(stack);
    expect(resourceAt(json, "aws_service_discovery_http_namespace", "traffic/namespace").name).toBe("acme-test");
    expect(listResources(json, "aws_security_group").map((g) => g.name).sort()).toEqual(["acme-test-ai-task", "acme-test-api-task"]);
  });
});
