import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { evaluateProduct, type ChannelPlan, type CountedEvaluation } from "~/domain/channels/pipeline";
import type { ChannelId, Diagnostic, Market, MappedItem } from "~/domain/channels/types";
import type { Gid, Money, Product, Variant } from "~/domain/catalog/types";
import { isPublishChannel } from "~/domain/publishing/desired-state";
import { buildUtmLinks, evaluateReadiness, type ReadinessFixTarget, type ReadinessInput, type ReadinessProblem, type ReadinessReason, type RecordState, type UtmLink, type VariantReadinessInput } from "~/domain/readiness";
import { campaignHoldOn, inventoryOf, overReservationsFor, type Campaign, type OverReservation, type Rules } from "~/domain/rules";
import { QUEUES } from "../../jobs/names";
import { getSnapshotProducts, listItemStatesOfProducts, productIdsOfVariants, productIdsWithTag, type ItemStateRow } from "../../repositories/campaigns";
import { diagnosticsForProduct, latestBuilds, listFeeds, type DiagnosticRow } from "../../repositories/channel-feeds";
import { listOpenVerdicts, type VerdictRow } from "../../repositories/channel-verdicts";
import type { Runtime } from "../../runtime";
import { loadChannelSetup, planShopChannels, type ChannelSetup } from "../channel-feeds/channel-setup";
import { listConnectionSummaries, type ConnectionSummary } from "../publishing/connections";
import { getStoredCampaign, type StoredCampaign } from "./campaigns-store";
import { loadOfferSetup, type OfferSetup } from "./offer-setup";

/**
 * The readiness board of one campaign (issue 6): for each product it tags and each of its channels,
 * Ready or Blocked with the reasons (evaluateReadiness), what the channel is offered, and UTM links
 * for the posts. The inputs are gathered here:
 *
 * - Shelfcast's checks: each product is evaluated now, through the same pipeline, stock rules,
 *   campaigns and promotion check as the feeds (loadOfferSetup), so a fix shows at once;
 * - what the channel has: the current feed build's diagnostics (an item with an error was left out
 *   of that build), and for Meta and TikTok Shop when connected, the publish outbox's record state
 *   and the problems the channel itself reported;
 * - the instant judged: the campaign's start while it is upcoming (its holds and its promotion are
 *   in force then), else now. Stock is today's either way.
 */

/** Products taken from a tag line at most (a tag can cover much of a catalog). */
export const MAX_TAGGED_PRODUCTS = 100;

export interface BoardOffer {
  variantId: Gid;
  title: string;
  quantity: number | null;
  availability: string;
  message: string | null;
}

export interface BoardCell {
  channel: ChannelId;
  label: string;
  verdict: "ready" | "blocked";
  reasons: ReadinessReason[];
  notes: string[];
  /** Units offered on the channel over the covered variants; null when a variant's stock is untracked. */
  quantity: number | null;
  offers: BoardOffer[];
}

export interface BoardProduct {
  productId: Gid;
  title: string;
  handle: string | null;
  /** The variants the campaign covers, with the units it holds for each. */
  variants: { id: Gid; title: string; held: number }[];
  cells: BoardCell[];
  /** Copyable post links: the product, then each covered variant when it has several. */
  links: { label: string; variantId: Gid | null; links: UtmLink[] }[];
}

export interface ReadinessBoard {
  campaignId: string;
  /** The instant judged (ISO), and why that one. */
  at: string;
  judged: "start" | "now" | "ended";
  market: string;
  channels: { channel: ChannelId; label: string }[];
  products: BoardProduct[];
  /** Tag lines covered more products than the board shows. */
  truncated: boolean;
  rebuilding: boolean;
  overReservations: OverReservation[];
  /** Stored rules or campaigns that were ignored. */
  problems: string[];
}

interface ChannelState {
  channel: ChannelId;
  label: string;
  plan: ChannelPlan;
  delivery: ReadinessInput["delivery"];
  builtAt: Date | null;
}

