-- Foundation: tenants, sessions, webhook inbox, catalog snapshot, catalog sync progress.
CREATE TABLE "shop" (
    "shop" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "scopes" TEXT NOT NULL DEFAULT '',
    "name" TEXT,
    "currency_code" TEXT,
    "iana_timezone" TEXT,
    "installed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalled_at" TIMESTAMP(3),
    "last_sync_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "shop_pkey" PRIMARY KEY ("shop")
);

CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "is_online" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "access_token" TEXT NOT NULL,
    "user_id" BIGINT,
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "account_owner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "email_verified" BOOLEAN DEFAULT false,
    "refresh_token" TEXT,
    "refresh_token_expires" TIMESTAMP(3),
    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "session_shop_idx" ON "session"("shop");

CREATE TABLE "webhook_inbox" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "webhook_id" TEXT,
    "subscription_name" TEXT NOT NULL DEFAULT '',
    "api_version" TEXT,
    "triggered_at" TIMESTAMP(3),
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "processed_at" TIMESTAMP(3),
    "outcome" TEXT,
    "error" TEXT,
    CONSTRAINT "webhook_inbox_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "webhook_inbox_shop_topic_event_id_subscription_name_key" ON "webhook_inbox"("shop", "topic", "event_id", "subscription_name");
CREATE INDEX "webhook_inbox_shop_status_idx" ON "webhook_inbox"("shop", "status");

CREATE TABLE "product" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "vendor" TEXT NOT NULL DEFAULT '',
    "product_type" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "variant_count" INTEGER NOT NULL DEFAULT 0,
    "total_available" INTEGER NOT NULL DEFAULT 0,
    "shopify_updated_at" TIMESTAMP(3),
    "data" JSONB NOT NULL,
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "product_pkey" PRIMARY KEY ("shop","id")
);
CREATE INDEX "product_shop_title_idx" ON "product"("shop", "title");
CREATE INDEX "product_shop_vendor_idx" ON "product"("shop", "vendor");
CREATE INDEX "product_shop_product_type_idx" ON "product"("shop", "product_type");

CREATE TABLE "variant" (
    "shop" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "sku" TEXT,
    "barcode" TEXT,
    "title" TEXT NOT NULL,
    "price" DECIMAL(14,2) NOT NULL,
    "compare_at_price" DECIMAL(14,2),
    "available" INTEGER NOT NULL DEFAULT 0,
    "inventory_policy" TEXT NOT NULL DEFAULT 'DENY',
    "data" JSONB NOT NULL,
    CONSTRAINT "variant_pkey" PRIMARY KEY ("shop","id"),
    CONSTRAINT "variant_shop_product_id_fkey" FOREIGN KEY ("shop", "product_id") REFERENCES "product"("shop", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "variant_shop_product_id_idx" ON "variant"("shop", "product_id");
CREATE INDEX "variant_shop_sku_idx" ON "variant"("shop", "sku");

CREATE TABLE "catalog_sync" (
    "id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "source" TEXT,
    "total_variants" INTEGER,
    "done_variants" INTEGER NOT NULL DEFAULT 0,
    "done_products" INTEGER NOT NULL DEFAULT 0,
    "checkpoint_line" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    CONSTRAINT "catalog_sync_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "catalog_sync_shop_started_at_idx" ON "catalog_sync"("shop", "started_at");
