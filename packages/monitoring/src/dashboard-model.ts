/**
 * A typed model of the CloudWatch dashboard body
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html),
 * so widgets are built and checked by the compiler instead of hand-written JSON.
 */

/** Statistics a metric line can use. */
export type MetricStatistic = "Average" | "Sum" | "Minimum" | "Maximum" | "SampleCount" | `p${number}`;

/** One line on a graph. */
export interface MetricLine {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimension name → value, e.g. `{ ClusterName: "acme-prod", ServiceName: "acme-prod-web" }`. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Overrides the widget's statistic for this line. */
  readonly statistic?: MetricStatistic;
  /** Legend text. */
  readonly label?: string;
  /** Plot on the right axis (e.g. a count next to a percentage). */
  readonly rightAxis?: boolean;
}

/** A horizontal line, e.g. at an alarm threshold. */
export interface HorizontalAnnotation {
  readonly value: number;
  readonly label: string;
}

/** A time-series graph. */
export interface MetricWidget {
  readonly kind: "metric";
  readonly title: string;
  readonly lines: readonly MetricLine[];
  /** Default statistic of every line. */
  readonly statistic: MetricStatistic;
  /** Seconds per datapoint on the graph. */
  readonly periodSeconds: number;
  /** Lower bound of the left axis; 0 keeps small changes from looking dramatic. */
  readonly leftAxisMin?: number;
  /** Upper bound of the left axis, e.g. 100 for percentages. */
  readonly leftAxisMax?: number;
  readonly annotations?: readonly HorizontalAnnotation[];
}

/** Markdown text, e.g. a section heading with runbook links. */
export interface TextWidget {
  readonly kind: "text";
  readonly markdown: string;
}

export type Widget = MetricWidget | TextWidget;

/** Grid placement; the dashboard grid is 24 units wide. */
export interface Placement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The dashboard body as CloudWatch expects it. */
export interface DashboardBody {
  readonly widgets: readonly DashboardBodyWidget[];
}

export type DashboardBodyWidget =
  | (Placement & { readonly type: "metric"; readonly properties: MetricWidgetProperties })
  | (Placement & { readonly type: "text"; readonly properties: { readonly markdown: string } });

/** `[namespace, metricName, dim1Name, dim1Value, …, options]`: CloudWatch's metric array. */
export type MetricArray = readonly (string | MetricLineOptions)[];

export interface MetricLineOptions {
  readonly stat?: string;
  readonly label?: string;
  readonly yAxis?: "left" | "right";
}

export interface MetricWidgetProperties {
  readonly title: string;
  readonly region: string;
  readonly view: "timeSeries";
  readonly stacked: false;
  readonly stat: string;
  readonly period: number;
  readonly metrics: readonly MetricArray[];
  readonly yAxis: { readonly left: { readonly min?: number; readonly max?: number } };
  readonly annotations?: { readonly horizontal: readonly { readonly value: number; readonly label: string }[] };
}

export const GRID_WIDTH = 24;
const METRIC_WIDTH = 12;
const METRIC_HEIGHT = 6;
const TEXT_HEIGHT = 1;

/**
 * Lays widgets out left to right, two graphs a row; a text widget starts a full-width row
 * (a section heading).
 */
export function layoutWidgets(widgets: readonly Widget[], region: string): DashboardBody {
  const out: DashboardBodyWidget[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const newRow = () => {
    if (x > 0) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
  };
  for (const widget of widgets) {
    if (widget.kind === "text") {
      newRow();
      out.push({ type: "text", x: 0, y, width: GRID_WIDTH, height: TEXT_HEIGHT, properties: { markdown: widget.markdown } });
      y += TEXT_HEIGHT;
      continue;
    }
    if (x + METRIC_WIDTH > GRID_WIDTH) newRow();
    out.push({ type: "metric", x, y, width: METRIC_WIDTH, height: METRIC_HEIGHT, properties: metricProperties(widget, region) });
    x += METRIC_WIDTH;
    rowHeight = Math.max(rowHeight, METRIC_HEIGHT);
  }
  return { widgets: out };
}

function metricProperties(widget: MetricWidget, region: string): MetricWidgetProperties {
  return {
    title: widget.title,
    region,
    view: "timeSeries",
    stacked: false,
    stat: widget.statistic,
    period: widget.periodSeconds,
    metrics: widget.lines.map(metricArray),
    yAxis: { left: { min: widget.leftAxisMin, max: widget.leftAxisMax } },
    annotations: widget.annotations?.length
      ? { horizontal: widget.annotations.map((a) => ({ value: a.value, label: a.label })) }
      : undefined,
  };
}

function metricArray(line: MetricLine): MetricArray {
  const options: MetricLineOptions = {
    stat: line.statistic,
    label: line.label,
    yAxis: line.rightAxis ? "right" : undefined,
  };
  const dims = Object.entries(line.dimensions).flatMap(([name, value]) => [name, value]);
  const hasOptions = Object.values(options).some((value) => value !== undefined);
  return [line.namespace, line.metricName, ...dims, ...(hasOptions ? [options] : [])];
}

/** Serializes the body; undefined fields are dropped, as CloudWatch rejects nulls in some places. */
export function renderDashboardBody(body: DashboardBody): string {
  return JSON.stringify(body);
}
