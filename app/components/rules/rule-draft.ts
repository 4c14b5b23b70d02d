import { CHANNEL_IDS, type ChannelId } from "~/domain/channels/types";
import { errorsUnder, type PathError } from "../channels/mapping-draft";

/**
 * One stock rule as the Rules form edits it: every value as the text in its box, so a half-typed
 * number stays on screen. `ruleDocumentFrom` writes it back as the merchant would write the JSON;
 * the server's validation (parseRules) then reports anything wrong by path, which `errorFor` places
 * next to the box it came from. Nothing here decides what a rule means: the domain does.
 */

export type ScopeKind = "shop" | "collection" | "productType" | "tag" | "product" | "variant";

export const SCOPE_OPTIONS: { label: string; value: ScopeKind }[] = [
  { label: "Whole shop", value: "shop" },
  { label: "Collection", value: "collection" },
  { label: "Product type", value: "productType" },
  { label: "Tag", value: "tag" },
  { label: "Product", value: "product" },
  { label: "Variant", value: "variant" },
];

export interface ChannelOverrideDraft {
  cap: string;
  floor: string;
  weight: string;
}

export interface RuleDraft {
  id: string;
  description: string;
  scopeKind: ScopeKind;
  /** Collection id, product type, tag, product or variant id (GID or number), as written. */
  scopeValue: string;
  /** "US, CA"; empty = every market. */
  markets: string;
  reserveUnits: string;
  reservePercent: string;
  floor: string;
  cap: string;
  channels: Record<ChannelId, ChannelOverrideDraft>;
  continueSellingCap: string;
  restockDate: string;
  preorderCap: string;
  releaseDate: string;
}

function emptyChannels(): Record<ChannelId, ChannelOverrideDraft> {
  return Object.fromEntries(CHANNEL_IDS.map((channel) => [channel, { cap: "", floor: "", weight: "" }])) as Record<ChannelId, ChannelOverrideDraft>;
}

