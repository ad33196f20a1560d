/**
 * Rebuilds packages/cost/prices.json from AWS Price List bulk offer files.
 *
 *   pnpm cost:prices                      download the offers of every region in the table (needs internet)
 *   pnpm cost:prices --offer-dir DIR      read recorded offers DIR/<region>/<offerCode>.json instead
 *   pnpm cost:prices --dry-run            print what would change, write nothing
 *
 * Only entries whose usage type appears in an offer change; the others keep their figure and source.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadPriceTable, PRICE_TABLE_PATH, refreshPrices } from "@platform/cost";

const OFFERS = ["AmazonECS", "AWSELB", "AmazonVPC", "AmazonRDS", "AmazonCloudWatch", "awswaf", "AmazonRoute53", "awskms", "AWSSecretsManager", "AmazonECR", "AmazonS3", "AWSLambda", "AmazonEC2", "AmazonDynamoDB", "AmazonSNS", "AWSBackup", "AmazonEFS"];
const BASE = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws";

const { values } = parseArgs({ options: { "offer-dir": { type: "string" }, "dry-run": { type: "boolean" }, "as-of": { type: "string" } } });
const table = loadPriceTable();
const offers: { region: string; url: string; offer: Parameters<typeof refreshPrices>[1][number]["offer"] }[] = [];
for (const region of Object.keys(table.regions)) {
  if (values["offer-dir"]) {
    const dir = join(values["offer-dir"], region);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      offers.push({ region, url: join(dir, file), offer: JSON.parse(readFileSync(join(dir, file), "utf8")) });
    }
  } else {
    for (const code of OFFERS) {
      const url = `${BASE}/${code}/current/${region}/index.json`;
      const response = await fetch(url);
      if (!response.ok) {
        console.error(`cost:prices: ${url}: HTTP ${response.status}; its entries keep their figures`);
        continue;
      }
      offers.push({ region, url, offer: (await response.json()) as (typeof offers)[number]["offer"] });
    }
  }
}
const asOf = values["as-of"] ?? new Date().toISOString().slice(0, 10);
const { table: next, updated } = refreshPrices(table, offers, asOf);
console.log(`cost:prices: ${updated.length} price(s) from ${offers.length} offer file(s):\n${updated.map((u) => `  ${u}`).join("\n")}`);
if (!values["dry-run"]) writeFileSync(PRICE_TABLE_PATH, `${JSON.stringify(next, null, 2)}\n`);