export async function loadReadinessBoard(runtime: Runtime, shop: string, campaignId: string, now: Date): Promise<ReadinessBoard | null> {
  const stored = await getStoredCampaign(runtime, shop, campaignId);
  if (!stored) return null;
  const setup = await loadChannelSetup(runtime, shop);
  const market = marketFor(stored, setup);
  const channels = stored.channels.filter((channel): channel is ChannelId => channel in CHANNEL_ADAPTERS);
  const empty = (problems: string[]): ReadinessBoard => ({
    campaignId,
    at: now.toISOString(),
    judged: "now",
    market: market.code,
    channels: channels.map((channel) => ({ channel, label: CHANNEL_ADAPTERS[channel].label })),
    products: [],
    truncated: false,
    rebuilding: false,
    overReservations: [],
    problems,
  });
  if (!stored.campaign) return empty([stored.problem ?? "This campaign is not valid."]);
  const campaign = stored.campaign;
  const judged = campaign.window.end <= now.getTime() ? "ended" : campaign.window.start > now.getTime() ? "start" : "now";
  const at = judged === "start" ? new Date(campaign.window.start) : now;

  const [offers, tagged, feeds, builds, pendingBuilds, connections] = await Promise.all([
    loadOfferSetup(runtime, shop, at),
    taggedProductIds(runtime, shop, campaign),
    listFeeds(runtime.db.sql, shop),
    latestBuilds(runtime.db.sql, shop),
    runtime.boss.findJobs(QUEUES.buildFeeds, { data: { shop }, queued: true }),
    listConnectionSummaries(runtime, shop),
  ]);
  const rebuilding = pendingBuilds.length > 0 || builds.some((build) => build.status === "running");
  const products = await getSnapshotProducts(runtime.db.sql, shop, tagged.ids);
  const byId = new Map(products.map((entry) => [entry.product.id, entry]));
  const [itemStates, diagnostics, verdicts] = await Promise.all([
    listItemStatesOfProducts(runtime.db.sql, shop, tagged.ids),
    Promise.all(tagged.ids.map(async (id) => [id, await diagnosticsForProduct(runtime.db.sql, shop, id)] as const)),
    Promise.all(tagged.ids.map(async (id) => [id, await listOpenVerdicts(runtime.db.sql, shop, { productId: id, limit: 200 })] as const)),
  ]);
  const diagnosticsOf = new Map(diagnostics);
  const verdictsOf = new Map(verdicts);

  const plans = planShopChannels(setup, offers, { channels, markets: [market], now: at });
  const states: ChannelState[] = plans.map((plan) => {
    const channel = plan.ctx.channel;
    const feed = feeds.find((candidate) => candidate.channel === channel && candidate.market === market.code);
    const current = feed?.currentBuildId ? builds.find((build) => build.id === feed.currentBuildId) : undefined;
    return { channel, label: CHANNEL_ADAPTERS[channel].label, plan, delivery: deliveryOf(channel, connections), builtAt: current?.startedAt ?? null };
  });

  const boardProducts = tagged.ids.map((productId) => {
    const entry = byId.get(productId);
    return entry
      ? productRow(entry.product, entry.syncedAt, { campaign, states, offers, market, rebuilding, setup, itemStates, diagnostics: diagnosticsOf.get(productId) ?? [], verdicts: verdictsOf.get(productId) ?? [] })
      : missingRow(productId, states, rebuilding);
  });

  const overReservations = collectOverReservations(
    offers.rules,
    offers.campaigns,
    products.map((entry) => entry.product),
    market.code,
    now,
  ).filter((found) => found.campaigns.some((held) => held.id === campaign.id));

  return {
    campaignId,
    at: at.toISOString(),
    judged,
    market: market.code,
    channels: states.map((state) => ({ channel: state.channel, label: state.label })),
    products: boardProducts,
    truncated: tagged.truncated,
    rebuilding,
    overReservations,
    problems: offers.problems,
  };
}

/** The campaign's first market the shop sells in, else the shop's primary market. */
function marketFor(stored: StoredCampaign, setup: ChannelSetup): Market {
  return setup.markets.find((market) => stored.markets.includes(market.code)) ?? (setup.markets[0] as Market);
}

/** Products the campaign tags, in line order: product lines, variant lines' products, then tag lines' products. */
export async function taggedProductIds(runtime: Runtime, shop: string, campaign: Campaign): Promise<{ ids: Gid[]; truncated: boolean }> {
  const ids: Gid[] = [];
  const add = (id: Gid) => {
    if (!ids.includes(id)) ids.push(id);
  };
  const variantIds = campaign.holds.flatMap((hold) => (hold.target.kind === "variant" ? [hold.target.id] : []));
  const products = await productIdsOfVariants(runtime.db.sql, shop, variantIds);
  let truncated = false;
  for (const hold of campaign.holds) {
    if (hold.target.kind === "product") add(hold.target.id);
    else if (hold.target.kind === "variant") {
      const productId = products.get(hold.target.id);
      if (productId) add(productId);
    } else {
      const withTag = await productIdsWithTag(runtime.db.sql, shop, hold.target.tag, MAX_TAGGED_PRODUCTS + 1);
      if (withTag.length > MAX_TAGGED_PRODUCTS) truncated = true;
      for (const id of withTag.slice(0, MAX_TAGGED_PRODUCTS)) add(id);
    }
  }
  return { ids, truncated };
}

