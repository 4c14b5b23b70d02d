import type { SqlExecutor } from "../db/connection";

/**
 * Every table that holds a shop's rows, in the order they can be deleted (children first).
 * `shop/redact` erases exactly these; a test fails when a table with a `shop` column is missing
 * from this list, so a new table cannot escape redaction.
 */
export const TENANT_TABLES = [
  "feed_issue",
  "product_event",
  "channel_item",
  "publish_run",
  "tiktok_image",
  "channel_connection",
  "pixel_destination",
  "pixel_event",
  "tracking_plan",
  "channel_diagnostic",
  "feed_build_chunk",
  "feed_build",
  "channel_feed",
  "stock_rules",
  "campaign",
  "storefront_offer_message",
  "channel_mapping",
  "channel_settings",
  "variant",
  "product",
  "catalog_sync_block",
  "catalog_sync",
  "webhook_inbox",
  "session",
  "shop",
] as const;

export async function countShopRows(sql: SqlExecutor, shop: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TENANT_TABLES) {
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "shop" = $1`, [shop]);
    counts[table] = rows[0]?.n ?? 0;
  }
  return counts;
}

/** Erases every row of one shop in one transaction: all of it goes, or none of it. */
export async function eraseShopRows(sql: SqlExecutor, shop: string): Promise<number> {
  const literal = `'${shop.replace(/'/g, "''")}'`;
  const statements = TENANT_TABLES.map((table) => `DELETE FROM "${table}" WHERE "shop" = ${literal};`).join("\n");
  const before = Object.values(await countShopRows(sql, shop)).reduce((a, b) => a + b, 0);
  await sql.exec(`BEGIN;\n${statements}\nCOMMIT;`).catch(async (error: unknown) => {
    await sql.exec("ROLLBACK").catch(() => undefined);
    throw error;
  });
  return before;
}
