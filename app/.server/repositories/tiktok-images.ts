import type { SqlExecutor } from "../db/connection";

/** TikTok's URIs for a shop's source images (migration 0006): each image is uploaded once. */
export async function getTikTokImages(sql: SqlExecutor, shop: string, sourceUrls: string[]): Promise<Map<string, { uri: string; url: string | null }>> {
  if (sourceUrls.length === 0) return new Map();
  const { rows } = await sql.query<{ source_url: string; uri: string; url: string | null }>(
    `SELECT "source_url", "uri", "url" FROM "tiktok_image" WHERE "shop" = $1 AND "source_url" = ANY($2::text[])`,
    [shop, sourceUrls],
  );
  return new Map(rows.map((row) => [row.source_url, { uri: row.uri, url: row.url }]));
}

export async function putTikTokImage(
  sql: SqlExecutor,
  shop: string,
  sourceUrl: string,
  image: { uri: string; url: string | null; width: number | null; height: number | null },
): Promise<void> {
  await sql.query(
    `INSERT INTO "tiktok_image" ("shop", "source_url", "uri", "url", "width", "height") VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ("shop", "source_url") DO UPDATE SET "uri" = EXCLUDED."uri", "url" = EXCLUDED."url", "width" = EXCLUDED."width", "height" = EXCLUDED."height"`,
    [shop, sourceUrl, image.uri, image.url, image.width, image.height],
  );
}
