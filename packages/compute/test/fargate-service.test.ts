import { listResources, policyStatements, resourceAt, synth, testStack } from "@platform/core/testing";
import { TerraformOutput, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { buildProdLikeFixture, buildStagingLikeFixture } from "./web-and-api-fixture";
import {
  CERTIFICATE_ARN,
  FargateService,
  NETWORK,
  SECURITY_GROUPS,
  WEB_AND_API_REFS,
  containerDefinitions,
  errorOf,
  repository,
  serviceProps,
} from "./fixtures";

describe("FargateService, staging-like (seed 002: no NAT, public IPs, 0.25 vCPU / 512 MB, lenient health checks)", () => {
  const stack = testStack("compute");
  const { services } = buildStagingLikeFixture(stack, { ...WEB_AND_API_REFS, namePrefix: "bookmark-manager-staging" });
  // Outputs are how another stack (scheduler, monitoring) would consume the ref.
  new TerraformOutput(stack, "web-ref", { value: services.web.ref });
  const json = synth(stack);
  const service = resourceAt(json, "aws_ecs_service", "web/service");
  const [container] = containerDefinitions(json, "web/task-definition");

  it("sizes the task 256 CPU / 512 MiB on Fargate in awsvpc mode", () => {
    const task = resourceAt(json, "aws_ecs_task_definition", "web/task-definition");
    expect(task).toMatchObject({
      family: "bookmark-manager-staging-web",
      cpu: "256",
      memory: "512",
      network_mode: "awsvpc",
      requires_compatibilities: ["FARGATE"],
      runtime_platform: { cpu_architecture: "X86_64", operating_system_family: "LINUX" },
    });
  });

  it("gives slow starters 120 s grace and rolls failed deployments back", () => {
    expect(service.health_check_grace_period_seconds).toBe(120);
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(service.deployment_minimum_healthy_percent).toBe(100);
    expect(service.deployment_maximum_percent).toBe(200);
    expect(service.wait_for_steady_state).toBe(false);
  });

  it("runs in the public subnets with a public IP because the VPC has no NAT", () => {
    expect(service.network_configuration).toEqual({
      subnets: NETWORK.publicSubnetIds,
      security_groups: [SECURITY_GROUPS.serviceSecurityGroupId],
      assign_public_ip: true,
    });
  });

  it("health-checks every 60 s and tolerates 10 failures", () => {
    const tg = resourceAt(json, "aws_lb_target_group", "web/target-group");
    expect(tg).toMatchObject({ target_type: "ip", protocol: "HTTP", port: 3000, vpc_id: NETWORK.vpcId });
    // "bookmark-manager-staging-web-3000" is 33 characters: shortened with a hash within the 32 AWS allows.
    expect(tg.name).toBe("bookmark-manager-staging-8f3a47");
    expect(tg.health_check).toMatchObject({ path: "/health", interval: 60, unhealthy_threshold: 10, timeout: 5, matcher: "200" });
  });

  it("keeps logs 7 days in a log group per service, written by the awslogs driver", () => {
    expect(resourceAt(json, "aws_cloudwatch_log_group", "web/logs")).toMatchObject({
      name: "/ecs/bookmark-manager-staging-web",
      retention_in_days: 7,
    });
    expect(container!.logConfiguration.logDriver).toBe("awslogs");
    expect(container!.logConfiguration.options["awslogs-group"]).toMatch(/^\$\{aws_cloudwatch_log_group\..*web_logs.*\.name\}$/);
  });

  it("pins the image by tag and injects the database URL as a secret, never as plain environment", () => {
    expect(container!.image).toBe("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/bookmark-manager-web:v1.0.1");
    expect(container!.secrets).toEqual([{ name: "DATABASE_URL", valueFrom: WEB_AND_API_REFS.databaseUrlParameterArn }]);
    expect(container!.environment).toEqual([
      { name: "NODE_ENV", value: "production" },
      { name: "PORT", value: "3000" },
    ]);
    expect(container!.portMappings).toEqual([{ name: "http", containerPort: 3000, hostPort: 3000, protocol: "tcp" }]);
  });

  it("scopes the execution role to its own repository, log group and parameter", () => {
    const statements = policyStatements(json, "web/execution-role/permissions");
    const resourcesOf = (sid: string) => statements.find((s) => s.sid === sid)?.resources;
    expect(resourcesOf("ReadParameters")).toEqual([WEB_AND_API_REFS.databaseUrlParameterArn]);
    expect(resourcesOf("EcrPull")).toEqual([WEB_AND_API_REFS.images.web.repositoryArn]);
    expect(resourcesOf("WriteLogs")).toEqual([expect.stringMatching(/web_logs.*\.arn\}:\*$/)]);
    expect(resourcesOf("ReadSecrets")).toBeUndefined();
  });

  it("turns ECS Exec on: service flag, task role with the SSM channels, init process in the container", () => {
    expect(service.enable_execute_command).toBe(true);
    const actions = policyStatements(json, "web/task-role/permissions").flatMap((s) => s.actions as string[]);
    expect(actions).toContain("ssmmessages:CreateControlChannel");
    expect(container!.linuxParameters).toEqual({ initProcessEnabled: true });
    expect(resourceAt(json, "aws_ecs_task_definition", "web/task-definition").task_role_arn).toMatch(/web_task-role_[0-9A-F]{8}\.arn\}$/);
  });

  it("leaves desired_count under Terraform's control when nothing scales it", () => {
    expect(service.desired_count).toBe(1);
    expect(service.lifecycle).toBeUndefined();
    expect(listResources(json, "aws_appautoscaling_target")).toHaveLength(0);
    expect(services.web.ref.scaling).toBeUndefined();
  });

  it("starts tasks only after the listener (or rule) routing to them and their IAM policies exist", () => {
    expect(service.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_lb_listener\..*load-balancer_http_/),
        expect.stringMatching(/^aws_iam_role_policy\..*web_execution-role_policy/),
        expect.stringMatching(/^aws_iam_role_policy\..*web_task-role_policy/),
      ]),
    );
    expect(resourceAt(json, "aws_ecs_service", "api/service").depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_lb_listener_rule\..*load-balancer_routes_api_/)]),
    );
  });

  it("runs on the cluster's capacity-provider association, on FARGATE, tagging tasks from the service", () => {
    expect(service.cluster).toMatch(/^\$\{aws_ecs_cluster_capacity_providers\..*\.cluster_name\}$/);
    expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: "FARGATE", weight: 1, base: 0 }]);
    expect(service.propagate_tags).toBe("SERVICE");
  });

  it("routes /api/* to the api target group and everything else to web", () => {
    const rule = resourceAt(json, "aws_lb_listener_rule", "load-balancer/routes/api");
    expect(rule.condition).toEqual([{ path_pattern: { values: ["/api/*"] } }]);
    expect(rule.action).toEqual([{ type: "forward", target_group_arn: expect.stringMatching(/api_target-group_[0-9A-F]{8}\.arn\}$/) }]);
    expect(resourceAt(json, "aws_lb_listener", "load-balancer/http").default_action).toEqual([
      { type: "forward", target_group_arn: expect.stringMatching(/web_target-group_[0-9A-F]{8}\.arn\}$/) },
    ]);
  });

  it("exposes a ref with the service ARN (id), names and the target group suffix", () => {
    const ref = json.output!["web-ref"]!.value as Record<string, unknown>;
    expect(ref).toEqual({
      clusterName: expect.stringMatching(/^\$\{aws_ecs_cluster_capacity_providers\..*\.cluster_name\}$/),
      serviceName: expect.stringMatching(/^\$\{aws_ecs_service\.staging-like_web_service_[0-9A-F]{8}\.name\}$/),
      serviceArn: expect.stringMatching(/^\$\{aws_ecs_service\.staging-like_web_service_[0-9A-F]{8}\.id\}$/),
      desiredCount: 1,
      logGroupName: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.staging-like_web_logs_[0-9A-F]{8}\.name\}$/),
      targetGroupArnSuffix: expect.stringMatching(/^\$\{aws_lb_target_group\.staging-like_web_target-group_[0-9A-F]{8}\.arn_suffix\}$/),
    });
  });
});