/** A new rule with an id no other rule has ("rule-3"). */
export function newRuleDraft(existingIds: readonly string[]): RuleDraft {
  let n = existingIds.length + 1;
  while (existingIds.includes(`rule-${n}`)) n += 1;
  return {
    id: `rule-${n}`,
    description: "",
    scopeKind: "shop",
    scopeValue: "",
    markets: "",
    reserveUnits: "",
    reservePercent: "",
    floor: "",
    cap: "",
    channels: emptyChannels(),
    continueSellingCap: "",
    restockDate: "",
    preorderCap: "",
    releaseDate: "",
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return value === undefined || value === null ? "" : typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

const SCOPE_KEYS: Exclude<ScopeKind, "shop">[] = ["collection", "productType", "tag", "product", "variant"];

/** The form's view of one rule of a stored (valid) document. */
export function ruleDraftFrom(raw: unknown): RuleDraft {
  const rule = record(raw);
  const draft = newRuleDraft([]);
  draft.id = text(rule.id);
  draft.description = text(rule.description);
  const scope = rule.scope;
  if (scope !== "shop") {
    const scoped = record(scope);
    const kind = SCOPE_KEYS.find((key) => scoped[key] !== undefined);
    if (kind) {
      draft.scopeKind = kind;
      draft.scopeValue = text(scoped[kind]);
    }
  }
  draft.markets = Array.isArray(rule.markets) ? rule.markets.map(text).join(", ") : "";
  const reserve = record(rule.reserve);
  draft.reserveUnits = text(reserve.units);
  draft.reservePercent = text(reserve.percent);
  draft.floor = text(rule.floor);
  draft.cap = text(rule.cap);
  const channels = record(rule.channels);
  for (const channel of CHANNEL_IDS) {
    const override = record(channels[channel]);
    draft.channels[channel] = { cap: text(override.cap), floor: text(override.floor), weight: text(override.weight) };
  }
  const continueSelling = record(rule.continueSelling);
  draft.continueSellingCap = text(continueSelling.cap);
  draft.restockDate = text(continueSelling.restockDate);
  const preorder = record(rule.preorder);
  draft.preorderCap = text(preorder.cap);
  draft.releaseDate = text(preorder.releaseDate);
  return draft;
}

/** A number when the box holds one; otherwise the text as typed, for the server to name what is wrong. */
function numberOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function optionalText(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Drops keys whose value is undefined; null when nothing is left, so empty groups are not written. */
function compact(object: Record<string, unknown>): Record<string, unknown> | null {
  const kept = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  return Object.keys(kept).length > 0 ? kept : null;
}

/** The rule as the merchant would write it in the rules file. */
export function ruleDocumentFrom(draft: RuleDraft): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  for (const channel of CHANNEL_IDS) {
    const override = draft.channels[channel];
    const written = compact({ cap: numberOrText(override.cap), floor: numberOrText(override.floor), weight: numberOrText(override.weight) });
    if (written) channels[channel] = written;
  }
  const markets = draft.markets
    .split(/[\s,]+/)
    .map((market) => market.trim().toUpperCase())
    .filter((market) => market !== "");
  const restock = optionalText(draft.restockDate);
  const continueCap = numberOrText(draft.continueSellingCap);
  return (
    compact({
      id: draft.id.trim(),
      description: optionalText(draft.description),
      scope: draft.scopeKind === "shop" ? "shop" : { [draft.scopeKind]: draft.scopeValue.trim() },
      markets: markets.length > 0 ? markets : undefined,
      reserve: compact({ units: numberOrText(draft.reserveUnits), percent: numberOrText(draft.reservePercent) }) ?? undefined,
      floor: numberOrText(draft.floor),
      cap: numberOrText(draft.cap),
      channels: Object.keys(channels).length > 0 ? channels : undefined,
      // A restock date without a cap is still written, so the server says the cap is required.
      continueSelling: continueCap !== undefined || restock !== undefined ? compact({ cap: continueCap, restockDate: restock }) ?? undefined : undefined,
      preorder: compact({ cap: numberOrText(draft.preorderCap), releaseDate: optionalText(draft.releaseDate) }) ?? undefined,
    }) ?? {}
  );
}

/**
 * The message for one box: errors at `key` itself or below it ("scope" takes "scope.product",
 * "markets" takes "markets[1]", with the rest of the path kept). `errors` are relative to the rule
 * (errorsUnder(errors, "rules[2]")), or to the file for the settings.
 */
export function errorFor(errors: readonly PathError[], key: string): string | undefined {
  return errorsUnder(errors, key).map((error) => (error.path ? `${error.path}: ${error.message}` : error.message)).join("; ") || undefined;
}

/** The message for a group ("reserve": give units, percent or both): errors at exactly `key`. */
export function errorAt(errors: readonly PathError[], key: string): string | undefined {
  return errors.filter((error) => error.path === key).map((error) => error.message).join("; ") || undefined;
}

/** The rule form's boxes, by path: an error at any other path is shown above the form. */
export const RULE_FIELD_PATHS = [
  "id",
  "description",
  "scope",
  "markets",
  "reserve",
  "floor",
  "cap",
  ...CHANNEL_IDS.map((channel) => `channels.${channel}`),
  "continueSelling",
  "preorder",
] as const;

export function isPlacedInRuleForm(path: string): boolean {
  // "channels" itself is shown above the channel rows; a key under it names a channel the rows show.
  return path === "channels" || RULE_FIELD_PATHS.some((key) => path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`));
}

/** The settings card's boxes, by path from the root of the file. */
export const SETTINGS_FIELD_PATHS = ["channels", "lowStockAt", "preorder.meta"] as const;

export function isPlacedInSettings(path: string): boolean {
  return SETTINGS_FIELD_PATHS.some((key) => path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`));
}

export interface SettingsDraft {
  /** The channels that share the stock; none ticked = every channel. */
  channels: ChannelId[];
  lowStockAt: string;
  /** How Meta shows a pre-order: "preorder" or "available for order"; "" = the default. */
  metaPreorder: string;
}

export function settingsDraftFrom(document: unknown): SettingsDraft {
  const root = record(document);
  const channels = Array.isArray(root.channels) ? root.channels.filter((channel): channel is ChannelId => (CHANNEL_IDS as readonly unknown[]).includes(channel)) : [];
  return { channels, lowStockAt: text(root.lowStockAt), metaPreorder: text(record(root.preorder).meta) };
}

/** The document with the settings card's values; everything else in it (rules, markets, metafield keys) as it was. */
export function withSettings(document: unknown, settings: SettingsDraft): Record<string, unknown> {
  const root = { ...record(document) };
  if (settings.channels.length > 0) root.channels = CHANNEL_IDS.filter((channel) => settings.channels.includes(channel));
  else delete root.channels;
  const lowStockAt = numberOrText(settings.lowStockAt);
  if (lowStockAt === undefined) delete root.lowStockAt;
  else root.lowStockAt = lowStockAt;
  const preorder = { ...record(root.preorder) };
  if (settings.metaPreorder) preorder.meta = settings.metaPreorder;
  else delete preorder.meta;
  if (Object.keys(preorder).length > 0) root.preorder = preorder;
  else delete root.preorder;
  return root;
}

/** The document's rules as written (an empty list when it has none). */
export function rulesOfDocument(document: unknown): unknown[] {
  const rules = record(document).rules;
  return Array.isArray(rules) ? rules : [];
}

/** The document with its rules replaced. */
export function withRules(document: unknown, rules: readonly unknown[]): Record<string, unknown> {
  return { ...record(document), rules: [...rules] };
}
