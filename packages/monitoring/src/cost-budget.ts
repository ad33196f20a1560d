import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { Validator, isKnown } from "@platform/core";
import { Construct } from "constructs";

/** The AWS Budgets service principal, which publishes budget notifications to the topic. */
export const BUDGETS_SERVICE_PRINCIPAL = "budgets.amazonaws.com";

export interface CostBudgetProps {
  /** Prefix of the budget name, e.g. `acme-prod`; the budget is `<namePrefix>-monthly-cost`. */
  readonly namePrefix: string;
  /** Monthly limit in US dollars (Budgets bills in USD), greater than 0. */
  readonly monthlyLimitUsd: number;
  /** SNS topic notified; its policy must admit `budgets.amazonaws.com` (AlarmTopic does when given a budget). */
  readonly topicArn: string;
  /**
   * Only costs tagged with this cost allocation tag count, e.g. `{ key: "environment", value: "prod" }`
   * (the platform tags every resource with it). The tag must be activated once in the Billing
   * console (Cost allocation tags) or no cost matches (command in docs/runbooks/alarms.md).
   * @default the whole account
   */
  readonly costAllocationTag?: { readonly key: string; readonly value: string };
  /**
   * Share of the limit actually spent that notifies.
   * @default 80
   */
  readonly actualPercent?: number;
  /**
   * Share of the limit the month's forecast reaching notifies.
   * @default 100
   */
  readonly forecastPercent?: number;
}

/**
 * A monthly COST budget with two notifications to the alarm topic: `actualPercent` of the limit
 * spent (ACTUAL) and the forecast reaching `forecastPercent` (FORECASTED). Budgets evaluates
 * about three times a day, so this is a guardrail against a month gone wrong, not a live alarm.
 */
export class CostBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    const actual = props.actualPercent ?? 80;
    const forecast = props.forecastPercent ?? 100;
    const v = new Validator(this.node.path);
    v.check(
      Number.isFinite(props.monthlyLimitUsd) && props.monthlyLimitUsd > 0,
      "monthlyLimitUsd",
      props.monthlyLimitUsd,
      "must be the monthly limit in US dollars, greater than 0 (e.g. 300); read `pnpm cost` for the expected spend.",
    );
    for (const [field, value] of [["actualPercent", actual], ["forecastPercent", forecast]] as const) {
      v.check(Number.isFinite(value) && value > 0 && value <= 1000, field, value, "must be a percentage of the limit greater than 0 (e.g. 80 or 100).");
    }
    if (props.costAllocationTag && isKnown(props.costAllocationTag.key)) {
      v.check(/^[^$]{1,128}$/.test(props.costAllocationTag.key), "costAllocationTag.key", props.costAllocationTag.key, 'must be a tag key without "$".');
    }
    v.throwIfAny();

    const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
      notificationType,
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      subscriberSnsTopicArns: [props.topicArn],
    });
    this.budget = new BudgetsBudget(this, "budget", {
      name: `${props.namePrefix}-monthly-cost`,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: formatUsd(props.monthlyLimitUsd),
      limitUnit: "USD",
      costFilter: props.costAllocationTag
        ? [{ name: "TagKeyValue", values: [`user:${props.costAllocationTag.key}$${props.costAllocationTag.value}`] }]
        : undefined,
      notification: [notify("ACTUAL", actual), notify("FORECASTED", forecast)],
    });
  }
}

/** Budgets stores the amount as a decimal string; "300.0" and "300" would diff on every plan. */
function formatUsd(amount: number): string {
  return amount.toFixed(1);
}