function deliveryOf(channel: ChannelId, connections: readonly ConnectionSummary[]): ReadinessInput["delivery"] {
  if (!isPublishChannel(channel)) return { kind: "feed", apiAvailable: false };
  const connection = connections.find((candidate) => candidate.channel === channel);
  if (!connection) return { kind: "feed", apiAvailable: true };
  if (connection.status !== "connected") return { kind: "api", connection: connection.status };
  // An authorised TikTok seller without a chosen shop publishes nowhere yet.
  if (connection.channel === "tiktok" && !connection.settings.shopId) return { kind: "api", connection: "pending" };
  return { kind: "api", connection: "connected" };
}

interface RowContext {
  campaign: Campaign;
  states: ChannelState[];
  offers: OfferSetup;
  market: Market;
  rebuilding: boolean;
  setup: ChannelSetup;
  itemStates: ItemStateRow[];
  diagnostics: DiagnosticRow[];
  verdicts: VerdictRow[];
}

function productRow(product: Product, syncedAt: Date, context: RowContext): BoardProduct {
  const { campaign, states, offers, market, setup } = context;
  const covered = product.variants
    .map((variant) => ({ variant, hold: campaignHoldOn(campaign, product, variant, market.code) }))
    .filter((entry) => entry.hold !== null);
  const evaluations = new Map(states.map((state) => [state.channel, evaluateProduct(product, state.plan)] as const));
  const pricesByChannel = new Map(states.map((state) => [state.channel, priceMap(evaluations.get(state.channel) as CountedEvaluation)] as const));

  const cells = states.map((state): BoardCell => {
    const evaluation = evaluations.get(state.channel) as CountedEvaluation;
    const items = new Map(evaluation.items.map((item) => [item.variantId, item]));
    const variants = covered.map(({ variant }) =>
      variantInput(product, variant, {
        state,
        item: items.get(variant.id) ?? null,
        evaluation,
        context,
        otherPrices: states
          .filter((other) => other.channel !== state.channel)
          .map((other) => ({ channel: other.channel, label: other.label, price: pricesByChannel.get(other.channel)?.get(variant.id) ?? null })),
      }),
    );
    const result = evaluateReadiness({
      channel: state.channel,
      channelLabel: state.label,
      product: { id: product.id, title: product.title, status: product.status },
      variants,
      delivery: state.delivery,
      feed: { builtAt: state.builtAt?.toISOString() ?? null, rebuilding: context.rebuilding, productChangedSinceBuild: state.builtAt !== null && syncedAt > state.builtAt },
    });
    const offered = covered.map(({ variant }): BoardOffer => {
      const offer = offers.resolver(product, variant, state.channel, market);
      return { variantId: variant.id, title: variant.title, quantity: offer.quantity, availability: offer.availability, message: offer.message ?? null };
    });
    const quantity = offered.some((offer) => offer.quantity === null) ? null : offered.reduce((sum, offer) => sum + (offer.quantity ?? 0), 0);
    return { channel: state.channel, label: state.label, verdict: result.verdict, reasons: result.reasons, notes: result.notes, quantity, offers: offered };
  });

  const channels = states.map((state) => state.channel);
  const links: BoardProduct["links"] = [{ label: "Product", variantId: null, links: buildUtmLinks({ storefrontUrl: setup.shop.storefrontUrl, handle: product.handle, campaignId: campaign.id, channels }) }];
  if (product.variants.length > 1) {
    for (const { variant } of covered) {
      links.push({ label: variant.title, variantId: variant.id, links: buildUtmLinks({ storefrontUrl: setup.shop.storefrontUrl, handle: product.handle, variantId: variant.id, campaignId: campaign.id, channels }) });
    }
  }
  return {
    productId: product.id,
    title: product.title,
    handle: product.handle,
    variants: covered.map(({ variant, hold }) => ({ id: variant.id, title: variant.title, held: hold?.units ?? 0 })),
    cells,
    links,
  };
}

function missingRow(productId: Gid, states: ChannelState[], rebuilding: boolean): BoardProduct {
  return {
    productId,
    title: "Product not in the catalog",
    handle: null,
    variants: [],
    cells: states.map((state) => {
      const result = evaluateReadiness({ channel: state.channel, channelLabel: state.label, product: null, variants: [], delivery: state.delivery, feed: { builtAt: null, rebuilding, productChangedSinceBuild: false } });
      return { channel: state.channel, label: state.label, verdict: result.verdict, reasons: result.reasons, notes: result.notes, quantity: null, offers: [] };
    }),
    links: [],
  };
}

