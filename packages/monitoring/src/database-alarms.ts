import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { NAME_LIMITS, Validator, boundedName, isKnown } from "@platform/core";
import { Construct } from "constructs";
import type { AlarmSink } from "./alarm-sink";
import {
  type AlarmWindow,
  type MemoryFloorAlarmOptions,
  type PercentAlarmOptions,
  type StorageFloorAlarmOptions,
  checkPercent,
  checkPositive,
  enabled,
  resolveWindow,
} from "./alarm-options";
import { type MetricAlarmSpec, describeWindow, mathAlarm, metricAlarm } from "./metric-alarm";
import { RUNBOOK_ANCHORS, runbookLink } from "./runbook";

/** An alarm on the average I/O latency of the database's storage. */
export interface DiskLatencyAlarmOptions extends AlarmWindow {
  /**
   * Average latency in milliseconds above which the alarm fires; greater than 0.
   * @default 20
   */
  readonly thresholdMilliseconds?: number;
}

/** An Aurora cluster, watched through its cluster-level metrics (`DBClusterIdentifier`). */
export interface AuroraClusterIdentity {
  readonly kind: "aurora-cluster";
  /** The cluster identifier. */
  readonly clusterIdentifier: string;
  /**
   * Serverless v2 maximum capacity in ACU (0.5 steps, 1-256); the capacity alarm and the
   * dashboard's capacity line are relative to it.
   * @default not Serverless v2: no capacity alarm
   */
  readonly serverlessMaxCapacityAcu?: number;
  /**
   * The cluster's instance identifiers: the capacity alarm then takes the highest
   * `ACUUtilization` of them (the cluster-level metric averages instances, so a writer at its
   * ceiling next to an idle reader would stay hidden).
   * @default the cluster-level metric
   */
  readonly instanceIdentifiers?: readonly string[];
}

/** A single RDS DB instance (`DBInstanceIdentifier`). */
export interface RdsInstanceIdentity {
  readonly kind: "rds-instance";
  /** The DB instance identifier. */
  readonly instanceIdentifier: string;
}

/** Which database, without alarm settings: what the dashboard needs. */
export type DatabaseIdentity = AuroraClusterIdentity | RdsInstanceIdentity;

/** An Aurora cluster with its Aurora-only alarms. */
export interface AuroraClusterAlarmTarget extends AuroraClusterIdentity {
  /**
   * Serverless v2 capacity at or above this share of `serverlessMaxCapacityAcu`: the cluster
   * is about to hit its ceiling. Set `false` to turn off.
   * @default 90 % for 3 × 300 s when `serverlessMaxCapacityAcu` is set
   */
  readonly capacity?: PercentAlarmOptions | false;
}

/** An RDS instance with its instance-only alarms. */
export interface RdsInstanceAlarmTarget extends RdsInstanceIdentity {
  /**
   * Free storage below the floor. Set `false` to turn off.
   * @default below 10 GiB for 1 × 300 s
   */
  readonly freeStorage?: StorageFloorAlarmOptions | false;
}

export interface DatabaseAlarmsProps {
  /** Prefix of every alarm name, e.g. `acme-prod`; the construct ID follows it. */
  readonly namePrefix: string;
  /** Where ALARM and OK notifications go, e.g. an `AlarmTopic`. */
  readonly sink: AlarmSink;
  /** The database: `kind` picks Aurora cluster or RDS instance metrics. */
  readonly database: AuroraClusterAlarmTarget | RdsInstanceAlarmTarget;
  /**
   * `max_connections` of the database (it depends on engine and memory, so it is not guessed).
   * Enables the connections alarm.
   * @default unknown: no connections alarm
   */
  readonly maxConnections?: number;
  /**
   * Average CPU above the threshold. Set `false` to turn off.
   * @default 80 % for 2 × 300 s
   */
  readonly cpu?: PercentAlarmOptions | false;
  /**
   * Connections at or above this share of `maxConnections`. Set `false` to turn off.
   * @default 80 % for 2 × 300 s when `maxConnections` is set
   */
  readonly connections?: PercentAlarmOptions | false;
  /**
   * Freeable memory below the floor (cluster: the lowest instance). Set `false` to turn off.
   * @default below 256 MiB for 2 × 300 s
   */
  readonly freeableMemory?: MemoryFloorAlarmOptions | false;
  /**
   * Average `ReadLatency` above the threshold (cluster: averaged over its instances). Set `false` to turn off.
   * @default above 20 ms for 3 x 300 s
   */
  readonly readLatency?: DiskLatencyAlarmOptions | false;
  /**
   * Average `WriteLatency` above the threshold. Set `false` to turn off.
   * @default above 20 ms for 3 x 300 s
   */
  readonly writeLatency?: DiskLatencyAlarmOptions | false;
  /** Runbook page linked from every description (`docs/runbooks/alarms.md`). @default no link */
  readonly runbookUrl?: string;
}

