/**
 * Rebuilds price-table entries from AWS Price List bulk offer files
 * (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json):
 * `products` (sku → attributes with `usagetype`) and `terms.OnDemand` (sku → offer → priceDimensions).
 */
import type { Price, PriceTable } from "./prices";

export interface OfferFile {
  readonly offerCode?: string;
  readonly publicationDate?: string;
  readonly products: Readonly<Record<string, { readonly sku: string; readonly attributes?: Readonly<Record<string, string>> }>>;
  readonly terms: {
    readonly OnDemand?: Readonly<Record<string, Readonly<Record<string, {
      readonly priceDimensions: Readonly<Record<string, { readonly unit: string; readonly beginRange?: string; readonly pricePerUnit: Readonly<Record<string, string>> }>>;
    }>>>>;
  };
}

/** The first-tier on-demand USD price of each usage type in one offer file. */
export function onDemandByUsageType(offer: OfferFile): Map<string, { usd: number; unit: string }> {
  const out = new Map<string, { usd: number; unit: string }>();
  for (const [sku, product] of Object.entries(offer.products)) {
    const usageType = product.attributes?.usagetype;
    if (!usageType) continue;
    for (const term of Object.values(offer.terms.OnDemand?.[sku] ?? {})) {
      for (const dim of Object.values(term.priceDimensions)) {
        if ((dim.beginRange ?? "0") !== "0") continue;
        const usd = Number(dim.pricePerUnit.USD);
        if (!Number.isFinite(usd)) continue;
        // A usage type with a free first tier ($0) keeps looking for its paid tier.
        const known = out.get(usageType);
        if (!known || (known.usd === 0 && usd > 0)) out.set(usageType, { usd, unit: dim.unit });
      }
    }
  }
  return out;
}

/**
 * A new table: every entry whose usage type appears in one of `offers` takes the offer's
 * price; the others keep their figure and source. Returns the table and the keys updated.
 */
export function refreshPrices(table: PriceTable, offers: readonly { readonly region: string; readonly url: string; readonly offer: OfferFile }[], asOf: string): { table: PriceTable; updated: string[] } {
  const updated: string[] = [];
  const regions: Record<string, Record<string, Price>> = {};
  for (const [region, prices] of Object.entries(table.regions)) {
    regions[region] = {};
    for (const [key, price] of Object.entries(prices)) {
      let next = price;
      for (const o of offers.filter((x) => x.region === region)) {
        const found = onDemandByUsageType(o.offer).get(price.usageType);
        if (!found) continue;
        // Offer files price per hour or per GB-Mo; the table's monthly units are kept as they are.
        next = { ...price, usd: found.usd, source: `${o.url} (offer ${o.offer.offerCode ?? "?"}, published ${o.offer.publicationDate ?? "?"})` };
        updated.push(`${region} ${key}`);
      }
      regions[region]![key] = next;
    }
  }
  return { table: { ...table, asOf, regions }, updated };
}
