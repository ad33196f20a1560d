import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CONSTRUCT_KEY_PATTERN, Validator, boundedName, isKnown, isRegionName } from "@platform/core";
import { Construct } from "constructs";
import type { DatabaseIdentity } from "./database-alarms";
import {
  type DashboardBody,
  type MetricLine,
  type MetricStatistic,
  type MetricWidget,
  type Widget,
  layoutWidgets,
  renderDashboardBody,
} from "./dashboard-model";

/** ECS services to graph. */
export interface DashboardEcs {
  /** The ECS cluster name. */
  readonly clusterName: string;
  /** ECS service names keyed by a short stable name (`web` → `acme-prod-web`); the key is the legend. */
  readonly services: Readonly<Record<string, string>>;
  /**
   * Whether Container Insights is on, which adds a running-tasks graph.
   * @default false
   */
  readonly containerInsights?: boolean;
}

/** The ALB to graph. */
export interface DashboardLoadBalancer {
  /** ALB ARN suffix, `app/<name>/<id>`. */
  readonly arnSuffix: string;
  /**
   * Target group ARN suffixes keyed by a short stable name, for a host-health graph.
   * @default none
   */
  readonly targetGroups?: Readonly<Record<string, string>>;
}

export interface DashboardProps {
  /** Prefix of the dashboard name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** Region whose metrics the widgets show, e.g. `ap-northeast-1`. */
  readonly region: string;
  /**
   * Dashboard name; letters, digits, `-` and `_`.
   * @default "<namePrefix>-overview"
   */
  readonly dashboardName?: string;
  /** @default no ECS section */
  readonly ecs?: DashboardEcs;
  /** @default no load balancer section */
  readonly loadBalancer?: DashboardLoadBalancer;
  /** @default no database section */
  readonly database?: DatabaseIdentity;
  /**
   * Seconds per datapoint on every graph; a multiple of 60.
   * @default 60
   */
  readonly periodSeconds?: number;
  /**
   * More widgets appended after the built-in sections.
   * @default none
   */
  readonly extraWidgets?: readonly Widget[];
}

const DASHBOARD_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
const DASHBOARD_NAME_LIMIT = 255;

/**
 * One CloudWatch dashboard with the graphs on-call opens first: ECS CPU and memory per
 * service, ALB requests, 5xx and latency, database CPU, connections and capacity.
 * Built from a typed widget model; sections appear only for what the props name.
 */
export class Dashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  /** The typed body, for tests and for review tooling. */
  readonly body: DashboardBody;
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const period = props.periodSeconds ?? 60;
    const name = props.dashboardName ?? boundedName([props.namePrefix, "overview"], DASHBOARD_NAME_LIMIT);
    validate(this.node.path, props, period, name);

    const widgets: Widget[] = [
      ...(props.ecs ? ecsWidgets(props.ecs, period) : []),
      ...(props.loadBalancer ? loadBalancerWidgets(props.loadBalancer, period) : []),
      ...(props.database ? databaseWidgets(props.database, period) : []),
      ...(props.extraWidgets ?? []),
    ];
    this.body = layoutWidgets(widgets, props.region);
    this.dashboardName = name;
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: name,
      dashboardBody: renderDashboardBody(this.body),
    });
  }
}

function validate(path: string, props: DashboardProps, period: number, name: string): void {
  const v = new Validator(path);
  if (isKnown(props.region)) {
    v.check(isRegionName(props.region), "region", props.region, 'must be an AWS region name such as "ap-northeast-1".');
  }
  if (isKnown(name)) {
    v.check(DASHBOARD_NAME_PATTERN.test(name), "dashboardName", name, "must be 1-255 letters, digits, hyphens or underscores.");
  }
  v.check(
    Number.isInteger(period) && period >= 60 && period % 60 === 0,
    "periodSeconds",
    period,
    "must be a multiple of 60 (e.g. 60 or 300): ECS, ALB and RDS publish one datapoint a minute.",
  );
  v.check(
    Boolean(props.ecs || props.loadBalancer || props.database || props.extraWidgets?.length),
    "ecs",
    undefined,
    "a dashboard needs at least one of ecs, loadBalancer, database or extraWidgets; omit the Dashboard otherwise.",
  );
  if (props.ecs) {
    const keys = Object.keys(props.ecs.services);
    v.check(keys.length > 0, "ecs.services", props.ecs.services, 'must list at least one service, e.g. { web: "acme-prod-web" }.');
    for (const key of keys) {
      v.check(CONSTRUCT_KEY_PATTERN.test(key), `ecs.services.${key}`, key, "key must be lower-case letters, digits and hyphens, starting with a letter.");
    }
  }
  v.throwIfAny();
}

