import { diffItems, describeRulesChange } from "~/domain/channels/mapping/diff";
import { parseMappingRules, type ChannelMappingSet, type MappingRules } from "~/domain/channels/mapping/schema";
import type { ChannelId } from "~/domain/channels/types";
import { getSnapshotProduct, pickableProducts } from "../../repositories/catalog";
import { describeMappingSave } from "~/domain/timeline/settings-events";
import { listChannelMappings, saveChannelMapping } from "../../repositories/channel-settings";
import { recordProductEvents } from "../../repositories/product-events";
import type { Runtime } from "../../runtime";
import { loadOfferSetup } from "../rules/offer-setup";
import { loadChannelSetup } from "./channel-setup";
import { evaluateForChannels, type ProductChannelView } from "./product-channels";
import { requestFeedBuild } from "./request-feed-build";

export const EMPTY_RULES: MappingRules = { version: 1 } as MappingRules;

export interface MappingEditorView {
  channel: ChannelId;
  market: string;
  rules: MappingRules;
  /** 0 when the channel has no saved rules yet. */
  revision: number;
  updatedAt: string | null;
  markets: string[];
  products: { id: string; title: string; variantCount: number }[];
}

export async function loadMappingEditor(runtime: Runtime, shop: string, channel: ChannelId, market: string, search = ""): Promise<MappingEditorView> {
  const [rows, setup, products] = await Promise.all([
    listChannelMappings(runtime.db.sql, shop),
    loadChannelSetup(runtime, shop),
    pickableProducts(runtime.db.sql, shop, search, 50),
  ]);
  const row = rows.find((r) => r.channel === channel && r.market === market);
  const parsed = row ? parseMappingRules(row.rules) : null;
  return {
    channel,
    market,
    rules: parsed?.ok ? parsed.rules : EMPTY_RULES,
    revision: row?.revision ?? 0,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    markets: ["*", ...setup.markets.map((m) => m.code)],
    products,
  };
}

export interface MappingPreview {
  ok: true;
  /** The product under the saved rules and under the draft. */
  saved: ProductChannelView;
  draft: ProductChannelView;
  /** Per item, the fields the draft changes. */
  changes: { itemId: string; fields: ReturnType<typeof diffItems> }[];
  /** The draft against the saved rules, in sentences. */
  summary: string[];
}

export type MappingPreviewResult = MappingPreview | { ok: false; errors: { path: string; message: string }[] } | { ok: false; notFound: true };

/** Evaluates a product under the saved rules and under a draft, and says what the draft changes. */
export async function previewMapping(runtime: Runtime, shop: string, channel: ChannelId, market: string, draft: unknown, productId: string): Promise<MappingPreviewResult> {
  const parsed = parseMappingRules(draft);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const now = new Date();
  const [product, setup, offers] = await Promise.all([getSnapshotProduct(runtime.db.sql, shop, productId), loadChannelSetup(runtime, shop), loadOfferSetup(runtime, shop, now)]);
  if (!product) return { ok: false, notFound: true };
  const withDraft: ChannelMappingSet = [...setup.mappings.filter((m) => !(m.channel === channel && m.market === market)), { channel, market, rules: parsed.rules }];
  const [saved] = evaluateForChannels(product, setup, setup.mappings, [channel], now, offers);
  const [drafted] = evaluateForChannels(product, setup, withDraft, [channel], now, offers);
  if (!saved || !drafted) throw new Error(`no evaluation for ${channel}`);
  const savedRules = setup.mappings.find((m) => m.channel === channel && m.market === market)?.rules ?? EMPTY_RULES;
  const changes = drafted.items.map((item, index) => {
    const before = saved.items[index];
    return { itemId: item.id, fields: before ? diffItems(before, item) : [] };
  });
  return { ok: true, saved, draft: drafted, changes: changes.filter((c) => c.fields.length > 0), summary: describeRulesChange(savedRules, parsed.rules) };
}

export type SaveMappingResult = { ok: true; message: string; revision: number } | { ok: false; message: string; errors?: { path: string; message: string }[] };

/** Saves validated rules (never a half-valid set) and schedules a feed rebuild. */
export async function saveMapping(runtime: Runtime, shop: string, channel: ChannelId, market: string, draft: unknown, expectedRevision: number): Promise<SaveMappingResult> {
  const parsed = parseMappingRules(draft);
  if (!parsed.ok) return { ok: false, message: "The rules have errors; nothing was saved.", errors: parsed.errors };
  const before = (await listChannelMappings(runtime.db.sql, shop)).find((row) => row.channel === channel && row.market === market);
  const previous = before ? parseMappingRules(before.rules) : null;
  const saved = await saveChannelMapping(runtime.db.sql, shop, { channel, market, rules: parsed.rules, expectedRevision });
  if (!saved) return { ok: false, message: "Someone else saved these rules since you opened them. Reload to see their version; nothing was saved." };
  // Shop-wide on the timeline: a mapping change can change what every product becomes on this channel.
  const sentences = describeRulesChange(previous?.ok ? previous.rules : null, parsed.rules);
  await recordProductEvents(runtime.db.sql, shop, [describeMappingSave({ channel, market, revision: expectedRevision + 1, sentences, at: new Date() })]);
  await requestFeedBuild(runtime, shop, `${channel} mapping saved`);
  return { ok: true, message: "Rules saved; feeds will rebuild shortly", revision: expectedRevision + 1 };
}