/** The price a shopper pays on the channel: the sale price when there is one. */
function effectivePrice(item: MappedItem): Money | null {
  return item.salePrice ?? item.price;
}

function priceMap(evaluation: CountedEvaluation): Map<Gid, Money | null> {
  return new Map(evaluation.items.map((item) => [item.variantId, effectivePrice(item)]));
}

/** What the storefront charges in the market: the variant's price in the shop's currency, else the market's price list. */
function storefrontPrice(variant: Variant, market: Market, shopCurrency: string): Money | null {
  if (market.currency === shopCurrency) return { amount: variant.price, currencyCode: shopCurrency };
  return variant.marketPrices[market.code] ?? null;
}

function problemOf(diagnostic: Pick<Diagnostic, "code" | "severity" | "message" | "fix"> & { fixTarget: unknown }): ReadinessProblem {
  const target = diagnostic.fixTarget as ReadinessFixTarget | null | undefined;
  return { code: diagnostic.code, severity: diagnostic.severity, message: diagnostic.message, fix: diagnostic.fix, ...(target && typeof target === "object" && "kind" in target ? { fixTarget: target } : {}) };
}

/** A diagnostic is about the variant when it names it, or names none (a product-level record such as TikTok Shop's). */
function concerns(diagnostic: { variantId: string | null }, variant: Variant): boolean {
  return diagnostic.variantId ? diagnostic.variantId === variant.id : true;
}

function recordStateOf(row: ItemStateRow): RecordState {
  if (row.deleting) return "deleting";
  if (row.state === "dead") return "dead";
  if (!row.inSync) return "pending";
  if (row.state === "rejected") return "rejected";
  return row.state === "live" ? "live" : "pending";
}

function variantInput(
  product: Product,
  variant: Variant,
  input: { state: ChannelState; item: MappedItem | null; evaluation: CountedEvaluation; context: RowContext; otherPrices: VariantReadinessInput["otherChannelPrices"] },
): VariantReadinessInput {
  const { state, item, evaluation, context } = input;
  const { market, offers, setup } = context;
  const itemId = item?.id ?? setup.idScheme.itemId(product, variant, market);
  const excluded = evaluation.excluded.find((entry) => entry.variantId === variant.id);
  const problems = evaluation.diagnostics.filter((diagnostic) => concerns(diagnostic, variant)).map(problemOf);
  const feedErrors = context.diagnostics
    .filter((diagnostic) => diagnostic.channel === state.channel && diagnostic.market === market.code && diagnostic.severity === "error" && concerns(diagnostic, variant))
    .map(problemOf);
  const offer = offers.resolver(product, variant, state.channel, market);
  let record: VariantReadinessInput["record"] = null;
  let channelProblems: ReadinessProblem[] = [];
  if (state.delivery.kind === "api") {
    const rows = context.itemStates.filter((row) => row.channel === state.channel && row.itemIds.includes(itemId));
    const row = rows.find((candidate) => candidate.market === market.code) ?? rows[0];
    record = row ? { state: recordStateOf(row), lastError: row.lastError } : { state: "missing", lastError: null };
    channelProblems = context.verdicts.filter((verdict) => verdict.channel === state.channel && concerns(verdict, variant)).map(problemOf);
  }
  return {
    variantId: variant.id,
    title: variant.title,
    excludedReason: excluded?.reason ?? null,
    problems,
    offer: { quantity: item?.quantity ?? offer.quantity, availability: item?.availability ?? offer.availability, message: offer.message ?? null },
    channelPrice: item ? effectivePrice(item) : null,
    storefrontPrice: storefrontPrice(variant, market, setup.shop.currency),
    otherChannelPrices: input.otherPrices,
    feedErrors,
    record,
    channelProblems,
  };
}

/**
 * Over-reservations of the given products' variants from `now` on (ADR 0014): stretches when the
 * campaigns holding a variant ask for more than channels can have at today's stock.
 */
export function collectOverReservations(rules: Rules, campaigns: readonly Campaign[], products: readonly Product[], market: string, now: Date): OverReservation[] {
  const found: OverReservation[] = [];
  for (const product of products) {
    for (const variant of product.variants) found.push(...overReservationsFor(rules, { product, variant }, inventoryOf(variant), campaigns, market, now));
  }
  return found;
}
