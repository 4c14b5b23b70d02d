-- Ingest speed (docs/decisions/0016-ingest-speed.md): a full sync stages its JSONL in blocks, not
-- one row per line.
--
-- A block holds the lines of one staging batch that belong to the same root: a product (its own
-- lines, media, variants, inventory levels, metafields, collections, selling plan groups), a
-- selling plan group (its plans, each staged once), or, for a line that came before its variant,
-- that variant until the apply phase claims it for the variant's product. A 100,000-variant
-- catalog is about 40,000 blocks instead of 676,000 rows: a fifth of the staging cost and of the
-- index entries, and the apply phase reads two rows per product instead of thirty-five.
--
-- "lines": "<line number>\t<JSONL line>" per line, joined by "\n" (a JSONL line holds neither).
-- STORAGE EXTERNAL: a block is usually over the 2 kB TOAST threshold; compressing rows that live
-- for one sync cost more time than the disk it saves.
CREATE TABLE "catalog_sync_block" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "sync_id" UUID NOT NULL,
    "first_line" INTEGER NOT NULL,
    "root_gid" TEXT COLLATE "C" NOT NULL,
    "holds_root" BOOLEAN NOT NULL DEFAULT false,
    "lines" TEXT NOT NULL,
    CONSTRAINT "catalog_sync_block_pkey" PRIMARY KEY ("sync_id", "first_line")
);
ALTER TABLE "catalog_sync_block" ALTER COLUMN "lines" SET STORAGE EXTERNAL;
CREATE INDEX "catalog_sync_block_root_idx" ON "catalog_sync_block"("sync_id", "root_gid");
-- The products that have their own line: the apply phase walks them in GID order, chunk by chunk.
CREATE INDEX "catalog_sync_block_products_idx" ON "catalog_sync_block"("sync_id", "root_gid") WHERE "holds_root";

-- The product and variant documents: a PostgreSQL server built with lz4 (the Debian and Ubuntu
-- packages, the official images) compresses them with it instead of pglz: a fifth to a quarter less
-- server time for a full sync's writes, about the same size on disk (measured: 68 vs 72 MB for a
-- 100,000-variant catalog). Only new values are affected; PGlite has no lz4 and keeps pglz.
DO $$
BEGIN
  IF 'lz4' = ANY (SELECT unnest("enumvals") FROM "pg_settings" WHERE "name" = 'default_toast_compression') THEN
    ALTER TABLE "product" ALTER COLUMN "data" SET COMPRESSION lz4;
    ALTER TABLE "variant" ALTER COLUMN "data" SET COMPRESSION lz4;
  END IF;
END $$;

-- Variant lines staged so far (counted while staging, since blocks cannot be counted by kind).
ALTER TABLE "catalog_sync" ADD COLUMN "staged_variants" INTEGER NOT NULL DEFAULT 0;

-- A sync caught by this upgrade with lines staged in the old table starts its staging again (the
-- bulk results stay downloadable for a week, a file stays where it is). Products it already
-- applied are found unchanged the second time, so its drift counts them as unchanged, not added.
UPDATE "catalog_sync"
SET "phase" = 'staging', "files_staged" = 0, "staged_lines" = 0, "checkpoint_line" = 0, "total_variants" = NULL,
    "done_variants" = 0, "done_products" = 0, "checkpoint_product" = NULL, "drift" = NULL
WHERE "status" IN ('queued', 'running')
  AND ("phase" IN ('staging', 'applying') OR ("phase" = 'bulk' AND "files_staged" > 0));

DROP TABLE "catalog_sync_line";
