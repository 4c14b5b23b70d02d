import { createHash } from "node:crypto";
import { z } from "zod";
import { OFFER_MESSAGE_METAFIELD, offerMessageValue, storefrontOffer } from "~/domain/storefront/offer-message";
import { QUEUES } from "../../jobs/names";
import { logger } from "../../logger";
import { snapshotProductPages } from "../../repositories/catalog";
import { getShop } from "../../repositories/shops";
import { deleteOfferMessageHashesExcept, listOfferMessageHashes, saveOfferMessageHashes } from "../../repositories/storefront-offer-messages";
import type { Runtime } from "../../runtime";
import type { AdminApi } from "../../shopify/graphql-client";
import { describeMetafieldsSetErrors, METAFIELDS_SET_LIMIT, setMetafields, type MetafieldsSetInput } from "../../shopify/operations/metafields-set";
import { loadChannelSetup } from "../channel-feeds/channel-setup";
import { loadOfferSetup } from "./offer-setup";

/**
 * Storefront honesty (issue 6): the theme app block (extensions/shelfcast-offer-block) shows each
 * variant's offer message ("Pre-order: ships by 12 Jan 2027", "Only 3 left") from the variant
 * metafield `shelfcast.offer_message`, which this job writes with the same stock rules as the
 * feeds. It runs after every feed build ("storefront-offer-messages", stately per shop), evaluates
 * every variant of the active products in the shop's primary market, and writes only the variants
 * whose message changed since the last write (a hash per variant, migration 0008), 25 per
 * metafieldsSet call. The demo shop has no Shopify behind it, so nothing is written there.
 */

export const WriteOfferMessagesJobSchema = z.object({ shop: z.string().min(1), reason: z.string().max(200).optional() });
export type WriteOfferMessagesJob = z.infer<typeof WriteOfferMessagesJobSchema>;

export interface OfferMessagesOutcome {
  state: "written" | "unchanged" | "partial" | "not-sent";
  /** One line for support. */
  message: string;
  variants: number;
  written: number;
  refused: number;
  calls: number;
  at: string;
}

export interface WriteOfferMessagesDeps {
  adminApi: (shop: string) => Promise<AdminApi>;
  now: () => Date;
}

/** The scope writing variant metafields needs. */
export const OFFER_MESSAGES_SCOPE = "write_products";
const PAGE_SIZE = 250;

function hashOf(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

interface PendingWrite {
  variantId: string;
  productId: string;
  value: string;
  hash: string;
}

export async function writeStorefrontOfferMessages(runtime: Runtime, job: WriteOfferMessagesJob, deps: WriteOfferMessagesDeps): Promise<OfferMessagesOutcome> {
  const { shop } = job;
  const now = deps.now();
  const outcome = (state: OfferMessagesOutcome["state"], message: string, counts: Partial<Pick<OfferMessagesOutcome, "variants" | "written" | "refused" | "calls">> = {}): OfferMessagesOutcome => ({
    state,
    message,
    variants: counts.variants ?? 0,
    written: counts.written ?? 0,
    refused: counts.refused ?? 0,
    calls: counts.calls ?? 0,
    at: now.toISOString(),
  });
  const row = await getShop(runtime.db.prisma, shop);
  if (!row) return outcome("not-sent", "not sent: unknown shop");
  if (row.isDemo || runtime.env.SHELFCAST_DEMO) return outcome("not-sent", "not sent: demo shop (there is no Shopify storefront to write the offer messages to)");
  if (!row.active) return outcome("not-sent", "not sent: the app is uninstalled from this shop");
  if (!row.scopes.split(",").map((scope) => scope.trim()).includes(OFFER_MESSAGES_SCOPE)) {
    return outcome("not-sent", `not sent: writing variant metafields needs the ${OFFER_MESSAGES_SCOPE} scope, which this shop has not granted`);
  }

  const [setup, offers, stored] = await Promise.all([loadChannelSetup(runtime, shop), loadOfferSetup(runtime, shop, now), listOfferMessageHashes(runtime.db.sql, shop)]);
  const market = setup.markets[0]?.code ?? "US";
  const seen: string[] = [];
  const pending: PendingWrite[] = [];
  for await (const products of snapshotProductPages(runtime.db.sql, shop, PAGE_SIZE)) {
    for (const product of products) {
      for (const variant of product.variants) {
        seen.push(variant.id);
        // A product the storefront does not show keeps whatever it had; it is written when it is active again.
        if (product.status !== "ACTIVE") continue;
        const value = offerMessageValue(storefrontOffer({ rules: offers.rules, campaigns: offers.campaigns, product, variant, market, now }));
        const hash = hashOf(value);
        if (stored.get(variant.id) !== hash) pending.push({ variantId: variant.id, productId: product.id, value, hash });
      }
    }
  }
  await deleteOfferMessageHashesExcept(runtime.db.sql, shop, seen);
  if (pending.length === 0) return outcome("unchanged", "every variant's storefront message is already up to date", { variants: seen.length });

  const api = await deps.adminApi(shop);
  let written = 0;
  let refused = 0;
  let calls = 0;
  const reasons = new Set<string>();
  for (let start = 0; start < pending.length; start += METAFIELDS_SET_LIMIT) {
    let batch = pending.slice(start, start + METAFIELDS_SET_LIMIT);
    // A call is atomic: one refused metafield stops the rest. Drop the refused ones and send the rest once more.
    for (let attempt = 0; attempt < 2 && batch.length > 0; attempt += 1) {
      calls += 1;
      const result = await setMetafields(api, batch.map(inputOf));
      if (result.userErrors.length === 0) {
        await saveOfferMessageHashes(runtime.db.sql, shop, batch, now);
        written += batch.length;
        batch = [];
        break;
      }
      reasons.add(describeMetafieldsSetErrors(result.userErrors));
      const bad = new Set(result.userErrors.flatMap((error) => (error.elementIndex === null || error.elementIndex === undefined ? [] : [error.elementIndex])));
      if (bad.size === 0 || attempt === 1) {
        refused += batch.length;
        batch = [];
        break;
      }
      refused += bad.size;
      batch = batch.filter((_, index) => !bad.has(index));
    }
  }
  if (refused > 0) logger.warn({ shop, refused, reasons: [...reasons].slice(0, 5) }, "storefront offer messages refused");
  const counts = { variants: seen.length, written, refused, calls };
  if (refused === 0) return outcome("written", `${written} storefront ${written === 1 ? "message" : "messages"} written`, counts);
  return outcome("partial", `${written} written, ${refused} refused by Shopify: ${[...reasons].slice(0, 3).join("; ")}`, counts);
}

function inputOf(write: PendingWrite): MetafieldsSetInput {
  return { ownerId: write.variantId, namespace: OFFER_MESSAGE_METAFIELD.namespace, key: OFFER_MESSAGE_METAFIELD.key, type: OFFER_MESSAGE_METAFIELD.type, value: write.value };
}

/** Asks for the storefront messages to be brought up to date; waiting requests for the shop coalesce. */
export async function requestStorefrontOfferMessages(runtime: Runtime, shop: string, reason: string): Promise<void> {
  await runtime.boss.send(QUEUES.storefrontOfferMessages, { shop, reason: reason.slice(0, 200) }, { singletonKey: shop });
}
