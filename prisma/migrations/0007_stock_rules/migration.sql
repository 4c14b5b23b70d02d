-- Stock rules (issue 6): one document per shop, the rules file as the merchant writes it (the same
-- JSON `shelfcast offers --rules` and `shelfcast feed --rules` read), validated with RulesSchema
-- before every save. See docs/decisions/0014-stock-rules-and-offers.md.
-- `revision` counts saves: a save names the revision it was edited from, so the second of two
-- concurrent editors is told instead of silently overwriting the first. No row: no rules (channels
-- are offered Shopify's available stock, as before the rules existed).
CREATE TABLE "stock_rules" (
    "shop" TEXT COLLATE "C" NOT NULL,
    "document" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_rules_pkey" PRIMARY KEY ("shop")
);
