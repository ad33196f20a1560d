import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One list price: what AWS bills it as, per what, and where the figure comes from. */
export interface Price {
  readonly usd: number;
  readonly unit: string;
  /** The AWS usage type (as in Cost Explorer and the Price List), e.g. APN1-Fargate-vCPU-Hours:perCPU. */
  readonly usageType: string;
  /** The page or offer file the figure was read from, and whether it was confirmed. */
  readonly source: string;
}

/** The bundled price table (packages/cost/prices.json). */
export interface PriceTable {
  /** The day the prices were read (printed with every estimate). */
  readonly asOf: string;
  readonly currency: "USD";
  readonly note?: string;
  readonly regions: Readonly<Record<string, Readonly<Record<string, Price>>>>;
}

/** The committed table's path. */
export const PRICE_TABLE_PATH = fileURLToPath(new URL("../prices.json", import.meta.url));

export function loadPriceTable(path: string = PRICE_TABLE_PATH): PriceTable {
  return JSON.parse(readFileSync(path, "utf8")) as PriceTable;
}

/** The price of `key` in `region`; throws naming both and the regions the table has. */
export function priceOf(table: PriceTable, region: string, key: string): Price {
  const prices = table.regions[region];
  if (!prices) {
    throw new Error(`cost: the price table has no region ${region}; it has ${Object.keys(table.regions).join(", ")}. Add it with pnpm cost:prices --region ${region}`);
  }
  const price = prices[key];
  if (!price) throw new Error(`cost: the price table has no price "${key}" for ${region}; add it to packages/cost/prices.json`);
  return price;
}
