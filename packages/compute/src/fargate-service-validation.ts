import { CONSTRUCT_KEY_PATTERN, Validator, isKnown, checkLogRetention } from "@platform/core";
import { validateContainer } from "./container";
import { FARGATE_CPU_VALUES, describeMemoryOptions, fargateMemoryOptions, isValidFargateSize } from "./fargate-sizes";
import type { FargateServiceProps } from "./fargate-service-props";
import { validateAutoScaling } from "./service-auto-scaling";
import { validateTargetHealthCheck } from "./target-health-check";
import { validateTaskGrants } from "./task-grants";

/** Checks every prop of a FargateService and throws one ConfigError listing all problems. */
export function validateFargateService(path: string, props: FargateServiceProps): void {
  const v = new Validator(path);
  v.check(CONSTRUCT_KEY_PATTERN.test(props.name), "name", props.name, "use 1-31 lower-case letters, digits and hyphens, starting with a letter (e.g. \"web\").");

  if (v.check(FARGATE_CPU_VALUES.includes(props.cpu), "cpu", props.cpu, `is not a Fargate CPU size; use one of ${FARGATE_CPU_VALUES.join(", ")} (1024 = 1 vCPU).`)) {
    v.check(
      isValidFargateSize(props.cpu, props.memoryMiB),
      "memoryMiB",
      { cpu: props.cpu, memoryMiB: props.memoryMiB },
      `Fargate does not offer cpu ${props.cpu} with ${props.memoryMiB} MiB; with cpu ${props.cpu} use memoryMiB ${describeMemoryOptions(props.cpu)}` +
        ` (${otherCpusFor(props.memoryMiB)}).`,
    );
  }
  const arch = props.cpuArchitecture ?? "X86_64";
  v.check(arch === "X86_64" || arch === "ARM64", "cpuArchitecture", arch, 'must be "X86_64" or "ARM64".');
  checkLogRetention(v, "logRetentionDays", props.logRetentionDays);

  const net = props.network;
  if (isKnown(net.subnetIds)) v.check(net.subnetIds.length >= 1, "network.subnetIds", net.subnetIds, "pass at least one subnet (one per AZ for availability).");
  if (isKnown(net.securityGroupIds)) v.check(net.securityGroupIds.length >= 1, "network.securityGroupIds", net.securityGroupIds, "pass at least one security group, e.g. [securityGroups.serviceSecurityGroupId].");

  const containerNames = Object.keys(props.containers ?? {});
  const volumeKeys = Object.keys(props.volumes ?? {});
  v.check(containerNames.length >= 1, "containers", props.containers, "a task needs at least one container.");
  const portOwners = new Map<number, string>();
  const portNames = new Set<string>();
  for (const [name, c] of Object.entries(props.containers ?? {})) {
    const field = `containers.${name}`;
    v.check(CONSTRUCT_KEY_PATTERN.test(name), field, name, "container names are 1-31 lower-case letters, digits and hyphens, starting with a letter.");
    validateContainer(v, field, c, volumeKeys);
    for (const [portName, port] of Object.entries(c.ports ?? {})) {
      const owner = portOwners.get(port);
      v.check(owner === undefined, `${field}.ports.${portName}`, port, `is already used by container "${owner}"; containers of a task share one network namespace.`);
      portOwners.set(port, name);
      v.check(!portNames.has(portName), `${field}.ports.${portName}`, portName, "port names must be unique within the task.");
      portNames.add(portName);
    }
    if (props.enableExecuteCommand) {
      v.check(
        c.readonlyRootFilesystem === false,
        `${field}.readonlyRootFilesystem`,
        c.readonlyRootFilesystem ?? true,
        "ECS Exec's agent writes to the container's root filesystem; set readonlyRootFilesystem: false on this container or turn enableExecuteCommand off.",
      );
    }
  }
  if (containerNames.length > 0) {
    v.check(
      Object.values(props.containers).some((c) => c.essential !== false),
      "containers",
      containerNames,
      "has no essential container, so the task would run sidecars with nothing to serve; keep the application container essential (essential: true is the default).",
    );
  }
  validateContainerRelations(v, props);
  validateTaskGrants(v, "grants", props.grants);
  const sc = props.serviceConnect?.publish;
  if (sc) {
    const tcpPorts = Object.values(props.containers ?? {}).flatMap((c) => Object.keys(c.ports ?? {}));
    v.check(tcpPorts.includes(sc.portName), "serviceConnect.publish.portName", sc.portName, `is not a TCP port name of a container; use one of ${tcpPorts.join(", ") || "(none declared)"}.`);
    v.check(Number.isInteger(sc.port) && sc.port >= 1 && sc.port <= 65535, "serviceConnect.publish.port", sc.port, "must be a port number between 1 and 65535.");
    v.check(CONSTRUCT_KEY_PATTERN.test(sc.discoveryName), "serviceConnect.publish.discoveryName", sc.discoveryName, 'must be 1-31 lower-case letters, digits and hyphens, starting with a letter (e.g. "ai").');
  }

  const lb = props.loadBalancing;
  if (lb) {
    const containerName = lb.containerName ?? (containerNames.length === 1 ? containerNames[0] : undefined);
    if (
      v.check(
        containerName !== undefined && containerNames.includes(containerName),
        "loadBalancing.containerName",
        lb.containerName,
        `must name the container that receives traffic (one of ${containerNames.join(", ")}).`,
      )
    ) {
      const ports = Object.values(props.containers[containerName!]!.ports ?? {});
      v.check(
        ports.includes(lb.containerPort),
        "loadBalancing.containerPort",
        lb.containerPort,
        `is not a port of container "${containerName}"; add it to its ports or use one of ${ports.join(", ") || "(none declared)"}.`,
      );
    }
    validateTargetHealthCheck(v, "loadBalancing.healthCheck", lb.healthCheck);
    const delay = lb.deregistrationDelaySeconds;
    if (delay !== undefined) {
      v.check(Number.isInteger(delay) && delay >= 0 && delay <= 3600, "loadBalancing.deregistrationDelaySeconds", delay, "must be a whole number of seconds between 0 and 3600.");
    }
  }
  const grace = props.healthCheckGraceSeconds;
  if (grace !== undefined) {
    if (v.check(lb !== undefined, "healthCheckGraceSeconds", grace, "only applies to services behind a load balancer; use the container healthCheck.startPeriodSeconds instead.")) {
      v.check(Number.isInteger(grace) && grace >= 0 && grace <= 2147483647, "healthCheckGraceSeconds", grace, "must be a whole number of seconds between 0 and 2147483647.");
    }
  }

  const scaling = props.autoScaling || undefined;
  if (scaling) validateAutoScaling(v, "autoScaling", scaling);
  const desired = props.desiredCount;
  if (desired !== undefined) {
    if (v.check(Number.isInteger(desired) && desired >= 0, "desiredCount", desired, "must be a whole number of tasks, 0 or more.") && scaling) {
      v.check(
        desired >= scaling.minCapacity && desired <= scaling.maxCapacity,
        "desiredCount",
        desired,
        `must lie within autoScaling's ${scaling.minCapacity}–${scaling.maxCapacity}, or be left out (it defaults to minCapacity).`,
      );
    }
  }

  const d = props.deployment ?? {};
  const minHealthy = d.minimumHealthyPercent ?? 100;
  const maxPercent = d.maximumPercent ?? 200;
  const minOk = v.check(Number.isInteger(minHealthy) && minHealthy >= 0 && minHealthy <= 100, "deployment.minimumHealthyPercent", minHealthy, "must be a whole percentage between 0 and 100.");
  const maxOk = v.check(Number.isInteger(maxPercent) && maxPercent >= 100, "deployment.maximumPercent", maxPercent, "must be a whole percentage of 100 or more.");
  if (minOk && maxOk) {
    v.check(maxPercent > minHealthy, "deployment.maximumPercent", maxPercent, `must exceed minimumHealthyPercent (${minHealthy}), or a deployment can neither start new tasks nor stop old ones.`);
  }

  for (const key of volumeKeys) {
    v.check(CONSTRUCT_KEY_PATTERN.test(key), `volumes.${key}`, key, "volume names are 1-31 lower-case letters, digits and hyphens, starting with a letter.");
  }

  const strategy = props.capacityProviderStrategy;
  if (strategy !== undefined) {
    v.check(strategy.length >= 1, "capacityProviderStrategy", strategy, "needs at least one provider, e.g. [{ capacityProvider: \"FARGATE\", weight: 1 }].");
    const seen = new Set<string>();
    strategy.forEach((s, i) => {
      const f = `capacityProviderStrategy[${i}]`;
      v.check(s.capacityProvider === "FARGATE" || s.capacityProvider === "FARGATE_SPOT", `${f}.capacityProvider`, s.capacityProvider, 'must be "FARGATE" or "FARGATE_SPOT".');
      v.check(!seen.has(s.capacityProvider), `${f}.capacityProvider`, s.capacityProvider, "is listed twice.");
      seen.add(s.capacityProvider);
      v.check(Number.isInteger(s.weight) && s.weight >= 0 && s.weight <= 1000, `${f}.weight`, s.weight, "must be a whole number between 0 and 1000.");
      if (s.base !== undefined) v.check(Number.isInteger(s.base) && s.base >= 0 && s.base <= 100000, `${f}.base`, s.base, "must be a whole number between 0 and 100000.");
    });
    if (strategy.length >= 1) {
      v.check(strategy.some((s) => s.weight > 0), "capacityProviderStrategy", strategy, "needs a provider with weight above 0, or no task beyond the base is ever placed.");
      v.check(strategy.filter((s) => (s.base ?? 0) > 0).length <= 1, "capacityProviderStrategy", strategy, "only one provider may have a base.");
    }
  }
  v.throwIfAny();
}

