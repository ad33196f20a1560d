import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { mapLimit } from "./pool";

/** The provider version @cdktf/provider-aws 20.1.0 was generated from. */
export const AWS_PROVIDER_VERSION = "5.100.0";
const AWS_PROVIDER_PATH = `registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}`;

/** Places a Terraform filesystem mirror is commonly found, besides `TF_PROVIDER_MIRROR`. */
const MIRROR_CANDIDATES = [
  "/opt/tf-plugins",
  "/usr/share/terraform/plugins",
  "/usr/local/share/terraform/plugins",
  join(homedir(), ".terraform.d", "plugins"),
  join(homedir(), ".local", "share", "terraform", "plugins"),
];

export interface TerraformSetup {
  /** Absolute path of the terraform binary. */
  readonly binary: string;
  /** CLI config written for this run (mirror and shared plugin cache). */
  readonly cliConfigFile: string;
  /** Filesystem mirror in use, or undefined when providers come from the public registry. */
  readonly mirror: string | undefined;
  readonly pluginCacheDir: string;
}

/** Finds `terraform` on the PATH (or `TERRAFORM_BINARY`). */
export function findTerraform(): string | undefined {
  const explicit = process.env.TERRAFORM_BINARY;
  if (explicit) return existsSync(explicit) ? resolve(explicit) : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "terraform");
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The mirror folder holding the AWS provider we need: `TF_PROVIDER_MIRROR`, else the usual places. */
export function findProviderMirror(): string | undefined {
  const explicit = process.env.TF_PROVIDER_MIRROR;
  const candidates = explicit ? [explicit] : MIRROR_CANDIDATES;
  return candidates.find((dir) => existsSync(join(dir, AWS_PROVIDER_PATH)));
}

/**
 * Writes a CLI config into `workRoot`: the AWS provider from the mirror when there is one
 * (other providers, and everything when there is no mirror, from the public registry), and
 * one plugin cache shared by every stack so the ~700 MB provider is never copied per stack.
 */
export function prepareTerraform(workRoot: string): TerraformSetup {
  const binary = findTerraform();
  if (!binary) throw new Error("terraform is not on the PATH (set TERRAFORM_BINARY to point at it)");
  mkdirSync(workRoot, { recursive: true });
  const pluginCacheDir = process.env.TF_PLUGIN_CACHE_DIR ?? join(workRoot, "plugin-cache");
  mkdirSync(pluginCacheDir, { recursive: true });
  const mirror = findProviderMirror();
  const installation = mirror ? `provider_installation {\n${mirrorSources(mirror)}}\n` : "";
  const cliConfigFile = join(workRoot, "terraformrc");
  writeFileSync(
    cliConfigFile,
    `${installation}plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}\nplugin_cache_may_break_dependency_lock_file = true\n`,
  );
  return { binary, cliConfigFile, mirror, pluginCacheDir };
}

