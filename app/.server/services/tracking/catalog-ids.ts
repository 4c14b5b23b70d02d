import type { Product } from "~/domain/catalog/types";
import type { IdScheme, Market } from "~/domain/channels/types";
import type { CatalogIds } from "~/domain/tracking/types";
import type { Runtime } from "../../runtime";
import { loadChannelSetup } from "../channel-feeds/channel-setup";

/**
 * The ids the shop's feeds carry, for the checks that compare content ids in traffic with the catalog
 * (checks 13 and 15): item ids and group ids through the same IdScheme the feeds use, so a pixel that
 * sends what the catalog holds matches by construction.
 */
export interface CatalogIdsCollector {
  add(product: Product): void;
  result(): CatalogIds & { products: number };
}

/**
 * Collects ids product by product. Only the `shopify-channel` scheme puts the market in the id
 * (`shopify_US_…`), so only then is every market's id collected; the other schemes give one id per
 * variant whatever the market.
 */
export function createCatalogIdsCollector(idScheme: IdScheme, markets: readonly Market[]): CatalogIdsCollector {
  const [firstMarket] = markets;
  if (!firstMarket) throw new RangeError("catalog ids need at least one market");
  const idMarkets = idScheme.name === "shopify-channel" ? markets : [firstMarket];
  const itemIds = new Set<string>();
  const groupIds = new Set<string>();
  let products = 0;
  return {
    add(product) {
      products += 1;
      for (const market of idMarkets) {
        groupIds.add(idScheme.groupId(product, market));
        for (const variant of product.variants) itemIds.add(idScheme.itemId(product, variant, market));
      }
    },
    result: () => ({ itemIds, groupIds, products }),
  };
}

/** Products read per query: the same page size as a feed build. */
const PRODUCT_PAGE_SIZE = 250;

/** The shop's snapshot through its channel settings' id scheme and markets. */
export async function loadShopCatalogIds(runtime: Runtime, shop: string): Promise<CatalogIds & { products: number; idScheme: IdScheme["name"] }> {
  const setup = await loadChannelSetup(runtime, shop);
  const collector = createCatalogIdsCollector(setup.idScheme, setup.markets);
  // Keyset pagination in id order: no page is read twice or skipped while the snapshot changes.
  let after = "";
  for (;;) {
    const { rows } = await runtime.db.sql.query<{ id: string; data: Product | string }>(
      `SELECT "id", "data" FROM "product" WHERE "shop" = $1 AND "id" > $2 ORDER BY "id" LIMIT $3`,
      [shop, after, PRODUCT_PAGE_SIZE],
    );
    for (const row of rows) collector.add(typeof row.data === "string" ? (JSON.parse(row.data) as Product) : row.data);
    const last = rows[rows.length - 1];
    if (!last || rows.length < PRODUCT_PAGE_SIZE) break;
    after = last.id;
  }
  return { ...collector.result(), idScheme: setup.idScheme.name };
}
