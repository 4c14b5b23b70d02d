/**
 * What every consumer of offers (feeds, API pushes, the product page, the mapping preview, the CLI)
 * plugs into the channel pipeline, built in one place so they all give the same answer (ADR 0014):
 *
 * - the offer resolver: the stock rules' evaluation (createOfferResolver) once a shop has rules or
 *   campaigns; without either, Shopify's stock as it is (offerFromStock), so a shop that never wrote
 *   a rule sends exactly what it sent before the rules existed;
 * - the promotion check: always on, with the empty rules document's promotion tags when no rules
 *   are stored: a product tagged for a post or campaign must have a hold, a buffer or a dated
 *   pre-order on that channel, or it is blocked (`rules.promoted_without_reservation`).
 */
import { offerFromStock } from "../channels/offer";
import type { OfferResolver, PromotionCheck } from "../channels/types";
import { checkPromotion } from "./promotion";
import { createOfferResolver } from "./resolver";
import { parseRules, RULES_FILE_VERSION, type Campaign, type Rules } from "./schema";

/** The rules document of a shop that has written none: no rule, every setting at its default. */
export const EMPTY_RULES_DOCUMENT = { version: RULES_FILE_VERSION } as const;

/** The empty document, parsed: the defaults (low-stock threshold, promotion tags, metafield keys). */
export function defaultRules(): Rules {
  const parsed = parseRules(EMPTY_RULES_DOCUMENT);
  if (!parsed.ok) throw new Error(`the empty rules document is invalid: ${parsed.errors.map((error) => error.text).join("; ")}`);
  return parsed.value;
}

export interface OfferPolicyInput {
  /** The shop's rules; null when it has none. */
  rules: Rules | null;
  campaigns?: readonly Campaign[];
  now: Date;
}

export interface OfferPolicy {
  /** The rules in force: the shop's, or the defaults. */
  rules: Rules;
  campaigns: readonly Campaign[];
  now: Date;
  /** "rules": the stock rules decide every offer; "stock": no rules and no campaigns, Shopify's stock as is. */
  source: "rules" | "stock";
  resolver: OfferResolver;
  promotion: PromotionCheck;
}

export function createOfferPolicy(input: OfferPolicyInput): OfferPolicy {
  const campaigns = input.campaigns ?? [];
  const rules = input.rules ?? defaultRules();
  const source = input.rules !== null || campaigns.length > 0 ? "rules" : "stock";
  // The channels in play are the rules' own (else every channel), never the channels of one run: a
  // feed built alone must not be handed the stock the other channels share.
  const resolver = source === "rules" ? createOfferResolver({ rules, campaigns, now: input.now }) : offerFromStock;
  return { rules, campaigns, now: input.now, source, resolver, promotion: createPromotionCheck({ rules, campaigns, now: input.now }) };
}

/** The pipeline's promotion hook: checkPromotion's diagnostics for each item, in the item's own id. */
export function createPromotionCheck(input: { rules: Rules; campaigns: readonly Campaign[]; now: Date }): PromotionCheck {
  const { rules, campaigns, now } = input;
  return ({ product, variant, channel, market, offer, itemId }) => checkPromotion({ rules, campaigns, product, variant, channel, market: market.code, now, offer, itemId }).diagnostics;
}
