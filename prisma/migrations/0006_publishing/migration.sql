-- Publishing (issue 5): connections to Meta's catalog and TikTok Shop, each item's desired and
-- acknowledged state on a channel, publish runs, channel-reported verdicts and TikTok's image cache.
-- See docs/decisions/0013-publishing.md.

-- One connection per shop and channel ('meta' catalog, 'tiktok' Shop). `settings` holds what is not
-- secret (Meta: catalogId, businessId; TikTok: appKey, shopId, shopCipher, shopName, region,
-- warehouseMap, categoryMap). `secrets_ciphertext` is one JSON object of every secret
-- (Meta: token; TikTok: appSecret, accessToken, refreshToken) encrypted with
-- app/.server/security/secrets.ts; `secret_hint` keeps the token's last four characters for screens.
-- `status`: 'connected', 'pending' (TikTok authorisation started, no token yet), 'reconnect' (the
-- channel refused the token and it cannot be refreshed: the merchant must act).
CREATE TABLE "channel_connection" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "status" TEXT COLLATE "C" NOT NULL DEFAULT 'connected',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "secrets_ciphertext" TEXT,
    "secret_hint" TEXT,
    "access_expires_at" TIMESTAMP(3),
    "refresh_expires_at" TIMESTAMP(3),
    "oauth_state" TEXT COLLATE "C",
    "last_checked_at" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_connection_pkey" PRIMARY KEY ("shop", "channel"),
    CONSTRAINT "channel_connection_channel_check" CHECK ("channel" IN ('meta', 'tiktok')),
    CONSTRAINT "channel_connection_status_check" CHECK ("status" IN ('connected', 'pending', 'reconnect'))
);
CREATE UNIQUE INDEX "channel_connection_oauth_state_idx" ON "channel_connection"("oauth_state") WHERE "oauth_state" IS NOT NULL;

-- One row per record a channel should hold (Meta: one item per variant; TikTok: one product with
-- its SKUs), keyed by the record key the channel adapter produced.
-- desired_*: what Shelfcast wants the channel to hold; desired_hash NULL means "should not exist"
--            (a vanished or newly excluded item: a delete is due).
-- sent_*:    what the channel last acknowledged. desired_hash IS DISTINCT FROM sent_hash is the
--            outbox: the publish job sends exactly those rows, so a crash between the commit and the
--            call leaves the row due and the same logical write is sent again.
-- stock/price hashes let TikTok send stock-only and price-only changes through their endpoints.
-- remote_id / remote_skus: TikTok's product id and {external_sku_id: sku id}.
-- create_started_at: a TikTok create was sent and its answer not yet recorded; a retry looks the
--            product up by SKU before creating again, so a crash never creates twice.
-- state: 'pending' (due), 'live' (acknowledged), 'rejected' (the channel refused this content; sent
--        again only when it changes), 'dead' (an error that will not heal: shown with a Retry).
CREATE TABLE "channel_item" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "market" TEXT COLLATE "C" NOT NULL,
    "item_key" TEXT COLLATE "C" NOT NULL,
    "product_id" TEXT COLLATE "C" NOT NULL,
    "item_ids" JSONB NOT NULL DEFAULT '[]',
    "desired_hash" TEXT COLLATE "C",
    "desired_stock_hash" TEXT COLLATE "C",
    "desired_price_hash" TEXT COLLATE "C",
    "desired_payload" JSONB,
    "sent_hash" TEXT COLLATE "C",
    "sent_stock_hash" TEXT COLLATE "C",
    "sent_price_hash" TEXT COLLATE "C",
    "remote_id" TEXT COLLATE "C",
    "remote_skus" JSONB,
    "create_started_at" TIMESTAMP(3),
    "state" TEXT COLLATE "C" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3),
    "last_error" TEXT,
    "last_handle" TEXT,
    "published_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_item_pkey" PRIMARY KEY ("shop", "channel", "market", "item_key"),
    CONSTRAINT "channel_item_state_check" CHECK ("state" IN ('pending', 'live', 'rejected', 'dead'))
);
-- The publish job's scan: a catalog's rows that are due.
CREATE INDEX "channel_item_due_idx" ON "channel_item"("shop", "channel", "market", "item_key")
    WHERE "desired_hash" IS DISTINCT FROM "sent_hash" AND "state" <> 'dead';
CREATE INDEX "channel_item_product_idx" ON "channel_item"("shop", "product_id");
CREATE INDEX "channel_item_state_idx" ON "channel_item"("shop", "channel", "state");

-- One publish job's run over one catalog (shop, channel, market): progress for screens, history for
-- the activity log. status: 'running', 'succeeded', 'partial' (some items rejected, retried or
-- dead), 'failed' (the run stopped: throttled, reconnect needed, crashed).
CREATE TABLE "publish_run" (
    "id" UUID NOT NULL,
    "shop" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "market" TEXT COLLATE "C" NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT COLLATE "C" NOT NULL DEFAULT 'running',
    "items_due" INTEGER NOT NULL DEFAULT 0,
    "items_done" INTEGER NOT NULL DEFAULT 0,
    "items_live" INTEGER NOT NULL DEFAULT 0,
    "items_deleted" INTEGER NOT NULL DEFAULT 0,
    "items_rejected" INTEGER NOT NULL DEFAULT 0,
    "items_retry" INTEGER NOT NULL DEFAULT 0,
    "items_dead" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    CONSTRAINT "publish_run_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "publish_run_shop_idx" ON "publish_run"("shop", "started_at" DESC);

-- Problems the channel itself reported (batch status, read-back, TikTok audit), per record and code.
-- A verdict the channel stops reporting gets `resolved_at` and stays as history.
CREATE TABLE "channel_verdict" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "market" TEXT COLLATE "C" NOT NULL,
    "item_key" TEXT COLLATE "C" NOT NULL,
    "code" TEXT COLLATE "C" NOT NULL,
    "item_id" TEXT COLLATE "C" NOT NULL,
    "product_id" TEXT COLLATE "C" NOT NULL,
    "variant_id" TEXT COLLATE "C",
    "severity" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "value" TEXT,
    "message" TEXT NOT NULL,
    "fix" TEXT NOT NULL,
    "fix_target" JSONB NOT NULL,
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,
    "resolved_at" TIMESTAMP(3),
    CONSTRAINT "channel_verdict_pkey" PRIMARY KEY ("shop", "channel", "market", "item_key", "item_id", "code")
);
CREATE INDEX "channel_verdict_open_idx" ON "channel_verdict"("shop", "channel", "last_seen_at" DESC) WHERE "resolved_at" IS NULL;
CREATE INDEX "channel_verdict_product_idx" ON "channel_verdict"("shop", "product_id");

-- TikTok wants its own image URIs: each source image is uploaded once per shop and reused.
CREATE TABLE "tiktok_image" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "source_url" TEXT COLLATE "C" NOT NULL,
    "uri" TEXT NOT NULL,
    "url" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tiktok_image_pkey" PRIMARY KEY ("shop", "source_url")
);
