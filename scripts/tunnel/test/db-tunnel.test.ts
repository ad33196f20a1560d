import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LOCAL_PORT, parseTunnelArgs, type TunnelOptions } from "../args";
import {
  databaseUrlArgs,
  describeTasksArgs,
  ecsExecTarget,
  listTasksArgs,
  portForwardingParameters,
  psqlUrl,
  secretValueArgs,
  startSessionArgs,
  taskIdOf,
} from "../commands";
import { pickExecContainer, type ServiceContext } from "../ecs-task";
import { TunnelError } from "../errors";
import {
  parseOutputsFile,
  parseTerraformOutputs,
  stackSettingsOf,
  staticOutputSource,
  terraformErrorSummary,
  terraformOutputSource,
  type StackOutputs,
  type StackSettings,
} from "../outputs";
import { shellJoin, shellQuote, type CapturedRun, type CommandRunner } from "../runner";
import { chooseService, choosePath, runTunnel, type TunnelDeps } from "../tunnel";
import { sharedSynthAll } from "../../shared/synth-all";

const CLUSTER = "bookmark-manager-staging-cluster";
const API = "bookmark-manager-staging-api";
const ENDPOINT = "bookmark-manager-staging-postgres.c1a2b3.ap-northeast-1.rds.amazonaws.com";
const SECRET = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-0f1e-AbCdEf";
const TASK_ARN = `arn:aws:ecs:ap-northeast-1:123456789012:task/${CLUSTER}/0a1b2c3d4e5f60718293a4b5c6d7e8f9`;
const RUNTIME_ID = "0a1b2c3d4e5f60718293a4b5c6d7e8f9-1234567890";
const START = `aws lambda invoke --function-name bookmark-manager-staging-service-scheduler --cli-binary-format raw-in-base64-out --payload '{"action":"start"}' out.json`;
const REGION = "ap-northeast-1";

/** `terraform output -json` form, as the real command prints it. */
const tf = (outputs: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(outputs).map(([k, value]) => [k, { value, type: typeof value === "string" ? "string" : ["map", "string"], sensitive: false }]));

const stagingOutputs = (): Record<string, StackOutputs> => ({
  "staging-database": {
    db_endpoint: ENDPOINT,
    db_master_secret_arn: SECRET,
    database_url_parameter: "/bookmark-manager/staging/DATABASE_URL",
  },
  "staging-compute": {
    cluster_name: CLUSTER,
    service_names: { api: API, web: "bookmark-manager-staging-web" },
    scheduler_start_command: START,
  },
  "staging-network": { vpc_id: "vpc-0123456789abcdef0" },
});

const prodOutputs = (): Record<string, StackOutputs> => ({
  "prod-database": { db_endpoint: "bm-prod.cluster-c1a2b3.ap-northeast-1.rds.amazonaws.com", db_master_secret_arn: SECRET },
  "prod-compute": { cluster_name: "bookmark-manager-prod-cluster", service_names: { api: "bookmark-manager-prod-api" } },
  "prod-bastion": { bastion_instance_id: "i-0123456789abcdef0" },
});

const SETTINGS: StackSettings = { region: REGION, accountId: "123456789012", databaseName: "bookmarkdb", masterUsername: "dbadmin", databasePort: 5432 };

const execTask = (overrides: Record<string, unknown> = {}, agentStatus = "RUNNING") => ({
  taskArn: TASK_ARN,
  lastStatus: "RUNNING",
  enableExecuteCommand: true,
  containers: [
    {
      name: "api",
      runtimeId: RUNTIME_ID,
      lastStatus: "RUNNING",
      managedAgents: [{ name: "ExecuteCommandAgent", lastStatus: agentStatus }],
    },
  ],
  ...overrides,
});

type Event = { readonly kind: "print"; readonly line: string } | { readonly kind: "capture" | "interactive"; readonly argv: readonly string[] };

/** A runner that answers from a script and records every call, in order with the printed lines. */
function fakeWorld(answers: { listTasks?: unknown; describeTasks?: unknown; failWith?: CapturedRun; sessionExit?: number } = {}) {
  const events: Event[] = [];
  const runner: CommandRunner = {
    capture: async (command, args) => {
      events.push({ kind: "capture", argv: [command, ...args] });
      if (answers.failWith) return answers.failWith;
      const body = args[1] === "list-tasks" ? answers.listTasks : args[1] === "describe-tasks" ? answers.describeTasks : undefined;
      if (body === undefined) throw new Error(`unexpected command ${shellJoin(command, args)}`);
      return { code: 0, stdout: JSON.stringify(body), stderr: "" };
    },
    interactive: async (command, args) => {
      events.push({ kind: "interactive", argv: [command, ...args] });
      return answers.sessionExit ?? 0;
    },
  };
  const print = (line: string) => events.push({ kind: "print", line });
  const printed = () => events.flatMap((e) => (e.kind === "print" ? [e.line] : [])).join("\n");
  const runs = () => events.filter((e) => e.kind !== "print");
  return { events, runner, print, printed, runs };
}

