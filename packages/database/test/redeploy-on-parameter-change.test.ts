import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { ConfigError } from "@platform/core";
import { listResources, onlyResource, policyStatements, resourcesOf, synth, testStack } from "@platform/core/testing";
import { mockClient } from "aws-sdk-client-mock";
import { TerraformOutput } from "cdktf";
import { beforeEach, describe, expect, it } from "vitest";
import { parseRedeployConfig, type RedeployConfig } from "../src/handlers/redeploy-config";
import {
  RedeployError,
  createHandler,
  redeployServices,
  type LogRecord,
  type RedeployClients,
} from "../src/handlers/redeploy-services";
import {
  REDEPLOY_CONFIG_ENV_VAR,
  RedeployOnParameterChange,
  type RedeployOnParameterChangeProps,
} from "../src/index";
import { EventShapeError, parameterStoreChange } from "@platform/lambda";

const ACCOUNT = "123456789012";
const REGION = "ap-northeast-1";
const PARAMETER = "/acme/staging/DATABASE_URL";

/** The message of the ConfigError a build throws. */
function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  }
  throw new Error("expected a ConfigError");
}
const serviceArn = (cluster: string, service: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${service}`;
const WEB_ARN = serviceArn("acme-staging", "acme-staging-web");
const API_ARN = serviceArn("acme-staging", "acme-staging-api");
const WORKER_ARN = serviceArn("acme-staging", "acme-staging-worker");

function props(overrides: Partial<RedeployOnParameterChangeProps> = {}): RedeployOnParameterChangeProps {
  return {
    namePrefix: "acme-staging",
    parameterName: PARAMETER,
    services: {
      web: { clusterName: "acme-staging", serviceName: "acme-staging-web", serviceArn: WEB_ARN },
      api: { clusterName: "acme-staging", serviceName: "acme-staging-api", serviceArn: API_ARN },
    },
    logRetentionDays: 14,
    ...overrides,
  };
}

/** A "Parameter Store Change" event as SSM sends it. */
function ssmEvent(overrides: { name?: string; operation?: string; time?: string; source?: string } = {}) {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "Parameter Store Change",
    source: overrides.source ?? "aws.ssm",
    account: ACCOUNT,
    time: overrides.time ?? "2026-03-02T03:00:00Z",
    region: REGION,
    resources: [`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${overrides.name ?? PARAMETER}`],
    detail: { name: overrides.name ?? PARAMETER, type: "SecureString", operation: overrides.operation ?? "Update" },
  };
}

/** EventBridge matching for the subset patterns use here: every field an array of exact values, or nested. */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, want]) =>
    Array.isArray(want)
      ? want.includes(event[field])
      : typeof event[field] === "object" && event[field] !== null && matches(want as Record<string, unknown>, event[field] as Record<string, unknown>),
  );
}

describe("redeploy handler", () => {
  const ecsMock = mockClient(ECSClient);
  const CONFIG: RedeployConfig = {
    parameterName: PARAMETER,
    services: {
      web: { cluster: "acme-staging", service: "acme-staging-web" },
      api: { cluster: "acme-staging", service: "acme-staging-api" },
      worker: { cluster: "acme-staging", service: "acme-staging-worker" },
    },
  };

  /** desiredCount and newest-deployment time per service; absent services are MISSING. */
  let world: Record<string, { desired: number; deployedAt: string }>;
  let calls: string[];
  let logs: { level: "info" | "error"; record: LogRecord }[];
  const logger = {
    info: (record: LogRecord) => logs.push({ level: "info", record }),
    error: (record: LogRecord) => logs.push({ level: "error", record }),
  };
  const clients = (): RedeployClients => ({ ecs: new ECSClient({ region: REGION }) });
  const updated = () => ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.service);

  beforeEach(() => {
    ecsMock.reset();
    logs = [];
    calls = [];
    const before = "2026-03-01T09:00:00Z";
    world = {
      "acme-staging-web": { desired: 2, deployedAt: before },
      "acme-staging-api": { desired: 1, deployedAt: before },
      "acme-staging-worker": { desired: 1, deployedAt: before },
    };
    ecsMock.on(DescribeServicesCommand).callsFake((input) => {
      const name = input.services[0];
      calls.push(`DescribeServices ${name}`);
      const s = world[name];
      if (!s) return { services: [], failures: [{ arn: name, reason: "MISSING" }] };
      return {
        services: [
          {
            serviceName: name,
            status: "ACTIVE",
            desiredCount: s.desired,
            deployments: [{ id: `ecs-svc/old-${name}`, status: "PRIMARY", createdAt: new Date(s.deployedAt) }],
          },
        ],
        failures: [],
      };
    });
    ecsMock.on(UpdateServiceCommand).callsFake((input) => {
      calls.push(`UpdateService ${input.service}`);
      return { service: { serviceName: input.service, deployments: [{ id: `ecs-svc/new-${input.service}`, status: "PRIMARY" }] } };
    });
  });

  it("forces a new deployment of every running service, describing each first, and changes nothing else", async () => {
    const summary = await redeployServices(CONFIG, ssmEvent(), clients(), logger);

    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: "acme-staging", service: "acme-staging-web", forceNewDeployment: true },
      { cluster: "acme-staging", service: "acme-staging-api", forceNewDeployment: true },
      { cluster: "acme-staging", service: "acme-staging-worker", forceNewDeployment: true },
    ]);
    for (const name of Object.keys(world)) {
      expect(calls.indexOf(`DescribeServices ${name}`)).toBeLessThan(calls.indexOf(`UpdateService ${name}`));
    }
    expect(summary).toMatchObject({ outcome: "done", parameterName: PARAMETER, operation: "Update" });
    expect(summary.outcome === "done" && summary.results.map((r) => [r.key, r.outcome, r.deploymentId])).toEqual([
      ["web", "redeployed", "ecs-svc/new-acme-staging-web"],
      ["api", "redeployed", "ecs-svc/new-acme-staging-api"],
      ["worker", "redeployed", "ecs-svc/new-acme-staging-worker"],
    ]);
  });

  it("skips services stopped to desiredCount 0 and redeploys the running ones", async () => {
    world["acme-staging-api"]!.desired = 0;
    world["acme-staging-worker"]!.desired = 0;
    const summary = await redeployServices(CONFIG, ssmEvent({ operation: "Create" }), clients(), logger);

    expect(updated()).toEqual(["acme-staging-web"]);
    expect(calls).toContain("DescribeServices acme-staging-api");
    expect(summary.outcome === "done" && summary.results.map((r) => [r.key, r.outcome])).toEqual([
      ["web", "redeployed"],
      ["api", "skipped-stopped"],
      ["worker", "skipped-stopped"],
    ]);
  });

  it("skips a service whose newest deployment began after the change (a retry or a CI deploy), not one from the same second", async () => {
    world["acme-staging-web"]!.deployedAt = "2026-03-02T03:00:05Z";
    world["acme-staging-api"]!.deployedAt = "2026-03-02T03:00:00.900Z";
    const summary = await redeployServices(CONFIG, ssmEvent({ time: "2026-03-02T03:00:00Z" }), clients(), logger);

    expect(updated()).toEqual(["acme-staging-api", "acme-staging-worker"]);
    expect(summary.outcome === "done" && summary.results[0]).toMatchObject({
      key: "web",
      outcome: "skipped-current",
      deploymentId: "ecs-svc/old-acme-staging-web",
    });
  });

  it("fails when one service fails, naming it, after still redeploying the others", async () => {
    ecsMock
      .on(UpdateServiceCommand, { service: "acme-staging-api" })
      .rejects(Object.assign(new Error("not authorized to perform ecs:UpdateService"), { name: "AccessDeniedException" }));
    delete world["acme-staging-worker"];

    const run = redeployServices(CONFIG, ssmEvent(), clients(), logger);
    await expect(run).rejects.toThrow(RedeployError);
    const error = (await run.catch((e: unknown) => e)) as RedeployError;

    expect(error.message).toContain(`Redeploy after ${PARAMETER} changed failed for 2 of 3 service(s)`);
    expect(error.message).toContain(
      "api (acme-staging/acme-staging-api): AccessDeniedException: UpdateService: not authorized to perform ecs:UpdateService",
    );
    expect(error.message).toContain("worker (acme-staging/acme-staging-worker): ServiceNotFound: ECS service acme-staging/acme-staging-worker is not active (MISSING)");
    expect(error.message).not.toMatch(/web \(/);
    expect(updated()).toEqual(["acme-staging-web", "acme-staging-api"]);
    expect(error.results.map((r) => [r.key, r.outcome])).toEqual([
      ["web", "redeployed"],
      ["api", "failed"],
      ["worker", "failed"],
    ]);
    expect(logs.at(-1)).toEqual({
      level: "error",
      record: {
        event: "redeploy.summary",
        parameterName: PARAMETER,
        operation: "Update",
        redeployed: 1,
        skipped: 0,
        failed: 2,
        failedServices: ["api", "worker"],
      },
    });
  });

  it("writes one structured log line per service", async () => {
    world["acme-staging-api"]!.desired = 0;
    await redeployServices(CONFIG, ssmEvent(), clients(), logger);
    const perService = logs.filter((l) => l.record.event === "redeploy.service");
    expect(perService.map((l) => l.level)).toEqual(["info", "info", "info"]);
    const byKey = (key: string) => perService.find((l) => l.record.key === key)!.record;
    expect(byKey("web")).toEqual({
      event: "redeploy.service",
      key: "web",
      cluster: "acme-staging",
      service: "acme-staging-web",
      outcome: "redeployed",
      desiredCount: 2,
      deploymentId: "ecs-svc/new-acme-staging-web",
    });
    expect(byKey("api")).toMatchObject({ outcome: "skipped-stopped", desiredCount: 0 });
    // Lines are plain JSON objects: Lambda's JSON log format nests them whole under `message`.
    expect(JSON.parse(JSON.stringify(byKey("web")))).toEqual(byKey("web"));
  });

  it.each([
    ["another parameter", ssmEvent({ name: "/acme/staging/OTHER" }), "event is for parameter /acme/staging/OTHER, not /acme/staging/DATABASE_URL"],
    ["a prefix-sharing parameter", ssmEvent({ name: `${PARAMETER}_OLD` }), `event is for parameter ${PARAMETER}_OLD`],
    ["a delete", ssmEvent({ operation: "Delete" }), "operation Delete does not write a new value"],
    ["a label change", ssmEvent({ operation: "LabelParameterVersion" }), "operation LabelParameterVersion does not write a new value"],
  ])("ignores %s without touching any service", async (_what, event, reason) => {
    const summary = await redeployServices(CONFIG, event, clients(), logger);
    expect(summary.outcome).toBe("ignored");
    expect(summary.outcome === "ignored" && summary.reason).toContain(reason);
    expect(ecsMock.calls()).toHaveLength(0);
    expect(logs).toEqual([{ level: "info", record: expect.objectContaining({ event: "redeploy.ignored", reason: expect.stringContaining(reason) }) }]);
  });

  it.each([
    ["a non-SSM event", ssmEvent({ source: "aws.secretsmanager" }), /Invalid aws\.ssm "Parameter Store Change" event .*: source: Invalid literal value, expected "aws\.ssm"/],
    ["a direct invocation", {}, /Invalid aws\.ssm "Parameter Store Change" event \{\}: source: Invalid literal value, expected "aws\.ssm"; detail-type: Invalid literal value, expected "Parameter Store Change"; detail: Required/],
    ["an event without a parameter name", { ...ssmEvent(), detail: { name: 7, operation: "Update" } }, /detail\.name: Expected string, received number/],
  ])("rejects %s with an error naming each problem, without touching any service", async (_what, event, message) => {
    const run = redeployServices(CONFIG, event, clients(), logger);
    await expect(run).rejects.toThrow(EventShapeError);
    await expect(redeployServices(CONFIG, event, clients(), logger)).rejects.toThrow(message);
    expect(ecsMock.calls()).toHaveLength(0);
    expect(logs[0]).toEqual({
      level: "error",
      record: expect.objectContaining({ event: "redeploy.rejected", error: expect.objectContaining({ name: "EventShapeError" }) }),
    });
  });

  it("builds the handler from the environment JSON the construct writes", async () => {
    const config = parseRedeployConfig(JSON.stringify(CONFIG));
    expect(config).toEqual(CONFIG);
    const handler = createHandler({ config: () => config, clients, logger });
    await handler(ssmEvent());
    expect(updated()).toHaveLength(3);
    expect(() => parseRedeployConfig(undefined)).toThrow(`${REDEPLOY_CONFIG_ENV_VAR} is not set`);
    expect(() => parseRedeployConfig('{"parameterName":"/x","services":{"web":{"cluster":"c"}}}')).toThrow(
      /REDEPLOY_CONFIG is invalid: services\.web\.service: Required; redeploy it through the RedeployOnParameterChange construct/,
    );
  });
});

describe("RedeployOnParameterChange", () => {
  const stack = testStack("compute");
  const redeploy = new RedeployOnParameterChange(stack, "redeploy", props());
  for (const [name, value] of Object.entries(redeploy.ref)) new TerraformOutput(stack, name, { value });
  const json = synth(stack);
  const lambda = onlyResource(json, "aws_lambda_function");
  const [ruleName] = Object.keys(resourcesOf(json, "aws_cloudwatch_event_rule"));
  const [functionName] = Object.keys(resourcesOf(json, "aws_lambda_function"));
  const rule = onlyResource(json, "aws_cloudwatch_event_rule");

  it("creates the bundled function on nodejs22.x with the configured log retention", () => {
    expect(lambda).toMatchObject({
      function_name: "acme-staging-redeploy-on-parameter-change",
      runtime: "nodejs22.x",
      handler: "index.handler",
      timeout: 60,
      source_code_hash: redeploy.function.codeHash,
    });
    expect(onlyResource(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/lambda/acme-staging-redeploy-on-parameter-change",
      retention_in_days: 14,
    });
  });

  it("passes the parameter and the services to the function as JSON the handler parses", () => {
    const env = (lambda.environment as { variables: Record<string, string> }).variables;
    expect(parseRedeployConfig(env[REDEPLOY_CONFIG_ENV_VAR])).toEqual({
      parameterName: PARAMETER,
      services: {
        web: { cluster: "acme-staging", service: "acme-staging-web" },
        api: { cluster: "acme-staging", service: "acme-staging-api" },
      },
    });
  });

  it("lets the function describe and update exactly the given services", () => {
    const statements = policyStatements(json, "redeploy/function/permissions") as {
      sid: string;
      actions: string[];
      resources: string[];
    }[];
    expect(statements.map((s) => s.sid)).toEqual(["OwnLogs", "RedeployServices"]);
    expect(statements[1]).toEqual({
      sid: "RedeployServices",
      actions: ["ecs:DescribeServices", "ecs:UpdateService"],
      resources: [WEB_ARN, API_ARN],
    });
    expect(statements.flatMap((s) => s.resources)).not.toContain("*");
  });

  it("triggers on Create/Update of exactly the parameter, matching SSM's event and no other", () => {
    const pattern = JSON.parse(rule.event_pattern as string) as Record<string, unknown>;
    expect(pattern).toEqual({
      source: ["aws.ssm"],
      "detail-type": ["Parameter Store Change"],
      detail: { name: [PARAMETER], operation: ["Create", "Update"] },
    });
    expect(matches(pattern, ssmEvent())).toBe(true);
    expect(matches(pattern, ssmEvent({ operation: "Create" }))).toBe(true);
    expect(matches(pattern, ssmEvent({ name: "/acme/prod/DATABASE_URL" }))).toBe(false);
    expect(matches(pattern, ssmEvent({ operation: "Delete" }))).toBe(false);
    expect(rule).toMatchObject({ name: "acme-staging-redeploy-on-parameter-change" });
    expect(rule.schedule_expression).toBeUndefined();
  });

  it("targets the function and lets only this rule invoke it", () => {
    expect(onlyResource(json, "aws_cloudwatch_event_target")).toMatchObject({
      rule: `\${aws_cloudwatch_event_rule.${ruleName}.name}`,
      arn: `\${aws_lambda_function.${functionName}.arn}`,
    });
    expect(onlyResource(json, "aws_lambda_permission")).toEqual(
      expect.objectContaining({
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        function_name: `\${aws_lambda_function.${functionName}.function_name}`,
        source_arn: `\${aws_cloudwatch_event_rule.${ruleName}.arn}`,
      }),
    );
  });

  it("exposes a ref of the function and rule", () => {
    expect(Object.fromEntries(Object.entries(json.output!).map(([name, o]) => [name, o.value]))).toEqual({
      functionName: "acme-staging-redeploy-on-parameter-change",
      functionArn: `\${aws_lambda_function.${functionName}.arn}`,
      ruleArn: `\${aws_cloudwatch_event_rule.${ruleName}.arn}`,
    });
  });

  it("accepts service names and ARNs that are tokens of aws_ecs_service resources", () => {
    const s = testStack("compute");
    const svc = new EcsService(s, "svc", { name: "acme-staging-web", cluster: "acme-staging" });
    new RedeployOnParameterChange(s, "redeploy", props({
      services: { web: { clusterName: svc.cluster, serviceName: svc.name, serviceArn: svc.id } },
    }));
    const out = synth(s);
    const [svcName] = Object.keys(resourcesOf(out, "aws_ecs_service"));
    const statements = policyStatements(out, "redeploy/function/permissions") as { sid: string; resources: string[] }[];
    expect(statements.find((st) => st.sid === "RedeployServices")!.resources).toEqual([`\${aws_ecs_service.${svcName}.id}`]);
    const env = (listResources(out, "aws_lambda_function")[0]!.environment as { variables: Record<string, string> }).variables;
    expect(env[REDEPLOY_CONFIG_ENV_VAR]).toContain(`"service":"\${aws_ecs_service.${svcName}.name}"`);
  });

  it("filters on the parameter with the parameterStoreChange definition the handler parses with", () => {
    const rule = onlyResource(json, "aws_cloudwatch_event_rule");
    expect(rule.event_pattern).toBe(
      JSON.stringify(parameterStoreChange.pattern({ name: [PARAMETER], operation: ["Create", "Update"] })),
    );
  });
});

describe("RedeployOnParameterChange validation", () => {
  const build = (overrides: Partial<RedeployOnParameterChangeProps>) =>
    errorOf(() => new RedeployOnParameterChange(testStack(), "redeploy", props(overrides)));

  it("fails when namePrefix is not lower-case kebab", () => {
    expect(build({ namePrefix: "Acme_Staging" })).toContain(
      'redeploy.namePrefix: "Acme_Staging" must be lower-case letters, digits and hyphens',
    );
  });

  it("fails when parameterName is not a hierarchical SSM name", () => {
    expect(build({ parameterName: "DATABASE_URL" })).toContain(
      'redeploy.parameterName: "DATABASE_URL" must be a hierarchical name: a leading "/"',
    );
  });

  it("fails when services is empty", () => {
    expect(build({ services: {} })).toContain("redeploy.services: {} is empty; give at least one ECS service");
  });

  it("fails when a service key is not a construct key", () => {
    expect(build({ services: { Web: props().services.web! } })).toContain('redeploy.services.Web: "Web" key must match [a-z][a-z0-9-]{0,30}');
  });

  it("fails when a service ARN is not a long-format service ARN", () => {
    const wrong = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/acme-staging-web`;
    expect(build({ services: { web: { ...props().services.web!, serviceArn: wrong } } })).toContain(
      `redeploy.services.web.serviceArn: "${wrong}" must be a long-format ECS service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<service>)`,
    );
  });

  it("fails when a service ARN names another service than clusterName/serviceName", () => {
    expect(build({ services: { web: { ...props().services.web!, serviceArn: WORKER_ARN } } })).toContain(
      `redeploy.services.web.serviceArn: "${WORKER_ARN}" names service acme-staging/acme-staging-worker, not acme-staging/acme-staging-web; pass the ARN of the same service.`,
    );
  });

  it("fails when a service name has characters ECS rejects", () => {
    expect(build({ services: { web: { clusterName: "acme staging", serviceName: "web", serviceArn: WEB_ARN } } })).toContain(
      'redeploy.services.web.clusterName: "acme staging" must be 1-255 letters, digits, hyphens or underscores.',
    );
  });

  it("fails when the same service is listed twice", () => {
    const web = props().services.web!;
    expect(build({ services: { web, site: web } })).toContain(
      'redeploy.services.site: "acme-staging/acme-staging-web" is the same ECS service as services.web; list each service once.',
    );
  });

  it("fails when logRetentionDays is not a CloudWatch Logs retention", () => {
    expect(build({ logRetentionDays: 10 })).toContain("redeploy.logRetentionDays: 10 is not a CloudWatch Logs retention");
  });

  it("fails when the services do not fit in the Lambda environment", () => {
    const services = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => {
        const name = `acme-staging-service-with-a-long-name-${i}`;
        return [`svc-${i}`, { clusterName: "acme-staging", serviceName: name, serviceArn: serviceArn("acme-staging", name) }];
      }),
    );
    expect(build({ services })).toMatch(/redeploy\.services: "60 services" need \d+ bytes of Lambda environment, over the 4 KB limit/);
  });
});
