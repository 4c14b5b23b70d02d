-- Campaign reservations, social posts and the storefront's offer messages (issue 6).
-- See docs/decisions/0015-campaigns-and-readiness.md.

-- A campaign or a social post: the channels it runs on, its window (start included, end excluded)
-- and the units it holds. A post is a campaign with a short window that usually holds nothing: it
-- only tags products, which makes them promoted on its channels (the stock rules then require a
-- hold, a buffer or a pre-order date for them, ADR 0014).
-- `id` is a slug the merchant can also use as a `campaign:<id>` product tag.
-- `holds` is the CampaignSchema's list as written: [{"product": gid, "units": 0}, {"variant": gid,
-- "units": 10}, {"tag": "campaign:spring-drop", "units": 2}]; it is validated again on every read.
-- `markets`: empty means every market (Prisma cannot map a nullable list).
CREATE TABLE "campaign" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "id" TEXT COLLATE "C" NOT NULL,
    "kind" TEXT COLLATE "C" NOT NULL DEFAULT 'campaign',
    "name" TEXT NOT NULL,
    "channels" TEXT[] NOT NULL,
    "markets" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "holds" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "campaign_pkey" PRIMARY KEY ("shop", "id"),
    CONSTRAINT "campaign_kind_check" CHECK ("kind" IN ('post', 'campaign')),
    CONSTRAINT "campaign_window_check" CHECK ("ends_at" > "starts_at")
);
CREATE INDEX "campaign_window_idx" ON "campaign"("shop", "starts_at");

-- The offer message last written to a variant's `shelfcast.offer_message` metafield (the theme app
-- block reads it), as a hash of what was written: only variants whose message changed are written
-- again after a feed build.
CREATE TABLE "storefront_offer_message" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "variant_id" TEXT COLLATE "C" NOT NULL,
    "product_id" TEXT COLLATE "C" NOT NULL,
    "hash" TEXT COLLATE "C" NOT NULL,
    "written_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "storefront_offer_message_pkey" PRIMARY KEY ("shop", "variant_id")
);
