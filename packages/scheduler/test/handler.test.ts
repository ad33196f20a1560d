import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
  DBInstanceNotFoundFault,
  DescribeDBInstancesCommand,
  RDSClient,
  StartDBInstanceCommand,
  StopDBInstanceCommand,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  PayloadError,
  ScheduleRunError,
  createHandler,
  parseAction,
  runSchedule,
  type LogRecord,
  type SchedulerClients,
} from "../src/handler";
import { parseHolidayCalendar } from "../src/holidays";
import { TARGETS_ENV_VAR, parseTargets, type SchedulerTargets } from "../src/targets";

const ecsMock = mockClient(ECSClient);
const aasMock = mockClient(ApplicationAutoScalingClient);
const rdsMock = mockClient(RDSClient);

const TARGETS: SchedulerTargets = {
  services: {
    web: { cluster: "acme-staging", service: "acme-staging-web", desiredCount: 2 },
    api: {
      cluster: "acme-staging",
      service: "acme-staging-api",
      desiredCount: 2,
      autoScaling: { resourceId: "service/acme-staging/acme-staging-api", minCapacity: 1, maxCapacity: 4 },
    },
  },
  database: { identifier: "acme-staging-db" },
};

/** A small AWS account: the fakes read and write it, and record every call in order. */
interface World {
  desired: Record<string, number>;
  targets: Record<string, { min: number; max: number }>;
  db: string | undefined;
  calls: string[];
}

let world: World;
let logs: { level: "info" | "error"; record: LogRecord }[];
const logger = {
  info: (record: LogRecord) => logs.push({ level: "info", record }),
  error: (record: LogRecord) => logs.push({ level: "error", record }),
};
const clients = (): SchedulerClients => ({
  ecs: new ECSClient({ region: "ap-northeast-1" }),
  autoScaling: new ApplicationAutoScalingClient({ region: "ap-northeast-1" }),
  rds: new RDSClient({ region: "ap-northeast-1" }),
});

function awsError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function running(): World {
  return {
    desired: { "acme-staging-web": 2, "acme-staging-api": 3 },
    targets: { "service/acme-staging/acme-staging-api": { min: 1, max: 4 } },
    db: "available",
    calls: [],
  };
}

function stopped(): World {
  return {
    desired: { "acme-staging-web": 0, "acme-staging-api": 0 },
    targets: { "service/acme-staging/acme-staging-api": { min: 0, max: 0 } },
    db: "stopped",
    calls: [],
  };
}

beforeEach(() => {
  ecsMock.reset();
  aasMock.reset();
  rdsMock.reset();
  logs = [];
  world = running();
  ecsMock.on(DescribeServicesCommand).callsFake((input) => {
    const name = input.services[0];
    world.calls.push(`DescribeServices ${name}`);
    if (!(name in world.desired)) return { services: [], failures: [{ arn: name, reason: "MISSING" }] };
    return { services: [{ serviceName: name, status: "ACTIVE", desiredCount: world.desired[name] }], failures: [] };
  });
  ecsMock.on(UpdateServiceCommand).callsFake((input) => {
    world.calls.push(`UpdateService ${input.service} ${input.desiredCount}`);
    world.desired[input.service] = input.desiredCount;
    return {};
  });
  aasMock.on(DescribeScalableTargetsCommand).callsFake((input) => {
    const id = input.ResourceIds[0];
    world.calls.push(`DescribeScalableTargets ${id}`);
    const t = world.targets[id];
    return { ScalableTargets: t ? [{ ResourceId: id, MinCapacity: t.min, MaxCapacity: t.max }] : [] };
  });
  aasMock.on(RegisterScalableTargetCommand).callsFake((input) => {
    world.calls.push(`RegisterScalableTarget ${input.ResourceId} ${input.MinCapacity}/${input.MaxCapacity}`);
    world.targets[input.ResourceId] = { min: input.MinCapacity, max: input.MaxCapacity };
    return {};
  });
  rdsMock.on(DescribeDBInstancesCommand).callsFake(() => {
    world.calls.push("DescribeDBInstances");
    return { DBInstances: [{ DBInstanceIdentifier: "acme-staging-db", DBInstanceStatus: world.db }] };
  });
  rdsMock.on(StopDBInstanceCommand).callsFake(() => {
    world.calls.push("StopDBInstance");
    world.db = "stopping";
    return {};
  });
  rdsMock.on(StartDBInstanceCommand).callsFake(() => {
    world.calls.push("StartDBInstance");
    world.db = "starting";
    return {};
  });
});

