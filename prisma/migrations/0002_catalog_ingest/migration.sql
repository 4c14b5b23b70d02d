-- Catalog ingest: filterable product columns, content hashes, inventory item lookup, the staged
-- lines and checkpoints of a resumable full sync.

-- Identifiers (shop domains, Shopify GIDs, SKUs) are compared byte for byte: the "C" collation is
-- the right meaning for them and makes their indexes about three times cheaper to maintain
-- (measured on PGlite; docs/decisions/0009-bulk-writes-in-sql.md). Titles keep the default.
-- The variant → product foreign key goes: its per-row check (which locks the parent row) doubled
-- the cost of writing a catalog. Variants are only ever written with their product, in one
-- transaction (writeProducts), and deleted with it (deleteProducts, deleteProductsNotSyncedSince).
ALTER TABLE "variant" DROP CONSTRAINT "variant_shop_product_id_fkey";
ALTER TABLE "product" ALTER COLUMN "shop" TYPE TEXT COLLATE "C", ALTER COLUMN "id" TYPE TEXT COLLATE "C";
ALTER TABLE "variant" ALTER COLUMN "shop" TYPE TEXT COLLATE "C", ALTER COLUMN "id" TYPE TEXT COLLATE "C",
    ALTER COLUMN "product_id" TYPE TEXT COLLATE "C", ALTER COLUMN "sku" TYPE TEXT COLLATE "C";
ALTER TABLE "webhook_inbox" ALTER COLUMN "shop" TYPE TEXT COLLATE "C", ALTER COLUMN "topic" TYPE TEXT COLLATE "C", ALTER COLUMN "event_id" TYPE TEXT COLLATE "C";
ALTER TABLE "catalog_sync" ALTER COLUMN "shop" TYPE TEXT COLLATE "C";

-- Webhook intake only records the delivery; the worker's dispatcher queues its job and notes when.
ALTER TABLE "webhook_inbox" ADD COLUMN "queued_at" TIMESTAMP(3);
CREATE INDEX "webhook_inbox_unqueued_idx" ON "webhook_inbox"("received_at") WHERE "queued_at" IS NULL;
ALTER TABLE "session" ALTER COLUMN "shop" TYPE TEXT COLLATE "C";
ALTER TABLE "product" ADD COLUMN "collection_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "product" ADD COLUMN "content_hash" TEXT NOT NULL DEFAULT '';
CREATE INDEX "product_shop_status_idx" ON "product"("shop", "status");
CREATE INDEX "product_tags_idx" ON "product" USING GIN ("tags");
CREATE INDEX "product_collection_ids_idx" ON "product" USING GIN ("collection_ids");

ALTER TABLE "variant" ADD COLUMN "inventory_item_id" TEXT COLLATE "C";
CREATE INDEX "variant_shop_inventory_item_id_idx" ON "variant"("shop", "inventory_item_id");

ALTER TABLE "catalog_sync" ADD COLUMN "phase" TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE "catalog_sync" ADD COLUMN "bulk_operation_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "catalog_sync" ADD COLUMN "files_staged" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "catalog_sync" ADD COLUMN "staged_lines" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "catalog_sync" ADD COLUMN "checkpoint_product" TEXT;
ALTER TABLE "catalog_sync" ADD COLUMN "drift" JSONB;
CREATE INDEX "catalog_sync_shop_status_idx" ON "catalog_sync"("shop", "status");

-- One row per JSONL line of a full sync, staged so that a crash resumes and so that products are
-- assembled in bounded chunks whatever order Shopify wrote their lines in. Reads go by root (the
-- product a line belongs to, or a selling plan's group) or walk the product lines.
CREATE TABLE "catalog_sync_line" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "sync_id" UUID NOT NULL,
    "line_no" INTEGER NOT NULL,
    "gid" TEXT COLLATE "C" NOT NULL,
    "parent_gid" TEXT COLLATE "C",
    "root_gid" TEXT COLLATE "C",
    "body" TEXT NOT NULL,
    CONSTRAINT "catalog_sync_line_pkey" PRIMARY KEY ("sync_id","line_no")
);
CREATE INDEX "catalog_sync_line_sync_id_root_gid_idx" ON "catalog_sync_line"("sync_id", "root_gid");
-- The product lines alone (no parent): the apply phase walks them in order, chunk by chunk.
CREATE INDEX "catalog_sync_line_products_idx" ON "catalog_sync_line"("sync_id", "gid") WHERE "parent_gid" IS NULL;
