-- Server-side forwarding (issue 7): each shop's connections to Meta's Conversions API and TikTok's
-- Events API, and what became of each collected event that was due to be forwarded.

-- One connection per shop and platform. The access token is stored only encrypted
-- (app/.server/security/secrets.ts, `v1:<keyId>:<iv>:<tag>:<data>`); `token_hint` keeps its last four
-- characters so the settings page can tell tokens apart without ever showing one.
-- `status` is 'connected' or 'reconnect' (the platform refused the token: the merchant must paste a
-- new one); `last_*` describe the newest forwarding attempt for the settings page.
CREATE TABLE "pixel_destination" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "platform" TEXT COLLATE "C" NOT NULL,
    "pixel_id" TEXT COLLATE "C" NOT NULL,
    "token_ciphertext" TEXT NOT NULL,
    "token_hint" TEXT NOT NULL,
    "test_event_code" TEXT,
    "status" TEXT COLLATE "C" NOT NULL DEFAULT 'connected',
    "last_forwarded_at" TIMESTAMP(3),
    "last_error" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pixel_destination_pkey" PRIMARY KEY ("shop", "platform"),
    CONSTRAINT "pixel_destination_platform_check" CHECK ("platform" IN ('meta', 'tiktok'))
);

-- Per event: when it reached the platform, or why not. `forward_status` is null until the forwarding
-- job looked at the event, then 'sent', 'failed' (permanent refusal) or 'no_destination'.
ALTER TABLE "pixel_event" ADD COLUMN "forwarded_at" TIMESTAMP(3);
ALTER TABLE "pixel_event" ADD COLUMN "forward_status" TEXT COLLATE "C";
ALTER TABLE "pixel_event" ADD COLUMN "forward_error" TEXT;
-- The forwarding job's scan: a shop's events still waiting for forwarding.
CREATE INDEX "pixel_event_pending_forward_idx" ON "pixel_event"("shop", "id") WHERE "forward_status" IS NULL AND "forwarding" IN ('forward', 'forward_limited');
