import { CONSTRUCT_KEY_PATTERN, NAME_LIMITS, type Validator, checkLogRetention, ssmParameterNameProblem } from "@platform/core";
import { FARGATE_CPU_VALUES, describeMemoryOptions, isValidFargateSize, validateAutoScaling, validateTargetHealthCheck } from "@platform/compute";
import { ECS_MAX_TASKS_PER_SERVICE } from "./aws-tables";
import { type Raw, arrayOf, entriesOf, isNumber, isObject, isString } from "./raw";
import { credentialInValue, isSecretName } from "./secrets";
import { checkImageTag } from "./image-tag-rule";
import { checkServiceRuntime } from "./runtime-rules";
import { validateEgress } from "@platform/security";

/** Rules of the compute layer: services, routes, image tags, capacity, variables and parameters. */

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&()!,;=*?]{0,127}$/;
const CATCH_ALL_PATTERNS = new Set(["*", "/*", "/**", "/?*", "*/*"]);
const ROUTE_PRIORITY_MAX = 50000;
/** Construct IDs the compute stack uses next to the services (service keys become construct IDs there). */
export const RESERVED_SERVICE_KEYS = ["aws", "backend", "cluster", "load-balancer", "redeploy-on-database-url-change", "scheduler", "traffic"] as const;

export function checkCompute(v: Validator, compute: Raw, registry: Raw, env: Raw): void {
  if (!isObject(compute)) return;
  if (isNumber(compute.logRetentionDays)) checkLogRetention(v, "compute.logRetentionDays", compute.logRetentionDays);
  const services = entriesOf(compute.services);
  v.check(services.length > 0, "compute.services", compute.services, "is empty; configure at least one service.");
  const repositories = arrayOf(registry?.repositories);
  const defaults = services.filter(([, s]) => s?.route === "default").map(([n]) => n);
  v.check(
    defaults.length >= 1 || services.length === 0,
    "compute.services.*.route",
    defaults,
    'must be "default" for exactly one service (the one that answers every path no other route matches).',
  );
  for (const name of defaults.slice(1)) {
    const copyOf = services.find(([n, s]) => n !== name && JSON.stringify(s) === JSON.stringify(compute.services[name]))?.[0];
    v.fail(
      `compute.services.${name}.route`,
      "default",
      copyOf
        ? `makes "${name}" a copy of service "${copyOf}" (same settings, both "default"); remove the duplicate service key or give it its own route { priority, pathPatterns }.`
        : `is also the route of service "${defaults[0]}"; only one service answers unmatched paths, give "${name}" { priority, pathPatterns }.`,
    );
  }
  const priorities = new Map<number, string>();
  const patterns = new Map<string, string>();
  const parameterScope = isString(env.project) && isString(env.name) ? `/${env.project}/${env.name}/` : undefined;
  const namePrefix = isString(env.project) && isString(env.name) ? `${env.project}-${env.name}` : undefined;
  for (const [name, s] of services) {
    const f = `compute.services.${name}`;
    if (!v.check(CONSTRUCT_KEY_PATTERN.test(name), f, name, 'service keys become resource names: 1-31 lower-case letters, digits and hyphens, starting with a letter (e.g. "web").')) continue;
    if (!v.check(!(RESERVED_SERVICE_KEYS as readonly string[]).includes(name), f, name, `is a name the compute stack uses itself (${RESERVED_SERVICE_KEYS.join(", ")}); rename the service and its repository (e.g. "${name}-app").`)) continue;
    v.check(repositories.includes(name), f, name, `has no image repository; add "${name}" to registry.repositories.`);
    if (namePrefix !== undefined) {
      // The secrets key (security stack) lets roles named <prefix>-*-execution decrypt; a name past
      // IAM's 64 characters would be shortened with a hash and lose that suffix.
      const roleName = `${namePrefix}-${name}-execution`;
      v.check(
        roleName.length <= NAME_LIMITS.iamRoleName,
        f,
        name,
        `makes the execution role name "${roleName}" longer than 64 characters; use a service key of at most ${NAME_LIMITS.iamRoleName - namePrefix.length - 11} characters.`,
      );
    }
    if (!isObject(s)) continue;
    if (isNumber(s.cpu) && v.check(FARGATE_CPU_VALUES.includes(s.cpu), `${f}.cpu`, s.cpu, `is not a Fargate CPU size; use one of ${FARGATE_CPU_VALUES.join(", ")} (1024 = 1 vCPU).`) && isNumber(s.memoryMiB)) {
      v.check(isValidFargateSize(s.cpu, s.memoryMiB), `${f}.memoryMiB`, s.memoryMiB, `Fargate does not offer cpu ${s.cpu} with ${s.memoryMiB} MiB; use memoryMiB ${describeMemoryOptions(s.cpu)}.`);
    }
    checkImageTag(v, `${f}.imageTag`, s.imageTag);
    checkRoute(v, f, name, s.route, priorities, patterns);
    if (isObject(s.healthCheck)) validateTargetHealthCheck(v, `${f}.healthCheck`, s.healthCheck);
    checkCapacity(v, f, s);
    // The construct refuses this too, on its construct path; the config user sees the config path.
    v.check(
      compute.ecsExec !== true || s.readonlyRootFilesystem === false,
      `${f}.readonlyRootFilesystem`,
      s.readonlyRootFilesystem ?? true,
      `is read-only${s.readonlyRootFilesystem === undefined ? " (the default)" : ""}, but compute.ecsExec is on and ECS Exec's agent writes to the root filesystem; set readonlyRootFilesystem: false on this service (say why in config.ts) or turn ecsExec off.`,
    );
    checkVariables(v, f, s, parameterScope);
    checkServiceRuntime(v, f, name, s, services.map(([n]) => n), parameterScope);
  }
  if (isObject(compute.egress)) validateEgress(v, "compute.egress", compute.egress);
}

