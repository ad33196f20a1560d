import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { TunnelError } from "./errors";
import { printCommand, type CommandRunner, type Printer } from "./runner";

/** Output values of one stack, by output name. */
export type StackOutputs = Readonly<Record<string, unknown>>;

/** Where stack outputs come from: `terraform output -json`, a saved file, or a test's fakes. */
export interface OutputSource {
  /** Stacks this source knows (synthesized stacks, or the keys of the saved file). */
  listStacks(): readonly string[];
  /** The outputs of one stack (empty when it was never applied); throws TunnelError when unreadable. */
  read(stack: string): Promise<StackOutputs>;
  /** How to refer to this source in messages, e.g. "cdktf.out/stacks". */
  readonly description: string;
}

const OUTPUT_ENTRY_KEYS = new Set(["value", "type", "sensitive", "description"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{value, type, sensitive}` as `terraform output -json` writes each output. */
function isOutputEntry(value: unknown): value is { value: unknown } {
  return isRecord(value) && "value" in value && Object.keys(value).every((k) => OUTPUT_ENTRY_KEYS.has(k));
}

/**
 * Parses `terraform output -json` (`{name: {value, type, sensitive}}`) into `{name: value}`.
 * Error messages never quote values: some outputs are sensitive.
 */
export function parseTerraformOutputs(json: string, stack: string): StackOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new TunnelError(`\`terraform output -json\` of ${stack} did not print JSON.`);
  }
  if (!isRecord(parsed)) throw new TunnelError(`\`terraform output -json\` of ${stack} did not print a JSON object.`);
  const outputs: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(parsed)) {
    if (!isOutputEntry(entry)) {
      throw new TunnelError(`output "${name}" of ${stack} is not in \`terraform output -json\` form ({"value": …, "type": …}).`);
    }
    outputs[name] = entry.value;
  }
  return outputs;
}

/**
 * Parses a saved `{stack: outputs}` file. Each stack's outputs may be `terraform output -json`
 * entries (`{value, type, sensitive}`, unwrapped) or plain values.
 */
export function parseOutputsFile(json: string, file: string): Record<string, StackOutputs> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new TunnelError(`${file} is not JSON; it should hold {"<env>-database": {<terraform output -json>}, …}.`);
  }
  if (!isRecord(parsed)) throw new TunnelError(`${file} should hold a JSON object {"<env>-database": {…}, "<env>-compute": {…}}.`);
  const stacks: Record<string, StackOutputs> = {};
  for (const [stack, outputs] of Object.entries(parsed)) {
    if (!isRecord(outputs)) throw new TunnelError(`${file}: "${stack}" should map output names to values.`);
    stacks[stack] = Object.fromEntries(Object.entries(outputs).map(([name, v]) => [name, isOutputEntry(v) ? v.value : v]));
  }
  return stacks;
}

/** Outputs held in memory (a saved file, or fakes in tests). */
export function staticOutputSource(stacks: Readonly<Record<string, StackOutputs>>, description = "the outputs file"): OutputSource {
  return {
    description,
    listStacks: () => Object.keys(stacks).sort(),
    read: async (stack) => stacks[stack] ?? {},
  };
}

export function fileOutputSource(file: string): OutputSource {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new TunnelError(`cannot read --outputs-file ${file}: ${(e as Error).message}`);
  }
  return staticOutputSource(parseOutputsFile(text, file), file);
}

/** Synthesized stacks: folders of `stacksDir` holding a cdk.tf.json. */
export function synthesizedStacks(stacksDir: string): string[] {
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(stacksDir, d.name, "cdk.tf.json")))
    .map((d) => d.name)
    .sort();
}

/**
 * `terraform output -json` in `cdktf.out/stacks/<stack>`: reads the stack's remote state, so it
 * needs the folder initialized (`cdktf deploy` does that, or `terraform init` there).
 */
export function terraformOutputSource(options: {
  readonly stacksDir: string;
  readonly runner: CommandRunner;
  readonly print: Printer;
  /** Folder paths in printed commands are relative to this. */
  readonly cwd: string;
}): OutputSource {
  const shown = relative(options.cwd, options.stacksDir) || ".";
  return {
    description: shown,
    listStacks: () => {
      const stacks = synthesizedStacks(options.stacksDir);
      if (stacks.length === 0) {
        throw new TunnelError(`no synthesized stacks in ${shown}: run \`pnpm synth\` first (or pass --outputs-file <json>).`);
      }
      return stacks;
    },
    read: async (stack) => {
      const dir = join(options.stacksDir, stack);
      const args = ["output", "-no-color", "-json"];
      printCommand(options.print, "terraform", args, join(shown, stack));
      const result = await options.runner.capture("terraform", args, { cwd: dir });
      if (result.code !== 0) {
        throw new TunnelError(
          `\`terraform output\` failed in ${join(shown, stack)} (exit ${result.code}): ${terraformErrorSummary(result.stderr)}\n` +
            `Initialize the folder first (\`terraform init\` there, with credentials for the state bucket), ` +
            `or pass --outputs-file <json> with saved outputs.`,
        );
      }
      return parseTerraformOutputs(result.stdout, stack);
    },
  };
}

/** The `Error:` lines of terraform's stderr (without colours and box drawing), else its last lines. */
export function terraformErrorSummary(stderr: string): string {
  const lines = stderr.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trim());
  const errors = lines.filter((l) => l.startsWith("Error:"));
  return (errors.length > 0 ? errors : lines.filter(Boolean).slice(-5)).join("\n") || "(no error output)";
}

/** What the synthesized stack itself says: literal names that are not outputs. */
export interface StackSettings {
  readonly region?: string;
  readonly accountId?: string;
  readonly databaseName?: string;
  readonly masterUsername?: string;
  readonly databasePort?: number;
}

const literal = (v: unknown): string | undefined => (typeof v === "string" && v !== "" && !v.includes("${") ? v : undefined);

/**
 * Region, account and database names from a synthesized `cdk.tf.json`: the database stack
 * outputs no database name or user, but they are literals in the RDS resource.
 */
export function stackSettingsOf(cdkTfJson: unknown): StackSettings {
  if (!isRecord(cdkTfJson)) return {};
  const providers = isRecord(cdkTfJson.provider) ? cdkTfJson.provider.aws : undefined;
  const aws = Array.isArray(providers) && isRecord(providers[0]) ? providers[0] : {};
  const accounts = Array.isArray(aws.allowed_account_ids) ? aws.allowed_account_ids : [];
  const resources = isRecord(cdkTfJson.resource) ? cdkTfJson.resource : {};
  const firstOf = (type: string): Record<string, unknown> => {
    const byName = resources[type];
    const first = isRecord(byName) ? Object.values(byName)[0] : undefined;
    return isRecord(first) ? first : {};
  };
  const instance = firstOf("aws_db_instance");
  const cluster = firstOf("aws_rds_cluster");
  const port = instance.port ?? cluster.port;
  return {
    region: literal(aws.region),
    accountId: literal(accounts[0]),
    databaseName: literal(instance.db_name) ?? literal(cluster.database_name),
    masterUsername: literal(instance.username) ?? literal(cluster.master_username),
    databasePort: typeof port === "number" && Number.isInteger(port) ? port : undefined,
  };
}

/** Settings of a synthesized stack, or undefined when it is not synthesized here. */
export function readStackSettings(stacksDir: string, stack: string): StackSettings | undefined {
  const file = join(stacksDir, stack, "cdk.tf.json");
  if (!existsSync(file)) return undefined;
  try {
    return stackSettingsOf(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return undefined;
  }
}
