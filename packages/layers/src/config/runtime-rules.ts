import type { Validator } from "@platform/core";
import { DATADOG_AGENT_CONTAINER, DEFAULT_BUCKET_VARIABLE, LOG_ROUTER_CONTAINER } from "@platform/compute";
import { validateEgress } from "@platform/security";
import { checkImageTag } from "./image-tag-rule";
import { type Raw, arrayOf, entriesOf, isObject, isString } from "./raw";

/**
 * Rules of what a service's application uses at runtime: grants, calls, egress, sidecars,
 * Datadog and Sentry. Every name a service may read lies under `/<project>/<env>/`.
 */

const APP_CONTAINER = "app";
const RESERVED_CONTAINERS = [APP_CONTAINER, DATADOG_AGENT_CONTAINER, LOG_ROUTER_CONTAINER];
const CONTAINER_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const SSM_NAME = /^\/[A-Za-z0-9_.\-/]+(\/\*)?$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const IMAGE_REFERENCE = /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._/-][a-z0-9]+)*:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/;

export function checkServiceRuntime(v: Validator, f: string, name: string, s: Raw, serviceNames: readonly string[], scope: string | undefined): void {
  const where = scope ?? "/<project>/<env>/";
  const inScope = (field: string, value: unknown, kind: "parameter" | "secret") => {
    const pattern = kind === "parameter" ? SSM_NAME : SECRET_NAME;
    const example = `${where}${kind === "parameter" ? "feature-flags" : "PARTNER_TOKEN"}`;
    if (!v.check(isString(value) && pattern.test(value) && !value.startsWith("arn:") && !value.includes("//"), field, value, `must be a ${kind === "parameter" ? "SSM parameter" : "Secrets Manager secret"} name (not an ARN), e.g. "${example}".`)) return;
    if (scope) {
      v.check((value as string).startsWith(scope), field, value, `is outside this environment's names (${scope}*); a service never reads another environment's ${kind}s. Create it as ${scope}${(value as string).split("/").pop() || "NAME"} and grant that.`);
    }
  };

  const grants = s.grants;
  if (isObject(grants)) {
    arrayOf(grants.parameters).forEach((p, i) => inScope(`${f}.grants.parameters[${i}]`, p, "parameter"));
    arrayOf(grants.secrets).forEach((p, i) => inScope(`${f}.grants.secrets[${i}]`, p, "secret"));
    if (grants.assets !== undefined && isObject(s.environment)) {
      v.check(s.environment[DEFAULT_BUCKET_VARIABLE] === undefined, `${f}.environment.${DEFAULT_BUCKET_VARIABLE}`, s.environment[DEFAULT_BUCKET_VARIABLE], "is set by grants.assets (the asset bucket's name); remove it here.");
    }
  }

  const calls = arrayOf(s.calls);
  calls.forEach((callee, i) => {
    v.check(
      isString(callee) && serviceNames.includes(callee) && callee !== name,
      `${f}.calls[${i}]`,
      callee,
      callee === name
        ? "is the service itself; a service reaches itself without Service Connect."
        : `is not a service of this environment; call one of ${serviceNames.filter((n) => n !== name).join(", ") || "(none)"}, or declare the service under compute.services first.`,
    );
  });
  v.check(new Set(calls).size === calls.length, `${f}.calls`, calls, "lists a service twice; list each once.");
  if (isObject(s.egress)) validateEgress(v, `${f}.egress`, s.egress);

  if (isObject(s.datadog)) {
    inScope(`${f}.datadog.apiKeySecret`, s.datadog.apiKeySecret, "secret");
    if (s.datadog.agentImageTag !== undefined) checkImageTag(v, `${f}.datadog.agentImageTag`, s.datadog.agentImageTag);
  }
  if (isObject(s.sentry)) inScope(`${f}.sentry.dsnSecret`, s.sentry.dsnSecret, "secret");

  const sidecars = entriesOf(s.sidecars);
  const containers = [APP_CONTAINER, ...sidecars.map(([n]) => n), ...(isObject(s.datadog) ? [DATADOG_AGENT_CONTAINER] : []), ...(s.datadog?.logs === true ? [LOG_ROUTER_CONTAINER] : [])];
  for (const [sidecar, c] of sidecars) {
    const sf = `${f}.sidecars.${sidecar}`;
    if (!v.check(CONTAINER_NAME.test(sidecar) && !RESERVED_CONTAINERS.includes(sidecar), sf, sidecar, `container names are 1-31 lower-case letters, digits and hyphens, and not ${RESERVED_CONTAINERS.join(", ")} (the platform's own).`)) continue;
    if (!isObject(c)) continue;
    if (isString(c.image) && v.check(IMAGE_REFERENCE.test(c.image), `${sf}.image`, c.image, 'must be a full image reference with a tag, e.g. "public.ecr.aws/nginx/nginx:1.27.3".')) {
      checkImageTag(v, `${sf}.image`, c.image.slice(c.image.lastIndexOf(":") + 1));
    }
    for (const [env, secret] of entriesOf(c.secrets)) inScope(`${sf}.secrets.${env}`, secret, "secret");
    checkDependsOn(v, `${sf}.dependsOn`, sidecar, c.dependsOn, containers);
  }
  checkDependsOn(v, `${f}.dependsOn`, APP_CONTAINER, s.dependsOn, containers);

  // The task runs while an essential container runs: sidecars alone have nothing to serve.
  const essential = s.essential !== false || sidecars.some(([, c]) => c?.essential === true) || s.datadog?.logs === true;
  v.check(
    essential,
    `${f}.essential`,
    s.essential,
    `leaves the task without an essential container (sidecars: ${sidecars.map(([n]) => n).join(", ") || "none"}); keep the application essential (remove essential: false) or mark the sidecar that is the main process essential: true.`,
  );
}

function checkDependsOn(v: Validator, field: string, self: string, dependsOn: Raw, containers: readonly string[]): void {
  for (const [target] of entriesOf(dependsOn)) {
    v.check(containers.includes(target) && target !== self, `${field}.${target}`, target, `must name another container of the task (${containers.filter((c) => c !== self).join(", ")}).`);
  }
}
