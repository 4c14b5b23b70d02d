-- Feed issues (issue 8): one list of every problem across channels, Shelfcast's own checks and the
-- channels' reports alike, with a resolved history and a per-product event log.
-- See app/.server/repositories/feed-issues.ts.

-- Substring search over titles, SKUs and ids. PGlite loads pg_trgm (app/.server/db/connection.ts);
-- on PostgreSQL it is a trusted contrib extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per problem of one item on one channel and market, by who found it: 'shelfcast' (a feed
-- build's checks, reconciled when the build is published) or the channel itself ('meta', 'tiktok':
-- batch results, read-back, audits). A problem no longer found gets `resolved_at` and stays as
-- history; one found again opens again with a new `first_seen_at`.
-- item_key: the channel record key (TikTok: the product; Meta: the item); = item_id for Shelfcast's.
-- product_title … collection_ids: copied from the snapshot when the problem is recorded, so every
-- filter and the search read this one table.
-- first_seen_at: when it opened (again). last_seen_at: the last report that wrote the row; a build
-- that finds a Shelfcast issue unchanged does not rewrite it (the readers in feed-issues.ts report
-- such an open issue as last seen by its feed's current build).
-- id: a stable handle for screens and a tie-break for the list order (the key is six columns).
-- fillfactor: room in each page lets a changed issue be rewritten in place (HOT) without touching
-- the indexes.
CREATE TABLE "feed_issue" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT COLLATE "C" NOT NULL,
    "channel" TEXT COLLATE "C" NOT NULL,
    "market" TEXT COLLATE "C" NOT NULL,
    "source" TEXT COLLATE "C" NOT NULL,
    "item_id" TEXT COLLATE "C" NOT NULL,
    "code" TEXT COLLATE "C" NOT NULL,
    "item_key" TEXT COLLATE "C" NOT NULL,
    "product_id" TEXT COLLATE "C" NOT NULL,
    "variant_id" TEXT COLLATE "C",
    "severity" TEXT COLLATE "C" NOT NULL,
    "field" TEXT NOT NULL,
    "value" TEXT,
    "message" TEXT NOT NULL,
    "fix" TEXT NOT NULL,
    "fix_target" JSONB NOT NULL,
    "product_title" TEXT NOT NULL DEFAULT '',
    "sku" TEXT,
    "vendor" TEXT COLLATE "C",
    "product_type" TEXT COLLATE "C",
    "collection_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,
    "resolved_at" TIMESTAMP(3),
    CONSTRAINT "feed_issue_pkey" PRIMARY KEY ("shop", "channel", "market", "source", "item_id", "code"),
    CONSTRAINT "feed_issue_id_key" UNIQUE ("id"),
    CONSTRAINT "feed_issue_source_check" CHECK ("source" IN ('shelfcast', 'meta', 'tiktok')),
    CONSTRAINT "feed_issue_severity_check" CHECK ("severity" IN ('error', 'warning'))
) WITH (fillfactor = 90);

-- The open list, newest first; each filter with its own leading column keeps a filtered page an
-- index walk instead of a sort of every match. The list-order index carries the columns of the
-- other filters, so a page is found from the index alone (then 50 rows are read by id).
CREATE INDEX "feed_issue_open_idx" ON "feed_issue"("shop", "first_seen_at" DESC, "id" DESC) INCLUDE ("channel", "source", "severity", "collection_ids")
    WHERE "resolved_at" IS NULL;