function deps(world: ReturnType<typeof fakeWorld>, stacks: Record<string, StackOutputs>, extra: Partial<TunnelDeps> = {}): TunnelDeps {
  return {
    outputs: staticOutputSource(stacks, "saved.json"),
    runner: world.runner,
    print: world.print,
    settings: () => SETTINGS,
    hasCommand: () => true,
    portInUse: async () => false,
    ...extra,
  };
}

const opts = (o: Partial<TunnelOptions> = {}): TunnelOptions => ({ environment: "staging", localPort: DEFAULT_LOCAL_PORT, dryRun: false, ...o });

async function tunnelError(promise: Promise<unknown>): Promise<string> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TunnelError);
  return (e as TunnelError).message;
}

function argError(argv: string[]): string {
  try {
    parseTunnelArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(TunnelError);
    return (e as Error).message;
  }
  throw new Error("expected a TunnelError");
}

describe("parseTunnelArgs", () => {
  it("defaults to local port 15432, no path, no dry run", () => {
    expect(parseTunnelArgs(["staging"])).toEqual({
      environment: "staging",
      localPort: 15432,
      via: undefined,
      service: undefined,
      dryRun: false,
      outputsFile: undefined,
    });
  });

  it("reads every option", () => {
    expect(
      parseTunnelArgs(["prod", "--local-port", "25432", "--via", "task", "--service", "web", "--dry-run", "--outputs-file", "o.json"]),
    ).toEqual({ environment: "prod", localPort: 25432, via: "task", service: "web", dryRun: true, outputsFile: "o.json" });
    expect(parseTunnelArgs(["prod", "--local-port=25433"])).toMatchObject({ localPort: 25433 });
    expect(parseTunnelArgs(["--help"])).toBe("help");
  });

  it.each(["abc", "80", "70000", "0", "15432.5", "-1", ""])("fails when --local-port is %j", (port) => {
    const message = argError(["staging", `--local-port=${port}`]);
    expect(message).toContain(`--local-port must be a whole number from 1024 to 65535 (got "${port}")`);
    expect(message).toContain("default 15432 keeps a local PostgreSQL on 5432 from answering");
  });

  it("fails when --via is neither task nor bastion", () => {
    expect(argError(["staging", "--via", "ssh"])).toBe('--via must be "task" or "bastion" (got "ssh").');
  });

  it("fails when no environment or two are named", () => {
    expect(argError([])).toMatch(/^name the environment, e\.g\. `pnpm tunnel staging`\.\n\nUsage: pnpm tunnel <env>/);
    expect(argError(["staging", "prod"])).toMatch(/^expected one environment, got staging prod\./);
  });

  it("fails when the environment name could leave cdktf.out/stacks", () => {
    expect(argError(["../prod"])).toBe('environment "../prod" is not a valid name: use lower-case letters, digits and hyphens (e.g. staging).');
  });

  it("fails on an unknown option, showing the usage", () => {
    const message = argError(["staging", "--port", "1"]);
    expect(message).toContain("--port");
    expect(message).toContain("Usage: pnpm tunnel <env>");
  });
});