/** Installation sources: the AWS provider from `mirror`, everything else from the registry. */
function mirrorSources(mirror: string): string {
  return `  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
`;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Go's garbage collector for offline runs, unless the shell sets its own. An offline plan or
 * show is a few seconds long and spends a third of its CPU collecting the provider schema's
 * garbage (~600 MB of it, in terraform and in every provider process it starts). With the
 * collector off until a process holds 1 GiB, `pnpm bench`'s offline plan uses about 35 % less
 * CPU; a process that outgrows the limit is collected as usual.
 */
export function offlineGoRuntime(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string>> {
  return { GOGC: env.GOGC || "off", GOMEMLIMIT: env.GOMEMLIMIT || "1GiB" };
}

/** Environment for offline runs: dummy credentials, so real ones in the shell are never used. */
export const OFFLINE_ENV: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: "mock-access-key",
  AWS_SECRET_ACCESS_KEY: "mock-secret-key",
  AWS_SESSION_TOKEN: "",
  AWS_PROFILE: "",
  AWS_EC2_METADATA_DISABLED: "true",
  ...offlineGoRuntime(),
};

/** Runs terraform in `cwd` with our CLI config; never throws for a non-zero exit. */
export function runTerraform(
  setup: TerraformSetup,
  cwd: string,
  args: readonly string[],
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(setup.binary, args, {
      cwd,
      env: {
        ...process.env,
        TF_CLI_CONFIG_FILE: setup.cliConfigFile,
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
        CHECKPOINT_DISABLE: "1",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * Runs `task` over `items`, `limit` at a time, but alone for the first item while the plugin
 * cache holds no AWS provider yet: two `terraform init`s filling an empty cache at once collide
 * ("failed to create directory … file exists").
 */
export async function mapWarmingPluginCache<T>(setup: TerraformSetup, items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let rest = items;
  if (items.length > 0 && !existsSync(join(setup.pluginCacheDir, "registry.terraform.io", "hashicorp", "aws"))) {
    await task(items[0]!);
    rest = items.slice(1);
  }
  await mapLimit(rest, limit, task);
}

/**
 * `task` whose first call runs alone: later calls wait for it (its outcome does not matter), so
 * the first `terraform init` fills an empty plugin cache before any other starts.
 */
export function firstCallAlone<A extends unknown[], R>(task: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let first: Promise<R> | undefined;
  return async (...args: A) => {
    if (!first) {
      first = task(...args);
      return first;
    }
    await first.catch(() => undefined);
    return task(...args);
  };
}

/** Terraform's notice on every command run with `dev_overrides`; expected in offline checks. */
export const DEV_OVERRIDES_NOTICE = "Provider development overrides are in effect";

/**
 * The offline fast path: a CLI config whose `dev_overrides` point terraform straight at the
 * unpacked AWS provider (the mirror's folder, else the plugin cache after one init), so a working
 * copy needs no `terraform init` and no command re-hashes the ~700 MB binary against a lock file.
 * Same binary, same version as the lock file pins; only for offline checks (CI plans keep init
 * and the lock file). `initBackend` stands in for init: the local backend every offline working
 * copy overrides to is recorded once and copied.
 */
export interface OfflineTerraform extends TerraformSetup {
  /** Folder of the unpacked provider terraform runs. */
  readonly providerDir: string;
  /** Makes `dir` initialized for the local backend at `offline.tfstate` (what init would record). */
  readonly initBackend: (dir: string) => void;
}

const offlineSetups = new Map<string, Promise<OfflineTerraform>>();

/** See {@link OfflineTerraform}; memoised per work root and process. */
export function prepareOfflineTerraform(workRoot: string): Promise<OfflineTerraform> {
  const key = resolve(workRoot);
  let setup = offlineSetups.get(key);
  if (!setup) {
    setup = buildOfflineTerraform(key);
    offlineSetups.set(key, setup);
    setup.catch(() => offlineSetups.delete(key));
  }
  return setup;
}

async function buildOfflineTerraform(workRoot: string): Promise<OfflineTerraform> {
  const base = prepareTerraform(workRoot);
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const fromMirror = base.mirror && join(base.mirror, AWS_PROVIDER_PATH, platform);
  const fromCache = join(base.pluginCacheDir, AWS_PROVIDER_PATH, platform);
  const providerDir = fromMirror && existsSync(fromMirror) ? fromMirror : fromCache;
  const bootstrap = join(workRoot, "offline-bootstrap");
  mkdirSync(bootstrap, { recursive: true });
  if (!existsSync(providerDir)) {
    // No unpacked copy yet: one ordinary init fills the plugin cache.
    writeFileSync(
      join(bootstrap, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } } }),
    );
    const init = await runTerraform(base, bootstrap, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    if (init.code !== 0 || !existsSync(providerDir)) throw new Error(`could not install the AWS provider ${AWS_PROVIDER_VERSION}: ${init.stderr}`);
  }
  const cliConfigFile = join(workRoot, "terraformrc-offline");
  // Sources for an `init` that still runs here (CI's own plan code, under test offline): the
  // mirror when there is one, so init needs no network; dev_overrides wins at run time either way.
  writeFileSync(
    cliConfigFile,
    `provider_installation {\n  dev_overrides {\n    "registry.terraform.io/hashicorp/aws" = ${JSON.stringify(providerDir)}\n  }\n${base.mirror ? mirrorSources(base.mirror) : "  direct {}\n"}}\n`,
  );
  // What `terraform init` records for the override's local backend, copied into each working copy.
  const backendDir = join(workRoot, "offline-backend");
  const record = join(backendDir, ".terraform", "terraform.tfstate");
  if (!existsSync(record)) {
    mkdirSync(backendDir, { recursive: true });
    writeFileSync(join(backendDir, "main.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "offline.tfstate" } } } }));
    const init = await runTerraform(base, backendDir, ["init", "-input=false", "-no-color"], OFFLINE_ENV);
    if (init.code !== 0) throw new Error(`init of the local backend failed: ${init.stderr}`);
  }
  const recorded = readFileSync(record);
  const initBackend = (dir: string) => {
    mkdirSync(join(dir, ".terraform"), { recursive: true });
    writeFileSync(join(dir, ".terraform", "terraform.tfstate"), recorded);
  };
  return { ...base, cliConfigFile, providerDir, initBackend };
}