const writes = () => world.calls.filter((c) => !c.startsWith("Describe"));
const targetLogs = () => logs.filter((l) => l.record.event === "schedule.target");

describe("stop", () => {
  it("sets every service to 0, holds the scaler at 0/0 first, and stops the database last", async () => {
    const summary = await runSchedule("stop", TARGETS, clients(), logger);

    expect(world.desired).toEqual({ "acme-staging-web": 0, "acme-staging-api": 0 });
    expect(world.targets["service/acme-staging/acme-staging-api"]).toEqual({ min: 0, max: 0 });
    expect(world.db).toBe("stopping");
    const calls = world.calls;
    expect(calls.indexOf("RegisterScalableTarget service/acme-staging/acme-staging-api 0/0")).toBeLessThan(
      calls.indexOf("UpdateService acme-staging-api 0"),
    );
    expect(calls.at(-1)).toBe("StopDBInstance");
    expect(summary.results.map((r) => [r.kind, r.key, r.outcome])).toEqual([
      ["ecs-service", "web", "changed"],
      ["ecs-service", "api", "changed"],
      ["rds-instance", "acme-staging-db", "changed"],
    ]);
    expect(summary.results[1]!.changes).toEqual(["scalable target min/max 1/4 -> 0/0", "desiredCount 3 -> 0"]);
  });

  it("registers the target with exactly namespace, dimension, resource id and 0/0", async () => {
    await runSchedule("stop", TARGETS, clients(), logger);
    expect(aasMock.commandCalls(RegisterScalableTargetCommand).map((c) => c.args[0].input)).toEqual([
      {
        ServiceNamespace: "ecs",
        ScalableDimension: "ecs:service:DesiredCount",
        ResourceId: "service/acme-staging/acme-staging-api",
        MinCapacity: 0,
        MaxCapacity: 0,
      },
    ]);
    expect(ecsMock.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: "acme-staging", service: "acme-staging-web", desiredCount: 0 },
      { cluster: "acme-staging", service: "acme-staging-api", desiredCount: 0 },
    ]);
  });

  it("writes one structured log line per target and a summary", async () => {
    await runSchedule("stop", TARGETS, clients(), logger);
    expect(targetLogs().map((l) => l.record)).toContainEqual({
      event: "schedule.target",
      action: "stop",
      target: "ecs-service",
      key: "web",
      cluster: "acme-staging",
      service: "acme-staging-web",
      outcome: "changed",
      changes: ["desiredCount 2 -> 0"],
    });
    expect(logs.at(-1)).toEqual({
      level: "info",
      record: { event: "schedule.summary", action: "stop", changed: 3, unchanged: 0, failed: 0 },
    });
  });
});

describe("start", () => {
  beforeEach(() => {
    world = stopped();
  });

  it("starts the database first, restores the configured min/max, then the configured desired count", async () => {
    const summary = await runSchedule("start", TARGETS, clients(), logger);

    expect(world.db).toBe("starting");
    expect(world.targets["service/acme-staging/acme-staging-api"]).toEqual({ min: 1, max: 4 });
    expect(world.desired).toEqual({ "acme-staging-web": 2, "acme-staging-api": 2 });
    const calls = writes();
    expect(calls[0]).toBe("StartDBInstance");
    expect(calls.indexOf("RegisterScalableTarget service/acme-staging/acme-staging-api 1/4")).toBeLessThan(
      calls.indexOf("UpdateService acme-staging-api 2"),
    );
    expect(summary.results.every((r) => r.outcome === "changed")).toBe(true);
  });

  it("leaves a running auto scaled service at the scaler's count inside the configured range", async () => {
    world = running(); // api runs 3 tasks, target 1/4
    world.targets["service/acme-staging/acme-staging-api"] = { min: 1, max: 4 };
    await runSchedule("start", TARGETS, clients(), logger);
    expect(world.desired["acme-staging-api"]).toBe(3);
    expect(writes()).toEqual([]);
  });
});