describe("FargateService, prod-like (seed 003: private subnets, 1 vCPU / 2 GB, auto scaling 1–10)", () => {
  const stack = testStack("compute");
  const { services } = buildProdLikeFixture(stack, { ...WEB_AND_API_REFS, namePrefix: "bookmark-manager-prod", certificateArn: CERTIFICATE_ARN });
  new TerraformOutput(stack, "web-scaling", { value: services.web.ref.scaling });
  const json = synth(stack);

  it("keeps tasks private: private subnets, no public IP", () => {
    expect(resourceAt(json, "aws_ecs_service", "web/service").network_configuration).toMatchObject({
      subnets: NETWORK.privateSubnetIds,
      assign_public_ip: false,
    });
    expect(resourceAt(json, "aws_ecs_task_definition", "api/task-definition")).toMatchObject({ cpu: "1024", memory: "2048" });
  });

  it("lets the scaler own desired_count (ignore_changes) and starts at minCapacity", () => {
    const service = resourceAt(json, "aws_ecs_service", "api/service");
    expect(service.lifecycle).toEqual({ ignore_changes: ["desired_count"] });
    expect(service.desired_count).toBe(1);
  });

  it("registers a scalable target of 1–10 tasks per service", () => {
    const target = resourceAt(json, "aws_appautoscaling_target", "api/auto-scaling/target");
    expect(target).toMatchObject({ min_capacity: 1, max_capacity: 10, service_namespace: "ecs", scalable_dimension: "ecs:service:DesiredCount" });
    expect(target.resource_id).toMatch(/^service\/\$\{aws_ecs_cluster_capacity_providers\..*\.cluster_name\}\/\$\{aws_ecs_service\..*api_service.*\.name\}$/);
  });

  it("tracks CPU 70 % and memory 80 % with scale-out 60 s and scale-in 300 s cooldowns", () => {
    const cpu = resourceAt(json, "aws_appautoscaling_policy", "web/auto-scaling/cpu");
    const memory = resourceAt(json, "aws_appautoscaling_policy", "web/auto-scaling/memory");
    expect(cpu.policy_type).toBe("TargetTrackingScaling");
    expect(cpu.target_tracking_scaling_policy_configuration).toEqual({
      target_value: 70,
      predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageCPUUtilization" },
      scale_out_cooldown: 60,
      scale_in_cooldown: 300,
    });
    expect(memory.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 80,
      predefined_metric_specification: { predefined_metric_type: "ECSServiceAverageMemoryUtilization" },
    });
    expect(listResources(json, "aws_appautoscaling_policy")).toHaveLength(4);
  });

  it("serves HTTPS with the TLS 1.3 policy and redirects HTTP, routing on the HTTPS listener", () => {
    expect(resourceAt(json, "aws_lb_listener", "load-balancer/https")).toMatchObject({ ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn: CERTIFICATE_ARN });
    expect(resourceAt(json, "aws_lb_listener", "load-balancer/http").default_action).toEqual([
      { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } },
    ]);
    expect(resourceAt(json, "aws_lb_listener_rule", "load-balancer/routes/api").listener_arn).toMatch(/load-balancer_https_[0-9A-F]{8}\.arn\}$/);
    expect(resourceAt(json, "aws_lb", "load-balancer/alb").enable_deletion_protection).toBe(true);
  });

  it("gives the scheduler the scaling facts in the ref", () => {
    expect(json.output!["web-scaling"]!.value).toEqual({
      minCapacity: 1,
      maxCapacity: 10,
      resourceId: expect.stringMatching(/^\$\{aws_appautoscaling_target\.prod-like_web_auto-scaling_target_[0-9A-F]{8}\.resource_id\}$/),
      scalableTargetArn: expect.stringMatching(/^\$\{aws_appautoscaling_target\.prod-like_web_auto-scaling_target_[0-9A-F]{8}\.arn\}$/),
    });
  });

  it("keeps the root filesystem read-only with a writable /tmp on task storage", () => {
    const [container] = containerDefinitions(json, "web/task-definition");
    expect(container!.readonlyRootFilesystem).toBe(true);
    expect(container!.mountPoints).toEqual([{ sourceVolume: "web-scratch-tmp", containerPath: "/tmp", readOnly: false }]);
    expect(resourceAt(json, "aws_ecs_task_definition", "web/task-definition").volume).toEqual([{ name: "web-scratch-tmp" }]);
  });

  it("gives the app no task role when it needs no AWS permissions", () => {
    expect(resourceAt(json, "aws_ecs_task_definition", "web/task-definition").task_role_arn).toBeUndefined();
  });
});

