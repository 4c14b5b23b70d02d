-- Channel catalogs: where the shop sells, the merchant's mapping rules, feeds at unguessable URLs,
-- their builds (stored gzip-compressed in the database so every web process serves the same bytes),
-- and the diagnostics of each build. See docs/decisions/0011-channel-catalogs.md.

-- What every channel needs about the shop: where its storefront lives and which country it sells from.
ALTER TABLE "shop" ADD COLUMN "country_code" TEXT;
ALTER TABLE "shop" ADD COLUMN "storefront_url" TEXT;

-- Per-shop channel settings: the id scheme (shared by every channel and the pixels) and the markets
-- (country, currency, language) a feed is built for. Absent row: defaults from the shop.
CREATE TABLE "channel_settings" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "id_scheme" TEXT NOT NULL DEFAULT 'variant-id',
    "markets" JSONB NOT NULL DEFAULT '[]',
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_settings_pkey" PRIMARY KEY ("shop")
);

-- Mapping rules as data (zod-validated JSON), per channel and market ('*' = every market).
CREATE TABLE "channel_mapping" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "market" TEXT COLLATE "C" NOT NULL DEFAULT '*',
    "rules" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_mapping_pkey" PRIMARY KEY ("shop", "channel", "market")
);

-- One feed per shop, channel and market, served at /feeds/<token>. The token is 256 random bits;
-- rotating replaces it, revoking makes the URL answer 404.
CREATE TABLE "channel_feed" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "market" TEXT COLLATE "C" NOT NULL,
    "format" TEXT NOT NULL,
    "token" TEXT COLLATE "C" NOT NULL,
    "token_created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMP(3),
    "current_build_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_feed_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "channel_feed_shop_channel_market_key" ON "channel_feed"("shop", "channel", "market");
CREATE UNIQUE INDEX "channel_feed_token_key" ON "channel_feed"("token");

-- A build of one feed. Counts: items_total = items_ready + items_with_errors + items_excluded.
CREATE TABLE "feed_build" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT COLLATE "C" NOT NULL,
    "feed_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "products" INTEGER NOT NULL DEFAULT 0,
    "items_total" INTEGER NOT NULL DEFAULT 0,
    "items_ready" INTEGER NOT NULL DEFAULT 0,
    "items_with_errors" INTEGER NOT NULL DEFAULT 0,
    "items_excluded" INTEGER NOT NULL DEFAULT 0,
    "items_with_warnings" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "gzip_bytes" BIGINT NOT NULL DEFAULT 0,
    "etag" TEXT,
    -- When the feed's bytes last changed (Last-Modified): a rebuild with identical bytes keeps it.
    "content_changed_at" TIMESTAMP(3),
    "error" TEXT,
    CONSTRAINT "feed_build_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "feed_build_feed_id_idx" ON "feed_build"("feed_id", "started_at");
CREATE INDEX "feed_build_shop_idx" ON "feed_build"("shop");

-- The gzip bytes of a build, in order.
CREATE TABLE "feed_build_chunk" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "build_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    CONSTRAINT "feed_build_chunk_pkey" PRIMARY KEY ("build_id", "seq")
);
CREATE INDEX "feed_build_chunk_shop_idx" ON "feed_build_chunk"("shop");

-- Every problem a build found, Shelfcast's own ("shelfcast" source). Readers look only at the feed's
-- current build, so a running build never shows half its diagnostics.
CREATE TABLE "channel_diagnostic" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "build_id" UUID NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "market" TEXT COLLATE "C" NOT NULL,
    "item_id" TEXT COLLATE "C" NOT NULL,
    "product_id" TEXT COLLATE "C" NOT NULL,
    "variant_id" TEXT COLLATE "C",
    "code" TEXT COLLATE "C" NOT NULL,
    "severity" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "value" TEXT,
    "message" TEXT NOT NULL,
    "fix" TEXT NOT NULL,
    "fix_target" JSONB NOT NULL
);
CREATE INDEX "channel_diagnostic_build_idx" ON "channel_diagnostic"("build_id", "severity", "code");
CREATE INDEX "channel_diagnostic_product_idx" ON "channel_diagnostic"("shop", "product_id");