const CPU_DEFAULTS = { thresholdPercent: 80, periodSeconds: 300, evaluationPeriods: 2 } as const;
const CONNECTIONS_DEFAULTS = { thresholdPercent: 80, periodSeconds: 300, evaluationPeriods: 2 } as const;
const MEMORY_DEFAULTS = { thresholdMiB: 256, periodSeconds: 300, evaluationPeriods: 2 } as const;
const CAPACITY_DEFAULTS = { thresholdPercent: 90, periodSeconds: 300, evaluationPeriods: 3 } as const;
const LATENCY_DEFAULTS = { thresholdMilliseconds: 20, periodSeconds: 300, evaluationPeriods: 3 } as const;
const STORAGE_DEFAULTS = { thresholdGiB: 10, periodSeconds: 300, evaluationPeriods: 1 } as const;

const IDENTIFIER_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * Alarms on an Aurora cluster or an RDS instance: CPU, connections, freeable memory, and
 * Serverless v2 capacity (Aurora) or free storage (instance).
 */
export class DatabaseAlarms extends Construct {
  readonly cpu?: CloudwatchMetricAlarm;
  readonly connections?: CloudwatchMetricAlarm;
  readonly freeableMemory?: CloudwatchMetricAlarm;
  readonly capacity?: CloudwatchMetricAlarm;
  readonly freeStorage?: CloudwatchMetricAlarm;
  readonly readLatency?: CloudwatchMetricAlarm;
  readonly writeLatency?: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const db = props.database;

    if (db.kind === "aurora-cluster") {
      if (isKnown(db.clusterIdentifier)) {
        v.check(
          IDENTIFIER_PATTERN.test(db.clusterIdentifier),
          "database.clusterIdentifier",
          db.clusterIdentifier,
          "must be the Aurora cluster identifier (1-63 letters, digits, hyphens, starting with a letter).",
        );
      }
      if (db.serverlessMaxCapacityAcu !== undefined) {
        const acu = db.serverlessMaxCapacityAcu;
        v.check(
          Number.isFinite(acu) && acu >= 1 && acu <= 256 && Number.isInteger(acu * 2),
          "database.serverlessMaxCapacityAcu",
          acu,
          "must be the cluster's Serverless v2 max capacity: 1 to 256 in steps of 0.5.",
        );
      }
    } else {
      if (isKnown(db.instanceIdentifier)) {
        v.check(
          IDENTIFIER_PATTERN.test(db.instanceIdentifier),
          "database.instanceIdentifier",
          db.instanceIdentifier,
          "must be the DB instance identifier (1-63 letters, digits, hyphens, starting with a letter).",
        );
      }
    }
    if (props.maxConnections !== undefined) {
      v.check(
        Number.isInteger(props.maxConnections) && props.maxConnections >= 1,
        "maxConnections",
        props.maxConnections,
        "must be the database's max_connections, a whole number of at least 1.",
      );
    }

    const cpu = enabled(props.cpu);
    if (cpu) checkPercent(v, "cpu.thresholdPercent", cpu.thresholdPercent ?? CPU_DEFAULTS.thresholdPercent);
    const cpuWindow = cpu && resolveWindow(v, "cpu", cpu, CPU_DEFAULTS);

    if (props.connections && props.maxConnections === undefined) {
      v.fail("connections", props.connections, "needs maxConnections (the database's max_connections) to turn a share into a count; set it or remove connections.");
    }
    const connections = props.maxConnections !== undefined ? enabled(props.connections) : undefined;
    if (connections) {
      const percent = connections.thresholdPercent ?? CONNECTIONS_DEFAULTS.thresholdPercent;
      if (checkPercent(v, "connections.thresholdPercent", percent) && Number.isInteger(props.maxConnections)) {
        v.check(
          Math.floor((props.maxConnections! * percent) / 100) >= 1,
          "connections.thresholdPercent",
          percent,
          `of maxConnections (${props.maxConnections}) is less than one connection; raise the percentage.`,
        );
      }
    }
    const connectionsWindow = connections && resolveWindow(v, "connections", connections, CONNECTIONS_DEFAULTS);

