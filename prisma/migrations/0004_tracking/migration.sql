-- Pixels and consent (issue 7): each shop's tracking plan, and the events its web pixel reported to
-- Shelfcast's collector (POST /pixel/collect). See app/domain/tracking and README "Pixels and consent".

-- The tracking plan as data (zod-validated JSON, app/domain/tracking/plan-schema.ts). Absent row: the
-- default plan. `revision` makes saving optimistic: the second of two editors is refused, never merged.
CREATE TABLE "tracking_plan" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "plan" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tracking_plan_pkey" PRIMARY KEY ("shop")
);

-- The collector's log: one row per event a storefront's pixel reported, with personal data already
-- dropped. It is a debugging window, not an archive: the collector keeps the newest few thousand per
-- shop and trims the rest on insert, so the (shop, id) key doubles as the trimming index.
-- `forwarding` is the server-side decision for the event (would forward, with limited data use,
-- held for want of consent, not server-side); `event_time` is the time the event claims, which can
-- lag `received_at` (retries, a queued beacon).
CREATE TABLE "pixel_event" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event_time" TIMESTAMP(3),
    "client_id" TEXT COLLATE "C",
    "platform" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL DEFAULT 'browser',
    "event_name" TEXT COLLATE "C" NOT NULL,
    "event_id" TEXT COLLATE "C",
    "params" JSONB NOT NULL DEFAULT '{}',
    "consent" JSONB NOT NULL,
    "url" TEXT,
    "forwarding" TEXT COLLATE "C" NOT NULL,
    CONSTRAINT "pixel_event_pkey" PRIMARY KEY ("shop", "id")
);
CREATE INDEX "pixel_event_shop_received_at_idx" ON "pixel_event"("shop", "received_at");