describe("FargateService details", () => {
  it("injects a Secrets Manager JSON key as secretArn:key:: and grants only that secret", () => {
    const stack = testStack();
    const arn = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:app/keys-AbCdEf";
    new FargateService(stack, "web", serviceProps({
      containers: {
        web: {
          image: { ...repository("acme-web"), tag: "v1" },
          ports: { http: 3000 },
          secrets: { OPENAI_API_KEY: { secretArn: arn, jsonKey: "OPENAI_API_KEY" }, WHOLE: { secretArn: arn } },
        },
      },
    }));
    const json = synth(stack);
    expect(containerDefinitions(json, "web/task-definition")[0]!.secrets).toEqual([
      { name: "OPENAI_API_KEY", valueFrom: `${arn}:OPENAI_API_KEY::` },
      { name: "WHOLE", valueFrom: arn },
    ]);
    const read = policyStatements(json, "web/execution-role/permissions").find((s) => s.sid === "ReadSecrets");
    expect(read?.resources).toEqual([arn]);
  });

  it("escapes a literal ${ in an environment value so Terraform does not interpolate it", () => {
    const stack = testStack();
    new FargateService(stack, "web", serviceProps({
      containers: { web: { image: { ...repository("acme-web"), tag: "v1" }, ports: { http: 3000 }, environment: { GREETING: "hello ${name}" } } },
    }));
    const raw = resourceAt(synth(stack), "aws_ecs_task_definition", "web/task-definition").container_definitions as string;
    expect(raw).toContain('"value":"hello $${name}"');
  });

  it("runs ARM64 tasks and FARGATE_SPOT placement when asked", () => {
    const stack = testStack();
    new FargateService(stack, "web", serviceProps({
      cpuArchitecture: "ARM64",
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 0, base: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }],
    }));
    const json = synth(stack);
    expect(resourceAt(json, "aws_ecs_task_definition", "web/task-definition").runtime_platform).toMatchObject({ cpu_architecture: "ARM64" });
    expect(resourceAt(json, "aws_ecs_service", "web/service").capacity_provider_strategy).toEqual([
      { capacity_provider: "FARGATE", weight: 0, base: 1 },
      { capacity_provider: "FARGATE_SPOT", weight: 3, base: 0 },
    ]);
  });

  it("accepts Terraform references (another stack's outputs) without validating them", () => {
    const stack = testStack();
    const vpc = new TerraformVariable(stack, "vpc", { type: "string" });
    const subnets = new TerraformVariable(stack, "subnets", { type: "list(string)" });
    const tag = new TerraformVariable(stack, "tag", { type: "string" });
    new FargateService(stack, "web", serviceProps({
      network: { vpcId: vpc.stringValue, subnetIds: subnets.listValue, securityGroupIds: [SECURITY_GROUPS.serviceSecurityGroupId] },
      containers: { web: { image: { ...repository("acme-web"), tag: tag.stringValue }, ports: { http: 3000 } } },
    }));
    const json = synth(stack);
    expect(containerDefinitions(json, "web/task-definition")[0]!.image).toBe("123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/acme-web:${var.tag}");
  });

  it("is not a load balancer target without loadBalancing", () => {
    const stack = testStack();
    const worker = new FargateService(stack, "worker", serviceProps({ name: "worker", loadBalancing: undefined }));
    expect(() => worker.target).toThrow(/worker\.loadBalancing.*is not set/);
    expect(resourceAt(synth(stack), "aws_ecs_service", "worker/service").health_check_grace_period_seconds).toBeUndefined();
  });
});