CREATE INDEX "feed_issue_open_code_idx" ON "feed_issue"("shop", "code", "first_seen_at" DESC, "id" DESC) WHERE "resolved_at" IS NULL;
-- Also the grouped view's groups (channel, source, code), read in order from the index alone.
CREATE INDEX "feed_issue_open_group_idx" ON "feed_issue"("shop", "channel", "source", "code", "severity") WHERE "resolved_at" IS NULL;
CREATE INDEX "feed_issue_open_source_idx" ON "feed_issue"("shop", "source", "first_seen_at" DESC, "id" DESC) WHERE "resolved_at" IS NULL;
CREATE INDEX "feed_issue_open_vendor_idx" ON "feed_issue"("shop", "vendor", "first_seen_at" DESC, "id" DESC) WHERE "resolved_at" IS NULL;
CREATE INDEX "feed_issue_open_type_idx" ON "feed_issue"("shop", "product_type", "first_seen_at" DESC, "id" DESC) WHERE "resolved_at" IS NULL;
CREATE INDEX "feed_issue_open_collection_idx" ON "feed_issue" USING GIN ("collection_ids") WHERE "resolved_at" IS NULL;
-- The search expression must match SEARCH_TEXT in app/.server/repositories/feed-issues.ts exactly.
-- COLLATE "default": under "C" (the id columns) lower() would fold ASCII letters only.
-- Title, SKU, item id and the variant's numeric id (the GID's constant prefix would only add trigrams).
CREATE INDEX "feed_issue_search_idx" ON "feed_issue" USING GIN ((lower(("product_title" || ' ' || coalesce("sku", '') || ' ' || "item_id" || ' ' || coalesce(substring("variant_id" from '[0-9]+$'), '')) COLLATE "default")) gin_trgm_ops);
-- The resolved history, newest first.
CREATE INDEX "feed_issue_resolved_idx" ON "feed_issue"("shop", "resolved_at" DESC, "id" DESC) WHERE "resolved_at" IS NOT NULL;
CREATE INDEX "feed_issue_product_idx" ON "feed_issue"("shop", "product_id");
-- A channel's answer about some records resolves what it no longer reports for those records.
CREATE INDEX "feed_issue_record_idx" ON "feed_issue"("shop", "channel", "market", "item_key") WHERE "source" <> 'shelfcast';

-- What happened to a product, for its timeline (and shop-wide events with product_id NULL, such as
-- a rule change). Feed issues write 'issue.opened' and 'issue.resolved'; other kinds come from
-- other parts of Shelfcast. `details` holds the kind's own fields.
CREATE TABLE "product_event" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT COLLATE "C" NOT NULL,
    "product_id" TEXT COLLATE "C",
    "variant_id" TEXT COLLATE "C",
    "channel" TEXT COLLATE "C",
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT COLLATE "C" NOT NULL,
    "summary" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "product_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "product_event_product_idx" ON "product_event"("shop", "product_id", "at" DESC);
CREATE INDEX "product_event_shop_idx" ON "product_event"("shop", "at" DESC);

-- Channel verdicts (migration 0006) become feed issues with the channel as their source. A record
-- key that reported the same item and code twice keeps its newest open row.
INSERT INTO "feed_issue" ("shop", "channel", "market", "source", "item_id", "code", "item_key", "product_id", "variant_id", "severity", "field",
    "value", "message", "fix", "fix_target", "product_title", "sku", "vendor", "product_type", "collection_ids", "first_seen_at", "last_seen_at",
    "resolved_at")
SELECT cv."shop", cv."channel", cv."market", CASE WHEN cv."channel" = 'tiktok' THEN 'tiktok' ELSE 'meta' END, cv."item_id", cv."code", cv."item_key",
    cv."product_id", cv."variant_id", CASE WHEN cv."severity" = 'error' THEN 'error' ELSE 'warning' END, cv."field", cv."value", cv."message", cv."fix",
    cv."fix_target", coalesce(p."title", ''), v."sku", p."vendor", p."product_type", coalesce(p."collection_ids", ARRAY[]::TEXT[]), cv."first_seen_at",
    cv."last_seen_at", cv."resolved_at"
FROM "channel_verdict" cv
LEFT JOIN "product" p ON p."shop" = cv."shop" AND p."id" = cv."product_id"
LEFT JOIN "variant" v ON v."shop" = cv."shop" AND v."id" = cv."variant_id"
ORDER BY cv."resolved_at" DESC NULLS FIRST, cv."last_seen_at" DESC
ON CONFLICT DO NOTHING;

DROP TABLE "channel_verdict";