/** Start ordering, UDP ports and FireLens routing between the containers of one task. */
function validateContainerRelations(v: Validator, props: FargateServiceProps): void {
  const containers = props.containers ?? {};
  const names = Object.keys(containers);
  const routers = names.filter((n) => containers[n]!.firelensLogRouter);
  v.check(routers.length <= 1, "containers", routers, "has more than one FireLens log router; a task takes one.");
  const udpOwners = new Map<number, string>();
  for (const [name, c] of Object.entries(containers)) {
    const field = `containers.${name}`;
    for (const [portName, port] of Object.entries(c.udpPorts ?? {})) {
      const owner = udpOwners.get(port);
      v.check(owner === undefined, `${field}.udpPorts.${portName}`, port, `is already used by container "${owner}"; containers of a task share one network namespace.`);
      udpOwners.set(port, name);
    }
    for (const [target, condition] of Object.entries(c.dependsOn ?? {})) {
      const f = `${field}.dependsOn.${target}`;
      if (!v.check(names.includes(target) && target !== name, f, target, `must name another container of the task (${names.filter((n) => n !== name).join(", ") || "none"}).`)) continue;
      if (!v.check(["START", "HEALTHY", "COMPLETE", "SUCCESS"].includes(condition), f, condition, 'must be "START", "HEALTHY", "COMPLETE" or "SUCCESS".')) continue;
      if (condition === "HEALTHY") v.check(containers[target]!.healthCheck !== undefined, f, condition, `waits for "${target}" to be healthy, but it has no healthCheck; add one or wait for "START".`);
      if (condition === "COMPLETE" || condition === "SUCCESS") {
        v.check(containers[target]!.essential === false, f, condition, `waits for "${target}" to exit, which stops the task while it is essential; set essential: false on it.`);
      }
      v.check(containers[target]!.dependsOn?.[name] === undefined, f, target, `and "${target}" wait for each other, so neither starts; remove one of the two.`);
    }
    if (c.logRouting) {
      v.check(routers.length === 1 && routers[0] !== name, `${field}.logRouting`, c.logRouting.options, "needs another container of the task with firelensLogRouter: true to route the logs.");
    }
  }
}

/** Other CPU sizes that accept a memory value, as a hint in the error. */
function otherCpusFor(memoryMiB: number): string {
  const fits = FARGATE_CPU_VALUES.filter((cpu) => fargateMemoryOptions(cpu).includes(memoryMiB)).map(String);
  if (fits.length === 0) return `no Fargate cpu takes ${memoryMiB} MiB`;
  const list = fits.length === 1 ? fits[0] : `${fits.slice(0, -1).join(", ")} or ${fits[fits.length - 1]}`;
  return `or keep ${memoryMiB} MiB with cpu ${list}`;
}
