/**
 * Stock rules, campaign reservations and pre-orders (issue 6, ADR 0014): what each variant is offered
 * as on each channel. Pure: the caller passes rules, campaigns, stock and `now`.
 */
export * from "./schema";
export { hasTag, matchingRules, resolveRules, scopeCovers, type ChannelSettings, type EffectiveRules, type RuleMatch, type Sourced } from "./scope";
export { findPreorder, findRestockDate, type InventoryReserve, type PreorderFacts } from "./preorder";
export { activeHolds, campaignHoldOn, findOverReservations, holdsOn, isActiveAt, type CampaignHold, type OverReservation } from "./campaigns";
export { splitByWeight, type Claimant } from "./allocation";
export {
  channelsInPlayFor,
  evaluate,
  evaluateChannels,
  messageFor,
  inventoryOf,
  overReservationsFor,
  type ChannelAllocation,
  type EvaluateOptions,
  type HoldOutcome,
  type InventoryLevelSnapshot,
  type InventorySnapshot,
  type Offer,
  type OfferMode,
  type VariantRef,
} from "./evaluate";
export { createOfferResolver, type OfferResolverInput } from "./resolver";
export { checkLowStock, checkPromotion, LOW_STOCK, promotionReasons, PROMOTED_WITHOUT_RESERVATION, type LowStockInput, type PromotionInput, type PromotionVerdict } from "./promotion";
export { formatDay, normalizeDate, parseInstant } from "./time";