describe("idempotency", () => {
  it("a second stop finds everything stopped and writes nothing", async () => {
    await runSchedule("stop", TARGETS, clients(), logger);
    world.db = "stopped";
    world.calls = [];
    const again = await runSchedule("stop", TARGETS, clients(), logger);
    expect(writes()).toEqual([]);
    expect(again.results.map((r) => r.outcome)).toEqual(["unchanged", "unchanged", "unchanged"]);
  });

  it("a second start finds everything running and writes nothing", async () => {
    world = stopped();
    await runSchedule("start", TARGETS, clients(), logger);
    world.db = "available";
    world.calls = [];
    const again = await runSchedule("start", TARGETS, clients(), logger);
    expect(writes()).toEqual([]);
    expect(again.results.map((r) => r.outcome)).toEqual(["unchanged", "unchanged", "unchanged"]);
  });

  it("skips a database that is already stopping", async () => {
    world.db = "stopping";
    await runSchedule("stop", TARGETS, clients(), logger);
    expect(rdsMock.commandCalls(StopDBInstanceCommand)).toHaveLength(0);
  });
});

describe("partial failure", () => {
  it("processes the other targets, logs the failing one as JSON, and throws an error naming it", async () => {
    ecsMock.on(UpdateServiceCommand, { service: "acme-staging-api" }).rejects(
      awsError("AccessDeniedException", "User is not authorized to perform: ecs:UpdateService"),
    );

    const run = runSchedule("stop", TARGETS, clients(), logger);
    await expect(run).rejects.toBeInstanceOf(ScheduleRunError);
    await expect(run).rejects.toThrow(
      /^stop failed for 1 of 3 target\(s\): ecs-service "api": AccessDeniedException: UpdateService: User is not authorized/,
    );

    expect(world.desired["acme-staging-web"]).toBe(0);
    expect(world.db).toBe("stopping");
    const failed = logs.find((l) => l.record.key === "api")!;
    expect(failed).toEqual({
      level: "error",
      record: {
        event: "schedule.target",
        action: "stop",
        target: "ecs-service",
        key: "api",
        cluster: "acme-staging",
        service: "acme-staging-api",
        outcome: "failed",
        error: { name: "AccessDeniedException", message: "UpdateService: User is not authorized to perform: ecs:UpdateService" },
      },
    });
    expect(logs.at(-1)).toEqual({
      level: "error",
      record: { event: "schedule.summary", action: "stop", changed: 2, unchanged: 0, failed: 1, failedTargets: ["ecs-service api"] },
    });
  });

  it("names a service ECS does not know", async () => {
    const targets: SchedulerTargets = {
      services: { ...TARGETS.services, ghost: { cluster: "acme-staging", service: "acme-staging-ghost", desiredCount: 1 } },
    };
    await expect(runSchedule("stop", targets, clients(), logger)).rejects.toThrow(
      /ecs-service "ghost": ServiceNotFound: ECS service acme-staging\/acme-staging-ghost is not active \(MISSING\)/,
    );
    expect(world.desired["acme-staging-web"]).toBe(0);
  });
});