function ecsWidgets(ecs: DashboardEcs, periodSeconds: number): Widget[] {
  const services = Object.entries(ecs.services);
  const perService = (namespace: string, metricName: string): MetricLine[] =>
    services.map(([key, serviceName]) => ({
      namespace,
      metricName,
      dimensions: { ClusterName: ecs.clusterName, ServiceName: serviceName },
      label: key,
    }));
  const widgets: Widget[] = [
    { kind: "text", markdown: "## ECS services" },
    {
      kind: "metric",
      title: "ECS CPU utilization (%)",
      lines: perService("AWS/ECS", "CPUUtilization"),
      statistic: "Average",
      periodSeconds,
      leftAxisMin: 0,
      leftAxisMax: 100,
    },
    {
      kind: "metric",
      title: "ECS memory utilization (%)",
      lines: perService("AWS/ECS", "MemoryUtilization"),
      statistic: "Average",
      periodSeconds,
      leftAxisMin: 0,
      leftAxisMax: 100,
    },
  ];
  if (ecs.containerInsights) {
    widgets.push({
      kind: "metric",
      title: "ECS running tasks",
      lines: perService("ECS/ContainerInsights", "RunningTaskCount"),
      statistic: "Average",
      periodSeconds,
      leftAxisMin: 0,
    });
  }
  return widgets;
}

function loadBalancerWidgets(lb: DashboardLoadBalancer, periodSeconds: number): Widget[] {
  const ns = "AWS/ApplicationELB";
  const dims = { LoadBalancer: lb.arnSuffix };
  const widgets: Widget[] = [
    { kind: "text", markdown: "## Load balancer" },
    {
      kind: "metric",
      title: "ALB requests",
      lines: [{ namespace: ns, metricName: "RequestCount", dimensions: dims, label: "requests" }],
      statistic: "Sum",
      periodSeconds,
      leftAxisMin: 0,
    },
    {
      kind: "metric",
      title: "ALB 5xx responses",
      lines: [
        { namespace: ns, metricName: "HTTPCode_ELB_5XX_Count", dimensions: dims, label: "from load balancer" },
        { namespace: ns, metricName: "HTTPCode_Target_5XX_Count", dimensions: dims, label: "from targets" },
      ],
      statistic: "Sum",
      periodSeconds,
      leftAxisMin: 0,
    },
    {
      kind: "metric",
      title: "ALB target response time (s)",
      lines: [
        { namespace: ns, metricName: "TargetResponseTime", dimensions: dims, statistic: "p95", label: "p95" },
        { namespace: ns, metricName: "TargetResponseTime", dimensions: dims, statistic: "Average", label: "average" },
      ],
      statistic: "p95",
      periodSeconds,
      leftAxisMin: 0,
    },
  ];
  const groups = Object.entries(lb.targetGroups ?? {});
  if (groups.length > 0) {
    const hosts: MetricWidget = {
      kind: "metric",
      title: "Target health (hosts)",
      lines: groups.flatMap(([key, suffix]): MetricLine[] => {
        const dimensions = { ...dims, TargetGroup: suffix };
        return [
          { namespace: ns, metricName: "HealthyHostCount", dimensions, statistic: "Minimum", label: `${key} healthy` },
          { namespace: ns, metricName: "UnHealthyHostCount", dimensions, statistic: "Maximum", label: `${key} unhealthy` },
        ];
      }),
      statistic: "Maximum",
      periodSeconds,
      leftAxisMin: 0,
    };
    widgets.push(hosts);
  }
  return widgets;
}

function databaseWidgets(db: DatabaseIdentity, periodSeconds: number): Widget[] {
  const aurora = db.kind === "aurora-cluster";
  const dims: Record<string, string> = aurora
    ? { DBClusterIdentifier: db.clusterIdentifier }
    : { DBInstanceIdentifier: db.instanceIdentifier };
  const graph = (title: string, metricName: string, label: string, statistic: MetricStatistic): MetricWidget => ({
    kind: "metric",
    title,
    lines: [{ namespace: "AWS/RDS", metricName, dimensions: dims, label }],
    statistic,
    periodSeconds,
    leftAxisMin: 0,
  });
  const widgets: Widget[] = [
    { kind: "text", markdown: aurora ? "## Database (Aurora)" : "## Database (RDS)" },
    { ...graph("DB CPU utilization (%)", "CPUUtilization", "CPU", "Average"), leftAxisMax: 100 },
    graph("DB connections", "DatabaseConnections", "connections", "Maximum"),
    graph("DB freeable memory (bytes)", "FreeableMemory", "freeable memory", "Minimum"),
  ];
  if (aurora && db.serverlessMaxCapacityAcu !== undefined) {
    widgets.push({
      ...graph("Aurora Serverless v2 capacity (ACU)", "ServerlessDatabaseCapacity", "capacity", "Average"),
      annotations: [{ value: db.serverlessMaxCapacityAcu, label: "max ACU" }],
    });
  }
  if (!aurora) widgets.push(graph("DB free storage (bytes)", "FreeStorageSpace", "free storage", "Minimum"));
  return widgets;
}