describe("FargateService validation", () => {
  const build = (overrides: Parameters<typeof serviceProps>[0]) => () => new FargateService(testStack(), "web", serviceProps(overrides));

  it("fails when the CPU/memory pair is one Fargate does not offer, listing the valid memory values", () => {
    const message = errorOf(build({ cpu: 256, memoryMiB: 4096 }));
    expect(message).toContain('web.memoryMiB: {"cpu":256,"memoryMiB":4096} Fargate does not offer cpu 256 with 4096 MiB');
    expect(message).toContain("with cpu 256 use memoryMiB 512, 1024, 2048");
    expect(message).toContain("or keep 4096 MiB with cpu 512, 1024 or 2048");
  });

  it("fails when memory is not a 1 GB step for 2 vCPU, showing the range", () => {
    expect(errorOf(build({ cpu: 2048, memoryMiB: 5000 }))).toContain("with cpu 2048 use memoryMiB 4096, 5120, …, 16384 (steps of 1024)");
  });

  it("fails when the CPU value is not a Fargate size", () => {
    expect(errorOf(build({ cpu: 300 }))).toContain("web.cpu: 300 is not a Fargate CPU size; use one of 256, 512, 1024, 2048, 4096, 8192, 16384");
  });

  it("fails when health-check values are outside Elastic Load Balancing's ranges", () => {
    const message = errorOf(build({
      loadBalancing: {
        containerPort: 3000,
        healthCheck: { intervalSeconds: 400, healthyThreshold: 1, unhealthyThreshold: 11, path: "health", matcher: "600" },
      },
    }));
    expect(message).toContain("web.loadBalancing.healthCheck.intervalSeconds: 400 must be a whole number between 5 and 300");
    expect(message).toContain("web.loadBalancing.healthCheck.healthyThreshold: 1 must be a whole number between 2 and 10");
    expect(message).toContain("web.loadBalancing.healthCheck.unhealthyThreshold: 11 must be a whole number between 2 and 10");
    expect(message).toContain('web.loadBalancing.healthCheck.path: "health" must start with "/"');
    expect(message).toContain('web.loadBalancing.healthCheck.matcher: "600" must list HTTP codes between 200 and 499');
  });

  it("fails when the health-check timeout is not shorter than the interval", () => {
    expect(errorOf(build({ loadBalancing: { containerPort: 3000, healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } } }))).toContain(
      "web.loadBalancing.healthCheck.timeoutSeconds: 10 must be less than intervalSeconds (10)",
    );
  });

  it("fails when the health-check grace period is negative or set without a load balancer", () => {
    expect(errorOf(build({ healthCheckGraceSeconds: -1 }))).toContain("web.healthCheckGraceSeconds: -1 must be a whole number of seconds between 0 and 2147483647");
    expect(errorOf(build({ loadBalancing: undefined, healthCheckGraceSeconds: 120 }))).toContain(
      "web.healthCheckGraceSeconds: 120 only applies to services behind a load balancer; use the container healthCheck.startPeriodSeconds",
    );
  });

  it("fails when the image tag is missing", () => {
    const image = { ...repository("acme-web"), tag: "" };
    expect(errorOf(build({ containers: { web: { image, ports: { http: 3000 } } } }))).toContain(
      'web.containers.web.image.tag: "" is required: pin a version or commit SHA',
    );
  });

  it("fails when the image tag is latest, unless allowLatestTag says so", () => {
    const image = { ...repository("acme-web"), tag: "latest" };
    expect(errorOf(build({ containers: { web: { image, ports: { http: 3000 } } } }))).toContain(
      'web.containers.web.image.tag: "latest" is a moving tag: pin a version or commit SHA, or set allowLatestTag: true',
    );
    expect(() => build({ containers: { web: { image, allowLatestTag: true, ports: { http: 3000 } } } })()).not.toThrow();
  });

  it("fails when the repository URL already carries a tag", () => {
    const image = { ...repository("acme-web"), repositoryUrl: `${repository("acme-web").repositoryUrl}:v1`, tag: "v1" };
    expect(errorOf(build({ containers: { web: { image, ports: { http: 3000 } } } }))).toContain("image.repositoryUrl");
  });

  it("fails when the log retention is one CloudWatch Logs does not accept", () => {
    expect(errorOf(build({ logRetentionDays: 10 }))).toContain("web.logRetentionDays: 10 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14, 30");
  });

  it("fails when a secret looks like plain environment, or a secret ARN lacks its suffix", () => {
    const message = errorOf(build({
      containers: {
        web: {
          image: { ...repository("acme-web"), tag: "v1" },
          ports: { http: 3000 },
          environment: { JWT_SECRET: "hunter2" },
          secrets: { API_KEY: { secretArn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:api-keys" } },
        },
      },
    }));
    expect(message).toContain('web.containers.web.environment.JWT_SECRET: "JWT_SECRET" looks like a secret');
    expect(message).toContain("Move it to secrets");
    expect(message).toContain("secrets.API_KEY.secretArn");
    expect(message).toContain("6-character suffix");
  });

  it("fails when ECS Exec meets a read-only root filesystem", () => {
    expect(errorOf(build({ enableExecuteCommand: true }))).toContain(
      "web.containers.web.readonlyRootFilesystem: true ECS Exec's agent writes to the container's root filesystem",
    );
  });

  it("fails when the load balancer port is not a container port, or two containers share a port", () => {
    expect(errorOf(build({ loadBalancing: { containerPort: 8080 } }))).toContain(
      'web.loadBalancing.containerPort: 8080 is not a port of container "web"; add it to its ports or use one of 3000',
    );
    const image = { ...repository("acme-web"), tag: "v1" };
    expect(
      errorOf(build({ containers: { web: { image, ports: { http: 3000 } }, sidecar: { image, ports: { metrics: 3000 } } }, loadBalancing: { containerName: "web", containerPort: 3000 } })),
    ).toContain('web.containers.sidecar.ports.metrics: 3000 is already used by container "web"');
  });

  it("fails when a container mounts a volume the service does not declare", () => {
    const image = { ...repository("acme-web"), tag: "v1" };
    expect(errorOf(build({ containers: { web: { image, ports: { http: 3000 }, mounts: { cache: { containerPath: "/app/cache" } } } } }))).toContain(
      'web.containers.web.mounts.cache: "cache" is not a volume of the service; declare it in volumes',
    );
  });

  it("fails when deployment percentages leave a deployment no room", () => {
    expect(errorOf(build({ deployment: { minimumHealthyPercent: 100, maximumPercent: 100 } }))).toContain(
      "web.deployment.maximumPercent: 100 must exceed minimumHealthyPercent (100)",
    );
  });

  it("fails when auto scaling has min > max", () => {
    expect(errorOf(build({ autoScaling: { minCapacity: 5, maxCapacity: 2 } }))).toContain(
      "web.autoScaling.minCapacity: 5 is greater than maxCapacity (2); set minCapacity <= maxCapacity",
    );
  });

  it("fails when scaling targets are outside 1–100 %, cooldowns negative, or desiredCount outside the range", () => {
    const message = errorOf(build({
      desiredCount: 7,
      autoScaling: { minCapacity: 1, maxCapacity: 5, cpuTargetPercent: 0, memoryTargetPercent: 120, scaleInCooldownSeconds: -5 },
    }));
    expect(message).toContain("web.autoScaling.cpuTargetPercent: 0 must be a utilisation between 1 and 100");
    expect(message).toContain("web.autoScaling.memoryTargetPercent: 120 must be a utilisation between 1 and 100");
    expect(message).toContain("web.autoScaling.scaleInCooldownSeconds: -5 must be a whole number of seconds, 0 or more");
    expect(message).toContain("web.desiredCount: 7 must lie within autoScaling's 1–5");
  });

  it("fails when capacity providers are duplicated or carry no weight", () => {
    const message = errorOf(build({ capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 0 }, { capacityProvider: "FARGATE", weight: 0 }] }));
    expect(message).toContain('web.capacityProviderStrategy[1].capacityProvider: "FARGATE" is listed twice');
    expect(message).toContain("needs a provider with weight above 0");
  });
});

describe("FargateService desired_count ownership", () => {
  const lifecycleOf = (props: Parameters<typeof serviceProps>[0]) => {
    const stack = testStack("compute");
    new FargateService(stack, "svc", serviceProps(props));
    return resourceAt(synth(stack), "aws_ecs_service", "svc/service").lifecycle;
  };

  it("lets Terraform manage desired_count of a plain service", () => {
    expect(lifecycleOf({})).toBeUndefined();
  });

  it("ignores desired_count drift when a scheduler owns the count", () => {
    expect(lifecycleOf({ desiredCountManagedExternally: true })).toEqual({ ignore_changes: ["desired_count"] });
  });
});