describe("auto scaled service", () => {
  it("fails that service without registering a new target when its scalable target is gone", async () => {
    delete world.targets["service/acme-staging/acme-staging-api"];
    await expect(runSchedule("stop", TARGETS, clients(), logger)).rejects.toThrow(
      /ecs-service "api": ScalableTargetNotFound: no scalable target service\/acme-staging\/acme-staging-api/,
    );
    expect(aasMock.commandCalls(RegisterScalableTargetCommand)).toHaveLength(0);
    // Not stopping the service keeps it consistent with its (missing) scaler config.
    expect(world.desired["acme-staging-api"]).toBe(3);
    expect(world.desired["acme-staging-web"]).toBe(0);
  });

  it("restores exactly the configured min/max when someone changed them by hand", async () => {
    world.targets["service/acme-staging/acme-staging-api"] = { min: 2, max: 10 };
    await runSchedule("start", TARGETS, clients(), logger);
    expect(world.targets["service/acme-staging/acme-staging-api"]).toEqual({ min: 1, max: 4 });
  });
});

describe("RDS", () => {
  const dbOnly: SchedulerTargets = { services: {}, database: { identifier: "acme-staging-db" } };

  it("stops an available instance and starts a stopped one", async () => {
    await runSchedule("stop", dbOnly, clients(), logger);
    expect(rdsMock.commandCalls(StopDBInstanceCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: "acme-staging-db" });
    world.db = "stopped";
    await runSchedule("start", dbOnly, clients(), logger);
    expect(rdsMock.commandCalls(StartDBInstanceCommand)[0]!.args[0].input).toEqual({ DBInstanceIdentifier: "acme-staging-db" });
  });

  it("does nothing when already stopped (stop) or available (start)", async () => {
    world.db = "stopped";
    const stop = await runSchedule("stop", dbOnly, clients(), logger);
    world.db = "available";
    const start = await runSchedule("start", dbOnly, clients(), logger);
    expect(writes()).toEqual([]);
    expect([stop.results[0]!.outcome, start.results[0]!.outcome]).toEqual(["unchanged", "unchanged"]);
  });

  it("fails clearly when the instance is in a state it cannot be stopped from", async () => {
    world.db = "backing-up";
    await expect(runSchedule("stop", dbOnly, clients(), logger)).rejects.toThrow(
      /rds-instance "acme-staging-db": InvalidDBInstanceState: RDS instance acme-staging-db is "backing-up"; it can only be stopped from "available"/,
    );
  });

  it("reports an instance that does not exist", async () => {
    rdsMock
      .on(DescribeDBInstancesCommand)
      .rejects(new DBInstanceNotFoundFault({ message: "DBInstance acme-staging-db not found.", $metadata: {} }));
    await expect(runSchedule("stop", TARGETS, clients(), logger)).rejects.toThrow(
      /rds-instance "acme-staging-db": DBInstanceNotFoundFault: DescribeDBInstances: DBInstance acme-staging-db not found/,
    );
    expect(world.desired["acme-staging-web"]).toBe(0);
  });
});

describe("payload", () => {
  it.each([
    [undefined, /Invalid payload undefined: \(event\): Required; expected \{"action":"stop"\} or \{"action":"start"\}/],
    [null, /Invalid payload null: \(event\): Expected object, received null; expected/],
    ["stop", /Invalid payload "stop": \(event\): Expected object, received string; expected/],
    [{}, /Invalid payload \{\}: action: must be "stop" or "start"/],
    [{ action: "STOP" }, /Invalid payload \{"action":"STOP"\}: action: must be "stop" or "start"/],
    [{ action: "pause" }, /action: must be "stop" or "start"/],
    [{ action: "stop", services: ["web"] }, /Unrecognized key\(s\) in object: 'services'; expected/],
  ])("rejects %j with a clear message", (event, message) => {
    expect(() => parseAction(event)).toThrow(PayloadError);
    expect(() => parseAction(event)).toThrow(message);
  });

  it("accepts the two schedule payloads", () => {
    expect(parseAction({ action: "stop" })).toBe("stop");
    expect(parseAction({ action: "start" })).toBe("start");
  });

  it("makes no AWS call for a bad payload and logs the rejection", async () => {
    const handler = createHandler({ clients, targets: () => TARGETS, logger });
    await expect(handler({ action: "restart" })).rejects.toThrow(PayloadError);
    expect(world.calls).toEqual([]);
    expect(logs).toEqual([
      {
        level: "error",
        record: {
          event: "schedule.rejected",
          error: { name: "PayloadError", message: expect.stringContaining('action: must be "stop" or "start"') },
        },
      },
    ]);
  });
});