    const memory = enabled(props.freeableMemory);
    if (memory) checkPositive(v, "freeableMemory.thresholdMiB", memory.thresholdMiB ?? MEMORY_DEFAULTS.thresholdMiB, "256");
    const memoryWindow = memory && resolveWindow(v, "freeableMemory", memory, MEMORY_DEFAULTS);

    const latencies = (["readLatency", "writeLatency"] as const).flatMap((key) => {
      const options = enabled(props[key]);
      if (!options) return [];
      checkPositive(v, `${key}.thresholdMilliseconds`, options.thresholdMilliseconds ?? LATENCY_DEFAULTS.thresholdMilliseconds, "20");
      return [{ key, options, window: resolveWindow(v, key, options, LATENCY_DEFAULTS) }];
    });

    let capacity: { options: PercentAlarmOptions; maxAcu: number; window: ReturnType<typeof resolveWindow> } | undefined;
    let storage: { options: StorageFloorAlarmOptions; window: ReturnType<typeof resolveWindow> } | undefined;
    if (db.kind === "aurora-cluster") {
      if (db.capacity && db.serverlessMaxCapacityAcu === undefined) {
        v.fail("database.capacity", db.capacity, "needs database.serverlessMaxCapacityAcu (the cluster's max ACU); set it or remove capacity.");
      }
      const options = db.serverlessMaxCapacityAcu !== undefined ? enabled(db.capacity) : undefined;
      if (options) {
        checkPercent(v, "database.capacity.thresholdPercent", options.thresholdPercent ?? CAPACITY_DEFAULTS.thresholdPercent);
        capacity = { options, maxAcu: db.serverlessMaxCapacityAcu!, window: resolveWindow(v, "database.capacity", options, CAPACITY_DEFAULTS) };
      }
    } else {
      const options = enabled(db.freeStorage);
      if (options) {
        checkPositive(v, "database.freeStorage.thresholdGiB", options.thresholdGiB ?? STORAGE_DEFAULTS.thresholdGiB, "10");
        storage = { options, window: resolveWindow(v, "database.freeStorage", options, STORAGE_DEFAULTS) };
      }
    }
    v.throwIfAny();

    const aurora = db.kind === "aurora-cluster";
    const label = aurora ? `Aurora cluster ${db.clusterIdentifier}` : `RDS instance ${db.instanceIdentifier}`;
    const dimensions: Record<string, string> = aurora
      ? { DBClusterIdentifier: db.clusterIdentifier }
      : { DBInstanceIdentifier: db.instanceIdentifier };
    const name = (suffix: string) => boundedName([props.namePrefix, id, suffix], NAME_LIMITS.alarmName);
    const common = { namespace: "AWS/RDS", dimensions, sink: props.sink, treatMissingData: "missing" } as const;
    const alarm = (alarmId: string, spec: Omit<MetricAlarmSpec, keyof typeof common>) =>
      metricAlarm(this, alarmId, { ...common, ...spec });

