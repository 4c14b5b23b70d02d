import type { SqlExecutor } from "../db/connection";

/**
 * What was last written to each variant's storefront offer-message metafield (migration 0008), as a
 * hash: the writer sends only variants whose message changed since.
 */
export async function listOfferMessageHashes(sql: SqlExecutor, shop: string): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ variant_id: string; hash: string }>(`SELECT "variant_id", "hash" FROM "storefront_offer_message" WHERE "shop" = $1`, [shop]);
  return new Map(rows.map((row) => [row.variant_id, row.hash]));
}

export async function saveOfferMessageHashes(sql: SqlExecutor, shop: string, written: { variantId: string; productId: string; hash: string }[], at: Date): Promise<void> {
  if (written.length === 0) return;
  await sql.query(
    `INSERT INTO "storefront_offer_message" ("shop", "variant_id", "product_id", "hash", "written_at")
     SELECT $1, w."variantId", w."productId", w."hash", $3 FROM jsonb_to_recordset($2::jsonb) AS w("variantId" text, "productId" text, "hash" text)
     ON CONFLICT ("shop", "variant_id") DO UPDATE SET "product_id" = EXCLUDED."product_id", "hash" = EXCLUDED."hash", "written_at" = EXCLUDED."written_at"`,
    [shop, JSON.stringify(written), at],
  );
}

/** Forgets variants no longer in the catalog (their metafields went with them). */
export async function deleteOfferMessageHashesExcept(sql: SqlExecutor, shop: string, keepVariantIds: string[]): Promise<number> {
  const { rows } = await sql.query(`DELETE FROM "storefront_offer_message" WHERE "shop" = $1 AND NOT ("variant_id" = ANY($2::text[])) RETURNING 1`, [shop, keepVariantIds]);
  return rows.length;
}