function checkRoute(v: Validator, f: string, name: string, route: Raw, priorities: Map<number, string>, patterns: Map<string, string>): void {
  if (!isObject(route)) return;
  const p = route.priority;
  if (v.check(Number.isInteger(p) && p >= 1 && p <= ROUTE_PRIORITY_MAX, `${f}.route.priority`, p, `must be a whole number between 1 and ${ROUTE_PRIORITY_MAX}.`)) {
    const other = priorities.get(p);
    v.check(other === undefined, `${f}.route.priority`, p, `is already used by service "${other}"; give every route its own priority.`);
    priorities.set(p, name);
  }
  const paths = arrayOf(route.pathPatterns);
  v.check(paths.length >= 1 && paths.length <= 5, `${f}.route.pathPatterns`, paths, "must list 1-5 path patterns (an ALB rule takes at most 5 values).");
  paths.forEach((pattern, i) => {
    const pf = `${f}.route.pathPatterns[${i}]`;
    if (!v.check(isString(pattern) && PATH_PATTERN.test(pattern), pf, pattern, 'must start with "/", be at most 128 characters and use only URL path characters with * and ? wildcards (e.g. "/api/*").')) return;
    const p2 = pattern as string;
    v.check(!CATCH_ALL_PATTERNS.has(p2), pf, p2, 'matches every path, so the default service would never be reached; make this service route: "default" instead, or narrow the pattern (e.g. "/api/*").');
    const owner = patterns.get(p2);
    v.check(owner === undefined, pf, p2, owner === name ? "is listed twice in this route; list it once." : `is also routed to service "${owner}"; only the lower priority would ever match. Remove one.`);
    patterns.set(p2, name);
  });
}

function checkCapacity(v: Validator, f: string, s: Raw): void {
  const quota = `the ECS quota of ${ECS_MAX_TASKS_PER_SERVICE} tasks per service`;
  if (isNumber(s.desiredCount)) {
    v.check(s.desiredCount <= ECS_MAX_TASKS_PER_SERVICE, `${f}.desiredCount`, s.desiredCount, `exceeds ${quota}; split the service or lower the count.`);
  }
  const scaling = s.autoScaling;
  if (!isObject(scaling)) return;
  validateAutoScaling(v, `${f}.autoScaling`, scaling as never);
  if (isNumber(scaling.maxCapacity)) {
    v.check(scaling.maxCapacity <= ECS_MAX_TASKS_PER_SERVICE, `${f}.autoScaling.maxCapacity`, scaling.maxCapacity, `exceeds ${quota}; a scaling ceiling above it fails at apply.`);
  }
  if (isNumber(s.desiredCount) && isNumber(scaling.minCapacity) && isNumber(scaling.maxCapacity)) {
    v.check(s.desiredCount >= scaling.minCapacity && s.desiredCount <= scaling.maxCapacity, `${f}.desiredCount`, s.desiredCount, `must lie within autoScaling's ${scaling.minCapacity}-${scaling.maxCapacity}, or be left out (it defaults to minCapacity).`);
  }
}

function checkVariables(v: Validator, f: string, s: Raw, parameterScope: string | undefined): void {
  const plain = entriesOf(s.environment);
  const secret = entriesOf(s.parameters);
  for (const [name, value] of plain) {
    const vf = `${f}.environment.${name}`;
    if (!v.check(ENV_NAME.test(name), vf, name, "environment variable names are letters, digits and underscores, not starting with a digit.")) continue;
    const kind = isString(value) ? credentialInValue(value) : undefined;
    if (kind) {
      v.fail(vf, redact(value), `holds ${kind}; plain values are visible in the console and in Terraform state. Store it as an SSM SecureString under ${parameterScope ?? "/<project>/<env>/"}${name} and list it in parameters instead.`);
    } else {
      v.check(!isSecretName(name), vf, name, `is named like a credential; plain values are visible in the console and in Terraform state. Store it as an SSM SecureString and move it to parameters: { ${name}: "${parameterScope ?? "/<project>/<env>/"}${name}" }.`);
    }
    v.check(!secret.some(([n]) => n === name), vf, name, "is also in parameters; keep it in parameters only.");
  }
  for (const [name, parameter] of secret) {
    const pf = `${f}.parameters.${name}`;
    if (!v.check(ENV_NAME.test(name), pf, name, "environment variable names are letters, digits and underscores, not starting with a digit.")) continue;
    if (name === "DATABASE_URL" && s.databaseUrl !== false) {
      v.fail(pf, parameter, "is injected by the database layer already; remove it here, or set databaseUrl: false to use your own.");
    }
    if (!v.check(isString(parameter) && ssmParameterNameProblem(parameter) === undefined, pf, parameter, `must be an SSM parameter name (not an ARN), e.g. "${parameterScope ?? "/<project>/<env>/"}${name}".`)) continue;
    if (parameterScope) {
      v.check((parameter as string).startsWith(parameterScope), pf, parameter, `is outside this environment's parameters (${parameterScope}*); an environment must not read another's secrets. Copy the value to ${parameterScope}${name}.`);
    }
  }
}

/** The first characters of a credential, so the error message itself does not leak it. */
function redact(value: string): string {
  return value.length <= 8 ? "********" : `${value.slice(0, 8)}…(${value.length} characters)`;
}