    if (cpu && cpuWindow) {
      const threshold = cpu.thresholdPercent ?? CPU_DEFAULTS.thresholdPercent;
      this.cpu = alarm("cpu", {
        alarmName: name("cpu-high"),
        description:
          `${label} CPU above ${threshold} % for ${describeWindow(cpuWindow)}: ` +
          "open Performance Insights' top SQL first (a missing index or a runaway query), then consider more capacity.",
        metricName: "CPUUtilization",
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.dbCpu),
        statistic: "Average",
        comparison: "GreaterThanThreshold",
        threshold,
        window: cpuWindow,
      });
    }
    if (connections && connectionsWindow && props.maxConnections !== undefined) {
      const percent = connections.thresholdPercent ?? CONNECTIONS_DEFAULTS.thresholdPercent;
      const threshold = Math.floor((props.maxConnections * percent) / 100);
      this.connections = alarm("connections", {
        alarmName: name("connections-high"),
        description:
          `${label} has ${threshold} or more connections (${percent} % of max_connections ${props.maxConnections}) for ${describeWindow(connectionsWindow)}: ` +
          "check whether ECS scaled out (each task opens its own pool) and for idle-in-transaction sessions first.",
        metricName: "DatabaseConnections",
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.dbConnections),
        // Cluster metrics aggregate instances: the busiest one hits the limit first.
        statistic: "Maximum",
        comparison: "GreaterThanOrEqualToThreshold",
        threshold,
        window: connectionsWindow,
      });
    }
    if (memory && memoryWindow) {
      const mib = memory.thresholdMiB ?? MEMORY_DEFAULTS.thresholdMiB;
      this.freeableMemory = alarm("freeable-memory", {
        alarmName: name("memory-low"),
        description:
          `${label} freeable memory below ${mib} MiB for ${describeWindow(memoryWindow)}: ` +
          "check connection count and work_mem-heavy queries first, then move to a larger instance or more ACU.",
        metricName: "FreeableMemory",
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.dbMemory),
        statistic: "Minimum",
        comparison: "LessThanThreshold",
        threshold: mib * MIB,
        window: memoryWindow,
      });
    }
    if (capacity && db.kind === "aurora-cluster") {
      const percent = capacity.options.thresholdPercent ?? CAPACITY_DEFAULTS.thresholdPercent;
      const acu = Math.round(capacity.maxAcu * percent) / 100;
      const instances = db.instanceIdentifiers ?? [];
      const spec = {
        alarmName: name("acu-near-max"),
        description:
          `${label} Serverless v2 capacity at or above ${percent} % of its max ${capacity.maxAcu} ACU (${acu} ACU)${instances.length > 0 ? " on its busiest instance" : ""} for ${describeWindow(capacity.window)}: ` +
          "check CPU and connections for the cause first, then raise the max capacity.",
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.dbCapacity),
        comparison: "GreaterThanOrEqualToThreshold",
        // ACUUtilization is already relative to the max, so a changed ceiling needs no new threshold.
        threshold: percent,
        window: capacity.window,
        treatMissingData: "missing",
        sink: props.sink,
      } as const;
      this.capacity =
        instances.length > 0
          ? mathAlarm(this, "capacity", {
              ...spec,
              expression: `MAX([${instances.map((_, i) => `i${i}`).join(", ")}])`,
              label: "Highest ACUUtilization of the instances",
              metrics: instances.map((instance, i) => ({
                id: `i${i}`,
                namespace: "AWS/RDS",
                metricName: "ACUUtilization",
                dimensions: { DBInstanceIdentifier: instance },
                statistic: "Maximum",
              })),
            })
          : alarm("capacity", { ...spec, metricName: "ACUUtilization", statistic: "Maximum" });
    }
    for (const { key, options, window } of latencies) {
      const ms = options.thresholdMilliseconds ?? LATENCY_DEFAULTS.thresholdMilliseconds;
      const read = key === "readLatency";
      this[key] = alarm(read ? "read-latency" : "write-latency", {
        alarmName: name(read ? "read-latency-high" : "write-latency-high"),
        description:
          `${label} average ${read ? "read" : "write"} latency above ${ms} ms for ${describeWindow(window)}: ` +
          (read
            ? "look for queries reading from disk (Performance Insights' top SQL, cache hit ratio) first, then more memory or capacity."
            : "look for bulk writes, vacuum or a long checkpoint first (Performance Insights' wait events), then more capacity."),
        metricName: read ? "ReadLatency" : "WriteLatency",
        runbook: runbookLink(props.runbookUrl, read ? RUNBOOK_ANCHORS.dbReadLatency : RUNBOOK_ANCHORS.dbWriteLatency),
        statistic: "Average",
        comparison: "GreaterThanThreshold",
        // RDS publishes latency in seconds.
        threshold: ms / 1000,
        window,
      });
    }
    if (storage) {
      const gib = storage.options.thresholdGiB ?? STORAGE_DEFAULTS.thresholdGiB;
      this.freeStorage = alarm("free-storage", {
        alarmName: name("storage-low"),
        description:
          `${label} free storage below ${gib} GiB for ${describeWindow(storage.window)}: ` +
          "check for table bloat and old WAL held by a replication slot first, then raise allocated or max allocated storage.",
        metricName: "FreeStorageSpace",
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.dbStorage),
        statistic: "Minimum",
        comparison: "LessThanThreshold",
        threshold: gib * GIB,
        window: storage.window,
      });
    }
  }
}