describe("commands", () => {
  it("lists the running tasks of one service", () => {
    expect(listTasksArgs(CLUSTER, API, REGION)).toEqual([
      "ecs", "list-tasks", "--cluster", CLUSTER, "--service-name", API, "--desired-status", "RUNNING", "--output", "json", "--region", REGION,
    ]);
    expect(listTasksArgs(CLUSTER, API)).toEqual(["ecs", "list-tasks", "--cluster", CLUSTER, "--service-name", API, "--desired-status", "RUNNING", "--output", "json"]);
  });

  it("describes the listed tasks", () => {
    expect(describeTasksArgs(CLUSTER, [TASK_ARN, "arn:x/2"], REGION)).toEqual([
      "ecs", "describe-tasks", "--cluster", CLUSTER, "--tasks", TASK_ARN, "arn:x/2", "--output", "json", "--region", REGION,
    ]);
  });

  it("builds the ECS Exec target from cluster, task ID and container runtime ID", () => {
    expect(taskIdOf(TASK_ARN)).toBe("0a1b2c3d4e5f60718293a4b5c6d7e8f9");
    expect(ecsExecTarget(CLUSTER, "0a1b2c3d", RUNTIME_ID)).toBe(`ecs:${CLUSTER}_0a1b2c3d_${RUNTIME_ID}`);
  });

  it("passes the port-forwarding parameters as JSON lists of strings", () => {
    const json = portForwardingParameters(ENDPOINT, 5432, 15432);
    expect(json).toBe(`{"host":["${ENDPOINT}"],"portNumber":["5432"],"localPortNumber":["15432"]}`);
    expect(JSON.parse(json)).toEqual({ host: [ENDPOINT], portNumber: ["5432"], localPortNumber: ["15432"] });
  });

  it("starts the port-forwarding session on the target", () => {
    expect(startSessionArgs({ target: "i-0123456789abcdef0", host: ENDPOINT, remotePort: 5432, localPort: 15432, region: REGION })).toEqual([
      "ssm", "start-session",
      "--target", "i-0123456789abcdef0",
      "--document-name", "AWS-StartPortForwardingSessionToRemoteHost",
      "--parameters", `{"host":["${ENDPOINT}"],"portNumber":["5432"],"localPortNumber":["15432"]}`,
      "--region", REGION,
    ]);
  });

  it("tells how to read the password and DATABASE_URL without reading them", () => {
    expect(secretValueArgs(SECRET, REGION)).toEqual(["secretsmanager", "get-secret-value", "--secret-id", SECRET, "--query", "SecretString", "--output", "text", "--region", REGION]);
    expect(databaseUrlArgs("/p/DATABASE_URL")).toEqual(["ssm", "get-parameter", "--name", "/p/DATABASE_URL", "--with-decryption", "--query", "Parameter.Value", "--output", "text"]);
  });

  it("gives psql a URL without password, percent-encoded, with TLS required", () => {
    expect(psqlUrl("dbadmin", 15432, "bookmarkdb")).toBe("postgresql://dbadmin@localhost:15432/bookmarkdb?sslmode=require");
    expect(psqlUrl("a@b", 15433, "d/b")).toBe("postgresql://a%40b@localhost:15433/d%2Fb?sslmode=require");
  });

  it("quotes printed words for a POSIX shell", () => {
    expect(shellQuote("ecs")).toBe("ecs");
    expect(shellQuote('{"host":["h"]}')).toBe(`'{"host":["h"]}'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("rds!db")).toBe("'rds!db'");
  });
});

describe("outputs", () => {
  it("parses `terraform output -json` into values", () => {
    const json = JSON.stringify({
      db_endpoint: { sensitive: false, type: "string", value: ENDPOINT },
      service_names: { sensitive: false, type: ["object", { api: "string" }], value: { api: API } },
      secret: { sensitive: true, type: "string", value: "s3cr3t" },
    });
    expect(parseTerraformOutputs(json, "staging-database")).toEqual({ db_endpoint: ENDPOINT, service_names: { api: API }, secret: "s3cr3t" });
    expect(parseTerraformOutputs("{}", "staging-database")).toEqual({});
  });

  it("fails on output that is not `terraform output -json`, without quoting values", () => {
    expect(() => parseTerraformOutputs("Error: nope", "s-database")).toThrow("`terraform output -json` of s-database did not print JSON.");
    expect(() => parseTerraformOutputs("[]", "s-database")).toThrow("did not print a JSON object");
    const message = (() => {
      try {
        parseTerraformOutputs(JSON.stringify({ password: "hunter2" }), "s-database");
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(message).toBe('output "password" of s-database is not in `terraform output -json` form ({"value": …, "type": …}).');
    expect(message).not.toContain("hunter2");
  });

  it("reads a saved file of terraform-form or plain outputs per stack", () => {
    const file = JSON.stringify({ "staging-database": tf({ db_endpoint: ENDPOINT }), "staging-compute": { cluster_name: CLUSTER, service_names: { api: API } } });
    expect(parseOutputsFile(file, "o.json")).toEqual({
      "staging-database": { db_endpoint: ENDPOINT },
      "staging-compute": { cluster_name: CLUSTER, service_names: { api: API } },
    });
    expect(() => parseOutputsFile("nope", "o.json")).toThrow('o.json is not JSON; it should hold {"<env>-database": {<terraform output -json>}, …}.');
    expect(() => parseOutputsFile('{"staging-database": 3}', "o.json")).toThrow('o.json: "staging-database" should map output names to values.');
  });

  it("runs `terraform output -json` in the stack's folder, printing it first", async () => {
    const root = mkdtempSync(join(tmpdir(), "tunnel-"));
    const stacksDir = join(root, "cdktf.out", "stacks");
    for (const s of ["staging-database", "staging-compute"]) {
      mkdirSync(join(stacksDir, s), { recursive: true });
      writeFileSync(join(stacksDir, s, "cdk.tf.json"), "{}");
    }
    mkdirSync(join(stacksDir, "not-a-stack"));
    const world = fakeWorld();
    const calls: { argv: string[]; cwd?: string }[] = [];
    const runner: CommandRunner = {
      capture: async (command, args, o) => {
        calls.push({ argv: [command, ...args], cwd: o?.cwd });
        world.events.push({ kind: "capture", argv: [command, ...args] });
        return { code: 0, stdout: JSON.stringify(tf({ db_endpoint: ENDPOINT })), stderr: "" };
      },
      interactive: async () => 1,
    };
    const source = terraformOutputSource({ stacksDir, runner, print: world.print, cwd: root });
    expect(source.listStacks()).toEqual(["staging-compute", "staging-database"]);
    expect(await source.read("staging-database")).toEqual({ db_endpoint: ENDPOINT });
    expect(calls).toEqual([{ argv: ["terraform", "output", "-no-color", "-json"], cwd: join(stacksDir, "staging-database") }]);
    expect(world.events[0]).toEqual({ kind: "print", line: "$ (cd cdktf.out/stacks/staging-database && terraform output -no-color -json)" });
    expect(world.events[1]?.kind).toBe("capture");
  });

  it("fails when nothing is synthesized, or terraform cannot read the state", async () => {
    const root = mkdtempSync(join(tmpdir(), "tunnel-"));
    const failing: CommandRunner = {
      capture: async () => ({ code: 1, stdout: "", stderr: '\x1b[31m╷\x1b[0m\n│ Error: Backend initialization required, please run "terraform init"\n│\n' }),
      interactive: async () => 1,
    };
    const source = terraformOutputSource({ stacksDir: join(root, "cdktf.out", "stacks"), runner: failing, print: () => {}, cwd: root });
    expect(() => source.listStacks()).toThrow("no synthesized stacks in cdktf.out/stacks: run `pnpm synth` first (or pass --outputs-file <json>).");
    expect(await tunnelError(source.read("staging-database"))).toBe(
      '`terraform output` failed in cdktf.out/stacks/staging-database (exit 1): Error: Backend initialization required, please run "terraform init"\n' +
        "Initialize the folder first (`terraform init` there, with credentials for the state bucket), or pass --outputs-file <json> with saved outputs.",
    );
    expect(terraformErrorSummary("a\nb\n\nc\n")).toBe("a\nb\nc");
  });

  it("takes region, account and database names from a synthesized stack", () => {
    const rds = {
      provider: { aws: [{ region: REGION, allowed_account_ids: ["123456789012"] }] },
      resource: { aws_db_instance: { pg: { db_name: "bookmarkdb", username: "dbadmin", port: 5432 } } },
    };
    expect(stackSettingsOf(rds)).toEqual(SETTINGS);
    const aurora = { resource: { aws_rds_cluster: { c: { database_name: "appdb", master_username: "admin2", port: 5433 } } } };
    expect(stackSettingsOf(aurora)).toEqual({ region: undefined, accountId: undefined, databaseName: "appdb", masterUsername: "admin2", databasePort: 5433 });
    expect(stackSettingsOf({ resource: { aws_db_instance: { pg: { db_name: "${var.x}" } } } }).databaseName).toBeUndefined();
  });
});

describe("choice of path and service", () => {
  it("goes through the bastion when the environment has one, else through a task", () => {
    expect(choosePath("prod", ["prod-database", "prod-compute", "prod-bastion"], undefined)).toBe("bastion");
    expect(choosePath("staging", ["staging-database", "staging-compute"], undefined)).toBe("task");
    expect(choosePath("prod", ["prod-database", "prod-compute", "prod-bastion"], "task")).toBe("task");
  });

  it("fails when the bastion is asked for but the environment has none", () => {
    expect(() => choosePath("staging", ["staging-database", "staging-compute"], "bastion")).toThrow(
      "staging has no bastion (no staging-bastion stack). Tunnel through an ECS task instead: pnpm tunnel staging --via task (needs compute.ecsExec: true).",
    );
  });

  it("fails when a task is asked for but there is no compute stack", () => {
    expect(() => choosePath("x", ["x-database", "x-bastion"], "task")).toThrow("x has no compute stack (x-compute) whose tasks could carry the tunnel; use --via bastion.");
  });

  it("picks --service, else api, else the first key", () => {
    expect(chooseService({ api: "a", web: "w" }, undefined, "s-compute")).toBe("api");
    expect(chooseService({ web: "w", admin: "ad" }, undefined, "s-compute")).toBe("admin");
    expect(chooseService({ api: "a", web: "w" }, "web", "s-compute")).toBe("web");
    expect(() => chooseService({ api: "a", web: "w" }, "worker", "s-compute")).toThrow(
      `service "worker" is not in s-compute's service_names (api, web); pass --service with one of them.`,
    );
  });
});

