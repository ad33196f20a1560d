import { Construct } from "constructs";
import { type AlarmSink, combineSinks } from "./alarm-sink";
import { AlarmTopic, type AlarmTopicProps, type AlarmTopicRef } from "./alarm-topic";
import { Dashboard } from "./dashboard";
import { DatabaseAlarms, type DatabaseAlarmsProps, type DatabaseIdentity } from "./database-alarms";
import { LoadBalancerAlarms, type LoadBalancerAlarmsProps } from "./load-balancer-alarms";
import { ServiceAlarms, type ServiceAlarmsProps } from "./service-alarms";

type GroupProps<T> = Omit<T, "namePrefix" | "sink">;

export interface MonitoringProps {
  /** Prefix of every name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** 12-digit account ID (key administrator and the only account allowed to publish). */
  readonly accountId: string;
  /** Region of the metrics shown on the dashboard, e.g. `ap-northeast-1`. */
  readonly region: string;
  /**
   * E-mail addresses subscribed to the alarm topic.
   * @default none
   */
  readonly alarmEmails?: readonly string[];
  /**
   * Topic settings beyond the e-mail addresses.
   * @default AlarmTopic defaults
   */
  readonly topic?: Omit<AlarmTopicProps, "namePrefix" | "accountId" | "emailAddresses">;
  /**
   * Further places every alarm notifies besides the topic (a future Datadog integration).
   * @default none
   */
  readonly extraSinks?: readonly AlarmSink[];
  /** ECS service alarms. @default none */
  readonly ecs?: GroupProps<ServiceAlarmsProps>;
  /** ALB alarms. @default none */
  readonly loadBalancer?: GroupProps<LoadBalancerAlarmsProps>;
  /** Database alarms. @default none */
  readonly database?: GroupProps<DatabaseAlarmsProps>;
  /**
   * Whether to build the dashboard from the same inputs.
   * @default true
   */
  readonly dashboard?: boolean;
}

/**
 * The monitoring layer of one environment: the alarm topic plus only the alarm groups its
 * config names (a cheap staging can ask for ECS alarms alone), and a dashboard of the same
 * resources. Each part is also usable on its own.
 */
export class Monitoring extends Construct {
  readonly topic: AlarmTopic;
  /** The topic, merged with `extraSinks`: what every alarm here notifies. */
  readonly sink: AlarmSink;
  readonly serviceAlarms?: ServiceAlarms;
  readonly loadBalancerAlarms?: LoadBalancerAlarms;
  readonly databaseAlarms?: DatabaseAlarms;
  readonly dashboard?: Dashboard;
  readonly ref: AlarmTopicRef;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { namePrefix } = props;
    this.topic = new AlarmTopic(this, "alarms", {
      ...props.topic,
      namePrefix,
      accountId: props.accountId,
      emailAddresses: props.alarmEmails,
    });
    this.sink = props.extraSinks?.length ? combineSinks(this.topic, ...props.extraSinks) : this.topic;
    this.ref = this.topic.ref;

    if (props.ecs) this.serviceAlarms = new ServiceAlarms(this, "ecs", { ...props.ecs, namePrefix, sink: this.sink });
    if (props.loadBalancer) {
      this.loadBalancerAlarms = new LoadBalancerAlarms(this, "alb", { ...props.loadBalancer, namePrefix, sink: this.sink });
    }
    if (props.database) this.databaseAlarms = new DatabaseAlarms(this, "db", { ...props.database, namePrefix, sink: this.sink });

    if ((props.dashboard ?? true) && (props.ecs || props.loadBalancer || props.database)) {
      this.dashboard = new Dashboard(this, "dashboard", {
        namePrefix,
        region: props.region,
        ecs: props.ecs && {
          clusterName: props.ecs.clusterName,
          containerInsights: props.ecs.containerInsights,
          services: Object.fromEntries(Object.entries(props.ecs.services).map(([key, s]) => [key, s.serviceName])),
        },
        loadBalancer: props.loadBalancer && {
          arnSuffix: props.loadBalancer.loadBalancerArnSuffix,
          targetGroups: Object.fromEntries(
            Object.entries(props.loadBalancer.targetGroups ?? {}).map(([key, g]) => [key, g.arnSuffix]),
          ),
        },
        database: props.database && identityOf(props.database.database),
      });
    }
  }
}

function identityOf(db: DatabaseAlarmsProps["database"]): DatabaseIdentity {
  return db.kind === "aurora-cluster"
    ? { kind: db.kind, clusterIdentifier: db.clusterIdentifier, serverlessMaxCapacityAcu: db.serverlessMaxCapacityAcu }
    : { kind: db.kind, instanceIdentifier: db.instanceIdentifier };
}
