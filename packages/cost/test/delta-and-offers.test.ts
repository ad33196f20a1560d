import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costDelta, renderCostDeltaMarkdown } from "../src/delta";
import { estimate } from "../src/estimate";
import { onDemandByUsageType, refreshPrices, type OfferFile } from "../src/offer-file";
import { loadPriceTable } from "../src/prices";
import { yearWindow } from "../src/schedule";
import { stackFromJson } from "../src/stacks";
import { DEFAULT_USAGE } from "../src/usage";

const table = loadPriceTable();
const options = { usage: () => DEFAULT_USAGE, window: yearWindow(2026) };
const compute = (services: string[]) =>
  stackFromJson("prod-compute", {
    provider: { aws: [{ region: "ap-northeast-1" }] },
    resource: {
      aws_ecs_task_definition: Object.fromEntries(services.map((s) => [s, { cpu: "1024", memory: "2048" }])),
      aws_ecs_service: Object.fromEntries(services.map((s) => [s, { desired_count: 1, task_definition: `\${aws_ecs_task_definition.${s}.arn}` }])),
    },
  });

describe("cost delta", () => {
  it("shows the monthly cost of a service a pull request adds: 1 vCPU / 2 GB 24×7 = +$44.98", () => {
    const before = estimate([compute(["web"])], table, options);
    const after = estimate([compute(["web", "worker"])], table, options);
    expect(costDelta(before, after)).toEqual([{ environment: "prod", stack: "prod-compute", before: { base: 44.98, peak: 44.98 }, after: { base: 89.96, peak: 89.96 } }]);
    const md = renderCostDeltaMarkdown(before, after, table.asOf);
    expect(md).toContain("| prod | prod-compute | $44.98 → $89.96 | $44.98 → $89.96 | +$44.98 / +$44.98 |");
    expect(md).toContain(`as of ${table.asOf}`);
  });

  it("counts a new stack from $0 and says so when nothing changes", () => {
    const after = estimate([compute(["web"])], table, options);
    expect(renderCostDeltaMarkdown({ environments: {} }, after, table.asOf)).toContain("$0.00 → $44.98");
    expect(renderCostDeltaMarkdown(after, after, table.asOf)).toContain("No change");
  });
});

describe("offer files", () => {
  const offer = JSON.parse(readFileSync(new URL("./fixtures/AmazonECS-ap-northeast-1.json", import.meta.url), "utf8")) as OfferFile;

  it("reads the first-tier on-demand price of each usage type", () => {
    const prices = onDemandByUsageType(offer);
    expect(prices.get("APN1-Fargate-vCPU-Hours:perCPU")).toEqual({ usd: 0.05056, unit: "hours" });
    expect(prices.get("APN1-Fargate-GB-Hours")).toEqual({ usd: 0.00553, unit: "GB-Hours" });
    expect(prices.size).toBe(3);
  });

  it("updates only the entries whose usage type the offer prices, with the offer as the source", () => {
    const doubled = JSON.parse(JSON.stringify(offer).replace('"0.0505600000"', '"0.1011200000"')) as OfferFile;
    const { table: next, updated } = refreshPrices(table, [{ region: "ap-northeast-1", url: "AmazonECS.json", offer: doubled }], "2026-12-01");
    expect(updated.sort()).toEqual(["ap-northeast-1 fargate.gb-hour.x86", "ap-northeast-1 fargate.vcpu-hour.arm", "ap-northeast-1 fargate.vcpu-hour.x86"]);
    expect(next.asOf).toBe("2026-12-01");
    expect(next.regions["ap-northeast-1"]!["fargate.vcpu-hour.x86"]).toMatchObject({ usd: 0.10112, source: expect.stringContaining("published 2026-11-01") });
    expect(next.regions["ap-northeast-1"]!["alb.hour"]).toEqual(table.regions["ap-northeast-1"]!["alb.hour"]);
    expect(next.regions["us-east-1"]).toEqual(table.regions["us-east-1"]);
  });
});