describe("pickExecContainer", () => {
  const ctx: ServiceContext = { environment: "staging", cluster: CLUSTER, service: API, region: REGION, schedulerStartCommand: START, hasBastion: false };

  it("targets the running container whose exec agent runs", () => {
    const sidecar = { name: "log-router", runtimeId: "side-1", lastStatus: "RUNNING", managedAgents: [{ name: "ExecuteCommandAgent", lastStatus: "PENDING" }] };
    const task = execTask();
    const picked = pickExecContainer({ tasks: [{ ...task, containers: [sidecar, ...task.containers] }] }, ctx);
    expect(picked).toEqual({ taskArn: TASK_ARN, taskId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", containerName: "api", runtimeId: RUNTIME_ID });
  });

  it("skips tasks that are not running yet", () => {
    const picked = pickExecContainer({ tasks: [execTask({ taskArn: "arn:x/pending", lastStatus: "PENDING" }), execTask()] }, ctx);
    expect(picked.taskArn).toBe(TASK_ARN);
  });

  it("fails when the tasks are still starting", () => {
    expect(() => pickExecContainer({ tasks: [execTask({ lastStatus: "PROVISIONING" })] }, ctx)).toThrow(
      `the tasks of service ${API} are not running yet (PROVISIONING). Wait until they run:\n  aws ecs wait services-stable --cluster ${CLUSTER} --services ${API} --region ${REGION}\nand run this again.`,
    );
  });

  it("fails when ECS Exec is not enabled, saying how to enable it", () => {
    const message = (() => {
      try {
        pickExecContainer({ tasks: [execTask({ enableExecuteCommand: false })] }, { ...ctx, hasBastion: true });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(message).toBe(
      `ECS Exec is not enabled on the running tasks of service ${API} (staging), so SSM cannot reach them.\n` +
        "Turn it on: set compute.ecsExec: true in apps/staging/src/config.ts, deploy staging-compute, then replace the running tasks (a task keeps the setting it started with):\n" +
        `  aws ecs update-service --cluster ${CLUSTER} --service ${API} --force-new-deployment --region ${REGION}\n` +
        "Or tunnel through the bastion instead: pnpm tunnel staging --via bastion",
    );
  });

  it("fails when the exec agent does not run, naming each container's agent state", () => {
    expect(() => pickExecContainer({ tasks: [execTask({}, "STOPPED")] }, ctx)).toThrow(
      `ECS Exec is enabled on service ${API}, but no container's exec agent is running (api: STOPPED).`,
    );
  });
});

describe("runTunnel", () => {
  it("finds a running task, prints every command before running it, and starts the session", async () => {
    const world = fakeWorld({ listTasks: { taskArns: [TASK_ARN] }, describeTasks: { tasks: [execTask()], failures: [] } });
    expect(await runTunnel(opts(), deps(world, stagingOutputs()))).toBe(0);
    const target = `ecs:${CLUSTER}_0a1b2c3d4e5f60718293a4b5c6d7e8f9_${RUNTIME_ID}`;
    const session = ["aws", ...startSessionArgs({ target, host: ENDPOINT, remotePort: 5432, localPort: 15432, region: REGION })];
    expect(world.runs()).toEqual([
      { kind: "capture", argv: ["aws", ...listTasksArgs(CLUSTER, API, REGION)] },
      { kind: "capture", argv: ["aws", ...describeTasksArgs(CLUSTER, [TASK_ARN], REGION)] },
      { kind: "interactive", argv: session },
    ]);
    // Each run is immediately preceded by its printed command line.
    world.events.forEach((e, i) => {
      if (e.kind !== "print") expect(world.events[i - 1]).toEqual({ kind: "print", line: `$ ${shellJoin(e.argv[0]!, e.argv.slice(1))}` });
    });
    const out = world.printed();
    expect(out).toContain('psql "postgresql://dbadmin@localhost:15432/bookmarkdb?sslmode=require"');
    expect(out).toContain(`aws secretsmanager get-secret-value --secret-id '${SECRET}' --query SecretString --output text --region ${REGION}`);
    expect(out).toContain("aws ssm get-parameter --name /bookmark-manager/staging/DATABASE_URL --with-decryption");
    expect(out).toContain(`through task 0a1b2c3d4e5f60718293a4b5c6d7e8f9 (container api) of service ${API}`);
  });

  it("tunnels through the bastion by default where there is one, running nothing but the session", async () => {
    const world = fakeWorld();
    expect(await runTunnel(opts({ environment: "prod", localPort: 25432 }), deps(world, prodOutputs()))).toBe(0);
    expect(world.runs()).toEqual([
      {
        kind: "interactive",
        argv: [
          "aws", "ssm", "start-session",
          "--target", "i-0123456789abcdef0",
          "--document-name", "AWS-StartPortForwardingSessionToRemoteHost",
          "--parameters", '{"host":["bm-prod.cluster-c1a2b3.ap-northeast-1.rds.amazonaws.com"],"portNumber":["5432"],"localPortNumber":["25432"]}',
          "--region", REGION,
        ],
      },
    ]);
    expect(world.printed()).toContain("localhost:25432 -> bm-prod.cluster-c1a2b3.ap-northeast-1.rds.amazonaws.com:5432 through the bastion i-0123456789abcdef0");
  });

  it("never reads the secret or the DATABASE_URL itself", async () => {
    const world = fakeWorld({ listTasks: { taskArns: [TASK_ARN] }, describeTasks: { tasks: [execTask()] } });
    await runTunnel(opts(), deps(world, stagingOutputs()));
    expect(world.runs()).toHaveLength(3);
    for (const run of world.runs()) {
      expect(run.argv).not.toContain("secretsmanager");
      expect(run.argv).not.toContain("get-parameter");
    }
  });

  it("with --dry-run prints the commands and runs none", async () => {
    const world = fakeWorld();
    let checked = false;
    const d = deps(world, stagingOutputs(), { portInUse: async () => ((checked = true), true), hasCommand: () => false });
    expect(await runTunnel(opts({ dryRun: true }), d)).toBe(0);
    expect(world.runs()).toEqual([]);
    expect(checked).toBe(false);
    const out = world.printed();
    expect(out).toContain(`$ aws ecs list-tasks --cluster ${CLUSTER} --service-name ${API} --desired-status RUNNING --output json --region ${REGION}`);
    expect(out).toContain(`$ aws ecs describe-tasks --cluster ${CLUSTER} --tasks '<task-arn from list-tasks>'`);
    expect(out).toContain(`$ aws ssm start-session --target 'ecs:${CLUSTER}_<task-id>_<container-runtime-id>' --document-name AWS-StartPortForwardingSessionToRemoteHost`);
    expect(out).toContain('psql "postgresql://dbadmin@localhost:15432/bookmarkdb?sslmode=require"');
  });

  it("with --dry-run on the bastion path prints the exact session command", async () => {
    const world = fakeWorld();
    await runTunnel(opts({ environment: "prod", dryRun: true }), deps(world, prodOutputs()));
    expect(world.runs()).toEqual([]);
    expect(world.printed()).toContain(
      `$ aws ssm start-session --target i-0123456789abcdef0 --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '{"host":["bm-prod.cluster-c1a2b3.ap-northeast-1.rds.amazonaws.com"],"portNumber":["5432"],"localPortNumber":["15432"]}' --region ${REGION}`,
    );
  });

  it("uses placeholders for names the synthesized stack would give", async () => {
    const world = fakeWorld();
    await runTunnel(opts({ environment: "prod", dryRun: true }), deps(world, prodOutputs(), { settings: () => undefined }));
    const out = world.printed();
    expect(out).toContain('psql "postgresql://%3Cmaster%20user%3E@localhost:15432/%3Cdatabase%3E?sslmode=require"');
    expect(out).toContain("run `pnpm synth`");
    expect(out).not.toContain("--region");
  });

  it("fails when --service is given for the bastion path", async () => {
    expect(await tunnelError(runTunnel(opts({ environment: "prod", service: "api" }), deps(fakeWorld(), prodOutputs())))).toBe(
      "--service picks the task for --via task, but prod tunnels through its bastion: add --via task, or drop --service.",
    );
  });

  it("tunnels through the chosen service's task with --via task --service", async () => {
    const world = fakeWorld({ listTasks: { taskArns: [TASK_ARN] }, describeTasks: { tasks: [execTask()] } });
    await runTunnel(opts({ service: "web" }), deps(world, stagingOutputs()));
    expect(world.runs()[0]).toEqual({ kind: "capture", argv: ["aws", ...listTasksArgs(CLUSTER, "bookmark-manager-staging-web", REGION)] });
  });

  it("fails when the environment is unknown, listing the known ones", async () => {
    const message = await tunnelError(runTunnel(opts({ environment: "qa" }), deps(fakeWorld(), { ...stagingOutputs(), ...prodOutputs() })));
    expect(message).toBe('unknown environment "qa": saved.json has no qa-database stack. Environments with a database: prod, staging.');
  });

  it("fails when no task runs, with the scheduler's start command", async () => {
    const world = fakeWorld({ listTasks: { taskArns: [] } });
    const message = await tunnelError(runTunnel(opts(), deps(world, stagingOutputs())));
    expect(message).toBe(
      `no running task of service ${API} in cluster ${CLUSTER} (staging).\n` +
        `The scheduler may have stopped the services (they run only during working hours). Start them now:\n  ${START} --region ${REGION}\n` +
        `then wait until it runs:\n  aws ecs wait services-stable --cluster ${CLUSTER} --services ${API} --region ${REGION}\nand run this again.`,
    );
    expect(world.runs()).toHaveLength(1);
  });

  it("fails when no task runs and there is no scheduler, saying how to start one", async () => {
    const stacks = stagingOutputs();
    const { scheduler_start_command: _, ...compute } = stacks["staging-compute"]!;
    const message = await tunnelError(runTunnel(opts(), deps(fakeWorld({ listTasks: { taskArns: [] } }), { ...stacks, "staging-compute": compute })));
    expect(message).toContain(`Start one (the service may have been scaled to zero):\n  aws ecs update-service --cluster ${CLUSTER} --service ${API} --desired-count 1 --region ${REGION}`);
  });

  it("fails when ECS Exec is off on the tasks", async () => {
    const world = fakeWorld({ listTasks: { taskArns: [TASK_ARN] }, describeTasks: { tasks: [execTask({ enableExecuteCommand: false })] } });
    expect(await tunnelError(runTunnel(opts(), deps(world, stagingOutputs())))).toMatch(/^ECS Exec is not enabled on the running tasks of service bookmark-manager-staging-api \(staging\)/);
    expect(world.runs().some((r) => r.kind === "interactive")).toBe(false);
  });

  it("fails when an aws command fails, showing its error and the expected account", async () => {
    const world = fakeWorld({ failWith: { code: 254, stdout: "", stderr: "An error occurred (ClusterNotFoundException): Cluster not found.\n" } });
    expect(await tunnelError(runTunnel(opts(), deps(world, stagingOutputs())))).toBe(
      "`aws ecs list-tasks` failed (exit 254):\nAn error occurred (ClusterNotFoundException): Cluster not found.\n" +
        "Check that your credentials are current and for the environment's account (aws sts get-caller-identity): account 123456789012, region ap-northeast-1.",
    );
  });

  it("fails when the database stack was never applied", async () => {
    const message = await tunnelError(runTunnel(opts(), deps(fakeWorld(), { ...stagingOutputs(), "staging-database": {} })));
    expect(message).toBe(
      'staging-database has no output "db_endpoint" in saved.json (no outputs at all: it was never applied). ' +
        "Deploy it first: `npx cdktf deploy staging-database` (or `terraform apply` in cdktf.out/stacks/staging-database), then run this again.",
    );
  });

  it("fails when an output is missing or still an unresolved reference", async () => {
    const stacks = stagingOutputs();
    const noSecret = { ...stacks, "staging-database": { db_endpoint: ENDPOINT } };
    expect(await tunnelError(runTunnel(opts(), deps(fakeWorld(), noSecret)))).toMatch(/^staging-database has no output "db_master_secret_arn" in saved\.json\. Deploy it first/);
    const unresolved = { ...stacks, "staging-compute": { ...stacks["staging-compute"], cluster_name: "${aws_ecs_cluster.c.name}" } };
    expect(await tunnelError(runTunnel(opts(), deps(fakeWorld(), unresolved)))).toMatch(/^staging-compute has no output "cluster_name"/);
    const noServices = { ...stacks, "staging-compute": { cluster_name: CLUSTER, service_names: {} } };
    expect(await tunnelError(runTunnel(opts(), deps(fakeWorld(), noServices)))).toMatch(/^staging-compute has no output "service_names"/);
    const noBastionId = { ...prodOutputs(), "prod-bastion": {} };
    expect(await tunnelError(runTunnel(opts({ environment: "prod" }), deps(fakeWorld(), noBastionId)))).toMatch(/^prod-bastion has no output "bastion_instance_id"/);
  });

  it("fails when the bastion output is not an instance ID", async () => {
    const bad = { ...prodOutputs(), "prod-bastion": { bastion_instance_id: "bastion; rm -rf /" } };
    expect(await tunnelError(runTunnel(opts({ environment: "prod" }), deps(fakeWorld(), bad)))).toBe(
      'prod-bastion output "bastion_instance_id" is "bastion; rm -rf /", not an instance ID (i-…); re-read the outputs after `cdktf deploy prod-bastion`.',
    );
  });

  it("fails when the local port is taken, suggesting another", async () => {
    const world = fakeWorld();
    const message = await tunnelError(runTunnel(opts(), deps(world, stagingOutputs(), { portInUse: async (p) => p === 15432 })));
    expect(message).toBe("localhost:15432 is already in use (a local PostgreSQL or another tunnel?); pick a free port: --local-port 15433.");
    expect(world.runs()).toEqual([]);
  });

  it("fails when the AWS CLI or the Session Manager plugin is missing", async () => {
    const noAws = deps(fakeWorld(), stagingOutputs(), { hasCommand: (n) => n !== "aws" });
    expect(await tunnelError(runTunnel(opts(), noAws))).toMatch(/^the AWS CLI \(`aws`\) is not on the PATH: install AWS CLI v2/);
    const noPlugin = deps(fakeWorld(), stagingOutputs(), { hasCommand: (n) => n !== "session-manager-plugin" });
    expect(await tunnelError(runTunnel(opts(), noPlugin))).toMatch(/^the Session Manager plugin for the AWS CLI \(`session-manager-plugin`\) is not on the PATH/);
  });

  it("returns the session's exit code with a hint when it fails", async () => {
    const world = fakeWorld({ sessionExit: 254 });
    expect(await runTunnel(opts({ environment: "prod" }), deps(world, prodOutputs()))).toBe(254);
    expect(world.printed()).toContain(`aws ec2 start-instances --instance-ids i-0123456789abcdef0 --region ${REGION}`);
  });
});

describe("against this repository's synthesized stacks", () => {
  const outdir = sharedSynthAll();
  const cdkTf = (stack: string) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) as {
    output?: Record<string, unknown>;
    resource?: Record<string, Record<string, Record<string, unknown>>>;
  };

  it("each environment has the outputs the tunnel reads", () => {
    for (const env of ["staging", "prod"]) {
      expect(Object.keys(cdkTf(`${env}-database`).output ?? {})).toEqual(expect.arrayContaining(["db_endpoint", "db_master_secret_arn", "database_url_parameter"]));
      expect(Object.keys(cdkTf(`${env}-compute`).output ?? {})).toEqual(expect.arrayContaining(["cluster_name", "service_names"]));
    }
    expect(Object.keys(cdkTf("staging-compute").output ?? {})).toContain("scheduler_start_command");
    expect(Object.keys(cdkTf("prod-bastion").output ?? {})).toContain("bastion_instance_id");
  });

  it("reads region and database names from the database stacks", () => {
    expect(stackSettingsOf(cdkTf("staging-database"))).toEqual(SETTINGS);
    expect(stackSettingsOf(cdkTf("prod-database"))).toEqual(SETTINGS);
  });

  it("tunnels staging through a task with ECS Exec on, and prod through its bastion", () => {
    const stacks = ["staging-database", "staging-compute", "prod-database", "prod-compute", "prod-bastion"];
    expect(choosePath("staging", stacks, undefined)).toBe("task");
    expect(choosePath("prod", stacks, undefined)).toBe("bastion");
    const services = Object.values(cdkTf("staging-compute").resource?.aws_ecs_service ?? {});
    expect(services.length).toBeGreaterThan(0);
    for (const s of services) expect(s.enable_execute_command).toBe(true);
  });
});
