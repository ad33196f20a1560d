import { Construct } from "constructs";
import { type AlarmSink, combineSinks } from "./alarm-sink";
import { AlarmTopic, type AlarmTopicProps, type AlarmTopicRef, type ScopedPublisher } from "./alarm-topic";
import { BUDGETS_SERVICE_PRINCIPAL, CostBudget, type CostBudgetProps } from "./cost-budget";
import { DeploymentEvents, EVENTS_SERVICE_PRINCIPAL } from "./deployment-events";
import { LambdaAlarms, type LambdaAlarmsProps } from "./lambda-alarms";
import { NatAlarms, type NatAlarmsProps } from "./nat-alarms";
import { runbookUrlProblem } from "./runbook";
import { Validator, arn, awsContext } from "@platform/core";
import { Dashboard } from "./dashboard";
import { DatabaseAlarms, type DatabaseAlarmsProps, type DatabaseIdentity } from "./database-alarms";
import { LoadBalancerAlarms, type LoadBalancerAlarmsProps } from "./load-balancer-alarms";
import { ServiceAlarms, type ServiceAlarmsProps } from "./service-alarms";

type GroupProps<T> = Omit<T, "namePrefix" | "sink" | "runbookUrl">;

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
  readonly topic?: Omit<AlarmTopicProps, "namePrefix" | "accountId" | "emailAddresses" | "scopedPublishers">;
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
   * Deployment failures and circuit-breaker rollbacks of this cluster's services, as EventBridge
   * rules to the topic (whose policy then admits exactly those rules).
   * @default none
   */
  readonly deploymentEvents?: { readonly clusterName: string };
  /** `Errors`/`Throttles` of the platform's Lambda functions. @default none */
  readonly lambda?: GroupProps<LambdaAlarmsProps>;
  /** Data sent through NAT gateways. @default none */
  readonly nat?: GroupProps<NatAlarmsProps>;
  /**
   * A monthly cost budget notifying the topic (whose policy then admits AWS Budgets).
   * @default none
   */
  readonly budget?: Omit<CostBudgetProps, "namePrefix" | "topicArn">;
  /**
   * The alarm runbook page, e.g. `https://github.com/acme/infra/blob/main/docs/runbooks/alarms.md`:
   * every alarm's description and every rule's description ends with a link to its section.
   * @default no links
   */
  readonly runbookUrl?: string;
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
  readonly deploymentEvents?: DeploymentEvents;
  readonly lambdaAlarms?: LambdaAlarms;
  readonly natAlarms?: NatAlarms;
  readonly budget?: CostBudget;
  readonly dashboard?: Dashboard;
  readonly ref: AlarmTopicRef;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { namePrefix, runbookUrl } = props;
    if (runbookUrl !== undefined) {
      const v = new Validator(this.node.path);
      const problem = runbookUrlProblem(runbookUrl);
      v.check(problem === undefined, "runbookUrl", runbookUrl, problem ?? "");
      v.throwIfAny();
    }
    const scopedPublishers: ScopedPublisher[] = [];
    if (props.deploymentEvents) {
      scopedPublishers.push({ service: EVENTS_SERVICE_PRINCIPAL, sourceArns: DeploymentEvents.ruleArns(this, namePrefix, props.accountId) });
    }
    if (props.budget) {
      // Budgets publishes as the account's budgets; AWS documents this pattern for the topic policy.
      scopedPublishers.push({
        service: BUDGETS_SERVICE_PRINCIPAL,
        sourceArns: [arn(awsContext(this), { service: "budgets", region: "", account: props.accountId, resource: "*" })],
      });
    }
    this.topic = new AlarmTopic(this, "alarms", {
      ...props.topic,
      namePrefix,
      accountId: props.accountId,
      emailAddresses: props.alarmEmails,
      scopedPublishers,
    });
    this.sink = props.extraSinks?.length ? combineSinks(this.topic, ...props.extraSinks) : this.topic;
    this.ref = this.topic.ref;

    const group = { namePrefix, sink: this.sink, runbookUrl };
    if (props.ecs) this.serviceAlarms = new ServiceAlarms(this, "ecs", { ...props.ecs, ...group });
    if (props.loadBalancer) this.loadBalancerAlarms = new LoadBalancerAlarms(this, "alb", { ...props.loadBalancer, ...group });
    if (props.database) this.databaseAlarms = new DatabaseAlarms(this, "db", { ...props.database, ...group });
    if (props.lambda) this.lambdaAlarms = new LambdaAlarms(this, "lambda", { ...props.lambda, ...group });
    if (props.nat) this.natAlarms = new NatAlarms(this, "nat", { ...props.nat, ...group });
    if (props.deploymentEvents) {
      this.deploymentEvents = new DeploymentEvents(this, "deployments", {
        namePrefix,
        clusterName: props.deploymentEvents.clusterName,
        accountId: props.accountId,
        topicArn: this.topic.topicArn,
        runbookUrl,
      });
    }
    if (props.budget) this.budget = new CostBudget(this, "budget", { ...props.budget, namePrefix, topicArn: this.topic.topicArn });

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
    ? { kind: db.kind, clusterIdentifier: db.clusterIdentifier, serverlessMaxCapacityAcu: db.serverlessMaxCapacityAcu, instanceIdentifiers: db.instanceIdentifiers }
    : { kind: db.kind, instanceIdentifier: db.instanceIdentifier };
}
