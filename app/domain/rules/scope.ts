/**
 * Which stock rules apply to a variant, and what each setting comes to.
 *
 * Precedence (ADR 0014): settings are resolved one by one (reserve, floor, cap, weight, continue
 * selling, pre-order cap, pre-order release date). For each, the most specific rule that sets it wins:
 *
 *   variant  >  product  >  tag  >  product type  >  collection  >  shop
 *
 * Within one level (two tags, two collections) the rule written later in the file wins, so an
 * override is appended, as in CSS. A rule's per-channel value (`channels.tiktok.cap`) beats the same
 * rule's general value (`cap`) for that channel, but not a more specific rule's general value: a
 * product's cap of 3 beats the shop's TikTok cap of 10. A rule with `markets` applies only there.
 */
import type { Product, Variant } from "../catalog/types";
import { CHANNEL_IDS, type ChannelId } from "../channels/types";
import { SCOPE_LEVELS, type ContinueSelling, type Reserve, type Rules, type Scope, type ScopeLevel, type StockRule } from "./schema";

/** A setting with the rule it came from, for the reasons. */
export interface Sourced<T> {
  value: T;
  ruleId: string;
}

export interface RuleMatch {
  rule: StockRule;
  /** Position in the file. */
  index: number;
  level: ScopeLevel;
}

export interface ChannelSettings {
  cap: Sourced<number> | null;
  floor: Sourced<number> | null;
  /** 1 when no rule sets it. */
  weight: Sourced<number> | null;
}

/** Every setting that applies to one variant in one market, each from the rule that won it. */
export interface EffectiveRules {
  /** The rules that apply, most specific first. */
  matches: RuleMatch[];
  reserve: Sourced<Reserve> | null;
  continueSelling: Sourced<ContinueSelling> | null;
  preorderCap: Sourced<number> | null;
  preorderReleaseDate: Sourced<string> | null;
  channels: Record<ChannelId, ChannelSettings>;
}

const LEVEL_RANK: Record<ScopeLevel, number> = Object.fromEntries(SCOPE_LEVELS.map((level, rank) => [level, rank])) as Record<ScopeLevel, number>;

const lowerTags = new WeakMap<Product, Set<string>>();

function tagSet(product: Product): Set<string> {
  let tags = lowerTags.get(product);
  if (!tags) {
    tags = new Set(product.tags.map((tag) => tag.trim().toLowerCase()));
    lowerTags.set(product, tags);
  }
  return tags;
}

/** Whether the product has the tag; Shopify tags are case-insensitive. */
export function hasTag(product: Product, tag: string): boolean {
  return tagSet(product).has(tag.trim().toLowerCase());
}

export function scopeCovers(scope: Scope, product: Product, variant: Variant): boolean {
  switch (scope.level) {
    case "shop":
      return true;
    case "collection":
      return product.collectionIds.includes(scope.id);
    case "productType":
      return product.productType.trim().toLowerCase() === scope.name.toLowerCase();
    case "tag":
      return hasTag(product, scope.tag);
    case "product":
      return product.id === scope.id;
    case "variant":
      return variant.id === scope.id;
  }
}

/** The rules covering the variant in the market, most specific first (later in the file first within a level). */
export function matchingRules(rules: Rules, product: Product, variant: Variant, market: string): RuleMatch[] {
  const matches: RuleMatch[] = [];
  rules.rules.forEach((rule, index) => {
    if (rule.markets && !rule.markets.includes(market)) return;
    if (scopeCovers(rule.scope, product, variant)) matches.push({ rule, index, level: rule.scope.level });
  });
  return matches.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || b.index - a.index);
}

function first<T>(matches: readonly RuleMatch[], pick: (rule: StockRule) => T | undefined): Sourced<T> | null {
  for (const { rule } of matches) {
    const value = pick(rule);
    if (value !== undefined) return { value, ruleId: rule.id };
  }
  return null;
}

/** Resolves every setting for the variant in the market (see the precedence above). */
export function resolveRules(rules: Rules, product: Product, variant: Variant, market: string): EffectiveRules {
  const matches = matchingRules(rules, product, variant, market);
  const channels = {} as Record<ChannelId, ChannelSettings>;
  for (const channel of CHANNEL_IDS) {
    channels[channel] = {
      cap: first(matches, (rule) => rule.channels?.[channel]?.cap ?? rule.cap),
      floor: first(matches, (rule) => rule.channels?.[channel]?.floor ?? rule.floor),
      weight: first(matches, (rule) => rule.channels?.[channel]?.weight),
    };
  }
  return {
    matches,
    reserve: first(matches, (rule) => rule.reserve),
    continueSelling: first(matches, (rule) => rule.continueSelling),
    preorderCap: first(matches, (rule) => rule.preorder?.cap),
    preorderReleaseDate: first(matches, (rule) => rule.preorder?.releaseDate),
    channels,
  };
}