describe("handler configuration", () => {
  const saved = process.env[TARGETS_ENV_VAR];
  afterEach(() => {
    if (saved === undefined) delete process.env[TARGETS_ENV_VAR];
    else process.env[TARGETS_ENV_VAR] = saved;
  });

  it("reads the targets from the environment the construct sets", async () => {
    process.env[TARGETS_ENV_VAR] = JSON.stringify(TARGETS);
    const handler = createHandler({ clients, logger });
    const summary = await handler({ action: "stop" });
    expect(summary.results).toHaveLength(3);
    expect(world.desired["acme-staging-web"]).toBe(0);
  });

  it("fails clearly when the environment was edited into something else", () => {
    expect(() => parseTargets(undefined)).toThrow(/SCHEDULER_TARGETS is not set/);
    expect(() => parseTargets("{oops")).toThrow(/SCHEDULER_TARGETS is not JSON/);
    expect(() => parseTargets('{"services":{"web":{"cluster":"c","desiredCount":-1}}}')).toThrow(
      /SCHEDULER_TARGETS is invalid: services\.web\.service: must be a non-empty string; services\.web\.desiredCount: must be a whole number >= 0; redeploy it through the ServiceScheduler construct/,
    );
  });
});

describe("Japanese public holidays", () => {
  // 2026-11-03 文化の日 (Tue); 2026-05-06 振替休日 (Wed, for Constitution Day on Sunday);
  // 2026-09-22 国民の休日 (Tue, between 敬老の日 and 秋分の日); 2027-01-11 成人の日 (Mon).
  const at = (tokyo: string) => new Date(`${tokyo}T09:00:00+09:00`);
  const run = (action: "start" | "stop", when: Date, skip = true) =>
    createHandler({ clients, targets: () => TARGETS, logger, now: () => when, skipStartOnHolidays: () => (skip ? "JP" : undefined) })({ action });

  it.each(["2026-11-03", "2026-05-06", "2026-09-22", "2027-01-11", "2027-03-22"])("does not start on %s", async (day) => {
    world = stopped();
    const summary = await run("start", at(day));
    expect(summary.results).toEqual([]);
    expect(summary.skipped).toMatch(new RegExp(`^public holiday ${day} `));
    expect(world.calls).toEqual([]);
    expect(world.desired["acme-staging-web"]).toBe(0);
    expect(logs.map((l) => l.record.event)).toEqual(["schedule.skipped"]);
  });

  it.each(["2026-11-04", "2026-12-01", "2027-01-12"])("starts on the working day %s", async (day) => {
    world = stopped();
    const summary = await run("start", at(day));
    expect(summary.skipped).toBeUndefined();
    expect(world.desired["acme-staging-web"]).toBe(2);
  });

  it("still stops on a holiday: a service started by hand stops in the evening", async () => {
    world = running();
    const summary = await run("stop", new Date("2026-11-03T22:00:00+09:00"));
    expect(summary.skipped).toBeUndefined();
    expect(world.desired["acme-staging-web"]).toBe(0);
  });

  it("reads the date in Asia/Tokyo, not in the function's UTC: 2026-11-02 23:30 UTC is the holiday", async () => {
    world = stopped();
    expect((await run("start", new Date("2026-11-02T23:30:00Z"))).skipped).toContain("文化の日");
    expect((await run("start", new Date("2026-11-03T15:30:00Z"))).skipped).toBeUndefined();
  });

  it("starts on holidays when the calendar is off", async () => {
    world = stopped();
    expect((await run("start", at("2026-11-03"), false)).skipped).toBeUndefined();
    expect(world.desired["acme-staging-web"]).toBe(2);
  });

  it("refuses an unknown calendar setting", () => {
    expect(() => parseHolidayCalendar("US")).toThrow(/SKIP_START_ON_HOLIDAYS is "US": expected "JP" or unset/);
    expect(parseHolidayCalendar(undefined)).toBeUndefined();
  });
});
