import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Validator } from "@platform/core";
import { Construct } from "constructs";
import type { AlarmSink } from "./alarm-sink";
import { type AlarmWindow, checkPositive, resolveWindow } from "./alarm-options";
import { describeWindow, metricAlarm } from "./metric-alarm";
import { RUNBOOK_ANCHORS, runbookLink } from "./runbook";

/** An alarm on the data a NAT gateway sends out. */
export interface NatBytesAlarmOptions extends AlarmWindow {
  /**
   * Gigabytes (10^9 bytes, as AWS bills) per period above which the alarm fires.
   * @default 1 GB per hour (about $0.06 of NAT processing an hour in Tokyo, ~$45 a month if sustained)
   */
  readonly thresholdGb?: number;
}

export interface NatAlarmsProps {
  /** Prefix of every alarm name, e.g. `acme-prod`. */
  readonly namePrefix: string;
  /** Where ALARM and OK notifications go. */
  readonly sink: AlarmSink;
  /** The NAT gateway IDs (`aws_nat_gateway.id`), one alarm each. */
  readonly natGatewayIds: readonly string[];
  /** @default above 1 GB in 2 x 3600 s */
  readonly bytesOut?: NatBytesAlarmOptions;
  /** Runbook page linked from every description (`docs/runbooks/alarms.md`). @default no link */
  readonly runbookUrl?: string;
}

const DEFAULTS = { thresholdGb: 1, periodSeconds: 3600, evaluationPeriods: 2 } as const;

/**
 * `BytesOutToDestination` per NAT gateway: data leaving through NAT is billed per GB, and a
 * task pulling images or logs through it instead of the endpoints shows here first.
 */
export class NatAlarms extends Construct {
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: NatAlarmsProps) {
    super(scope, id);
    const v = new Validator(this.node.path);
    const options = props.bytesOut ?? {};
    const gb = options.thresholdGb ?? DEFAULTS.thresholdGb;
    checkPositive(v, "bytesOut.thresholdGb", gb, "1");
    v.check(props.natGatewayIds.length > 0, "natGatewayIds", props.natGatewayIds, "must list at least one NAT gateway; omit NatAlarms without NAT.");
    const window = resolveWindow(v, "bytesOut", options, DEFAULTS);
    v.throwIfAny();

    // IDs are tokens from another stack: the alarms are keyed by position, which is the AZ order.
    this.alarms = props.natGatewayIds.map((natGatewayId, i) =>
      metricAlarm(this, `bytes-out-${i}`, {
        alarmName: `${props.namePrefix}-nat-${i}-bytes-out-high`,
        description:
          `NAT gateway ${i + 1} sent more than ${gb} GB in ${describeWindow(window)} (billed per GB): ` +
          "find the talker in the VPC flow logs first (an image pull or log shipping bypassing the endpoints, a runaway job).",
        namespace: "AWS/NATGateway",
        metricName: "BytesOutToDestination",
        dimensions: { NatGatewayId: natGatewayId },
        statistic: "Sum",
        comparison: "GreaterThanThreshold",
        threshold: gb * 1e9,
        window,
        treatMissingData: "notBreaching",
        sink: props.sink,
        runbook: runbookLink(props.runbookUrl, RUNBOOK_ANCHORS.natBytes),
      }),
    );
  }
}
