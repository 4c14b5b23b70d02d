import { FAMILIES, LOCATIONS } from "~/demo/catalog-data";
import { demoChannelMappings } from "~/demo/demo-channel-rules";
import { DEMO_SHOP } from "~/env.server";
import {
  DEMO_META_BUSINESS_ID,
  DEMO_META_CATALOG_ID,
  DEMO_META_TOKEN,
  DEMO_TIKTOK_APP_KEY,
  DEMO_TIKTOK_APP_SECRET,
  getDemoChannelFakes,
} from "../../channels/channel-fetch";
import { logger } from "../../logger";
import { countItemStates, findItemByRemoteId, listAcknowledgedItems, markItemsMissing, type CatalogRef } from "../../repositories/channel-items";
import type { Runtime } from "../../runtime";
import {
  completeTikTokAuthorization,
  listConnectionSummaries,
  recommendCategory,
  saveMetaConnection,
  saveTikTokMappings,
  selectTikTokShop,
  startTikTokAuthorization,
  testMetaConnectionFor,
  type TikTokConnectionSummary,
} from "./connections";
import { requestCatalogPublish, requestCatalogReadBack } from "./request-publish";

/**
 * The demo shop's channel connections (docs/decisions/0008-demo-mode.md, "Channels in the demo").
 * The demo shop starts connected to the demo's Meta catalog and TikTok Shop, through the same service
 * calls a merchant's clicks in Settings → Channels make: Meta's catalog id and token are saved and
 * tested; TikTok is authorised (start → the demo TikTok's consent code → callback → shop → location
 * and category mappings). The channels themselves are the in-process fakes of demo-instance.ts.
 */

/** Why a publish or read-back ran, as the activity log shows it. */
const RESTART_TRIGGER = "demo restarted: its channels start empty, so everything is sent again";
const AUDIT_TRIGGER = "TikTok Shop finished its audit";
/** How long the demo TikTok's audit of a product takes before it "sends the status webhook". */
export const DEMO_AUDIT_SECONDS = 3;
const AUDIT_CLOCK_MS = 5_000;
/** Keys per read-back job (ReadBackCatalogJobSchema allows 500). */
const READ_BACK_KEYS = 500;
const PAGE = 1_000;

/**
 * Connects the demo shop's channels when they are not connected yet; leaves connections that exist
 * alone. A TikTok connection whose tokens the demo TikTok does not know (they were issued by the
 * process before a restart: the fake keeps them in memory) is authorised again, keeping its shop
 * and mappings.
 */
export async function ensureDemoChannelConnections(runtime: Runtime, now: Date = new Date()): Promise<void> {
  const connections = await listConnectionSummaries(runtime, DEMO_SHOP);
  if (!connections.some((connection) => connection.channel === "meta")) await connectDemoMeta(runtime, now);
  const tiktok = connections.find((connection): connection is TikTokConnectionSummary => connection.channel === "tiktok");
  if (!tiktok) {
    await connectDemoTikTok(runtime, now);
  } else if (tiktok.settings.appKey === DEMO_TIKTOK_APP_KEY && tiktok.accessExpiresAt !== null && getDemoChannelFakes().tiktok.accessTokens.size === 0) {
    // Whatever token is stored predates this process's TikTok: no call could succeed with it.
    await authorizeDemoTikTok(runtime, now);
  }
}

async function connectDemoMeta(runtime: Runtime, now: Date): Promise<void> {
  const saved = await saveMetaConnection(runtime, DEMO_SHOP, { catalogId: DEMO_META_CATALOG_ID, businessId: DEMO_META_BUSINESS_ID, token: DEMO_META_TOKEN });
  if (!saved.ok) throw new Error(`the demo's Meta connection was refused: ${saved.errors.map((error) => `${error.field}: ${error.message}`).join("; ")}`);
  const tested = await testMetaConnectionFor(runtime, DEMO_SHOP, now);
  if (!tested.ok) logger.warn({ reason: tested.message }, "the demo's Meta catalog did not answer the connection test");
}

/** Start → TikTok's consent (the demo TikTok issues the code) → callback: tokens, the seller's shop and its warehouses. */
async function authorizeDemoTikTok(runtime: Runtime, now: Date): Promise<void> {
  const started = await startTikTokAuthorization(runtime, DEMO_SHOP, { appKey: DEMO_TIKTOK_APP_KEY, appSecret: DEMO_TIKTOK_APP_SECRET }, now);
  if (!started.ok) throw new Error(`the demo's TikTok authorisation did not start: ${started.errors.map((error) => error.message).join("; ")}`);
  const state = new URL(started.authorizeUrl).searchParams.get("state") ?? "";
  const completed = await completeTikTokAuthorization(runtime, { state, code: getDemoChannelFakes().tiktok.issueAuthCode() }, now);
  if (!completed.ok) throw new Error(`the demo's TikTok authorisation failed: ${completed.message}`);
}

async function connectDemoTikTok(runtime: Runtime, now: Date): Promise<void> {
  await authorizeDemoTikTok(runtime, now);
  let tiktok = await demoTikTokSummary(runtime);
  // One shop is chosen by the callback itself; a seller with several would choose in Settings.
  const shop = tiktok?.settings.shops[0];
  if (tiktok && !tiktok.settings.shopId && shop) {
    const selected = await selectTikTokShop(runtime, DEMO_SHOP, { shopId: shop.id }, now);
    if (!selected.ok) throw new Error(`the demo's TikTok shop was not selected: ${selected.errors.map((error) => error.message).join("; ")}`);
    tiktok = await demoTikTokSummary(runtime);
  }
  const warehouses = tiktok?.settings.warehouses ?? [];
  const warehouse = warehouses.find((candidate) => candidate.isDefault) ?? warehouses[0];
  if (!warehouse) throw new Error("the demo's TikTok shop lists no warehouse");
  // The demo catalog is generated from catalog-data.ts, so its locations and categories are known
  // before it is imported (at first start the import runs after this).
  const warehouseMap = Object.fromEntries(LOCATIONS.map((location) => [location.id, warehouse.id]));
  const saved = await saveTikTokMappings(runtime, DEMO_SHOP, { warehouseMap, categoryMap: await demoCategoryMap(runtime, now) });
  if (!saved.ok) throw new Error(`the demo's TikTok mappings were refused: ${saved.errors.map((error) => `${error.field}: ${error.message}`).join("; ")}`);
}

async function demoTikTokSummary(runtime: Runtime): Promise<TikTokConnectionSummary | null> {
  const connections = await listConnectionSummaries(runtime, DEMO_SHOP);
  return connections.find((connection): connection is TikTokConnectionSummary => connection.channel === "tiktok") ?? null;
}

/**
 * Shopify category → TikTok leaf category for every category of the demo catalog: the leaf the
 * demo's TikTok mapping rules (app/demo/channel-rules.json) give it, else TikTok's own suggestion.
 */
async function demoCategoryMap(runtime: Runtime, now: Date): Promise<Record<string, string>> {
  const table = demoTikTokCategoryTable();
  const map: Record<string, string> = {};
  for (const productType of FAMILIES.flatMap((family) => family.productTypes)) {
    const { id } = productType.category;
    if (map[id]) continue;
    const leaf = table[id] ?? (await suggestedLeaf(runtime, productType.nouns[0] ?? productType.productType, now));
    if (leaf) map[id] = leaf;
  }
  return map;
}

async function suggestedLeaf(runtime: Runtime, title: string, now: Date): Promise<string | null> {
  const suggestion = await recommendCategory(runtime, DEMO_SHOP, { title }, now);
  return suggestion.ok ? suggestion.leafCategoryId : null;
}

/** The lookup table from Shopify category id to TikTok category id in the demo's TikTok rules. */
export function demoTikTokCategoryTable(): Record<string, string> {
  const table: Record<string, string> = {};
  for (const entry of demoChannelMappings()) {
    if (entry.channel !== "tiktok") continue;
    for (const rule of entry.rules.fields?.channelCategoryId ?? []) {
      const { source } = rule;
      if (source.type === "lookup" && source.from.type === "field" && source.from.path === "product.categoryId") Object.assign(table, source.table);
    }
  }
  return table;
}

/**
 * After a restart the demo's channels are empty (the fakes live in memory) while the outbox still
 * says what they acknowledged. Like a read-back that finds every record missing, every acknowledged
 * record becomes due again and a publish of each catalog is asked for. TikTok's image URIs go too:
 * the new TikTok never received those uploads. Returns the records to send again.
 */
export async function resendAfterDemoRestart(runtime: Runtime): Promise<number> {
  const { meta, tiktok } = getDemoChannelFakes();
  // Channels that hold something were filled by this process: nothing was forgotten.
  if (meta.items.size > 0 || tiktok.products.size > 0) return 0;
  const sql = runtime.db.sql;
  let resent = 0;
  for (const { channel, market } of await countItemStates(sql, DEMO_SHOP)) {
    const ref: CatalogRef = { shop: DEMO_SHOP, channel, market };
    let marked = 0;
    for (let afterKey = ""; ; ) {
      const items = await listAcknowledgedItems(sql, ref, { limit: PAGE, afterKey });
      if (items.length === 0) break;
      afterKey = items[items.length - 1]?.key ?? afterKey;
      marked += await markItemsMissing(sql, ref, items.map((item) => item.key));
    }
    if (channel === "tiktok") await sql.query(`DELETE FROM "tiktok_image" WHERE "shop" = $1`, [DEMO_SHOP]);
    if (marked > 0) await requestCatalogPublish(runtime, ref, RESTART_TRIGGER);
    resent += marked;
  }
  if (resent > 0) logger.info({ resent }, "demo channels were empty after a restart; their records are sent again");
  return resent;
}

/**
 * The demo TikTok's audit clock. TikTok audits every created or edited product and reports the
 * verdict later (its product status webhook; Shelfcast then reads the product back). The fake
 * settles an audit when the product is read, so this plays TikTok's part: products waiting in audit
 * for DEMO_AUDIT_SECONDS are "reported", once per edit, by asking for a read-back of their records.
 * Returns how many products were reported.
 */
export async function reportDemoAudits(runtime: Runtime, now: Date = new Date()): Promise<number> {
  const { tiktok } = getDemoChannelFakes();
  const reported = auditState().reported;
  const cutoff = Math.floor(now.getTime() / 1000) - DEMO_AUDIT_SECONDS;
  const byMarket = new Map<string, string[]>();
  let count = 0;
  for (const product of tiktok.products.values()) {
    const mark = `${product.id}@${product.updateTime}`;
    if (product.status !== "PENDING" || product.updateTime > cutoff || reported.has(mark)) continue;
    // A product whose create answer is not recorded yet has no record to read back: the next tick.
    const record = await findItemByRemoteId(runtime.db.sql, DEMO_SHOP, "tiktok", product.id);
    if (!record) continue;
    reported.add(mark);
    byMarket.set(record.market, [...(byMarket.get(record.market) ?? []), record.key]);
    count += 1;
  }
  for (const [market, keys] of byMarket) {
    for (let start = 0; start < keys.length; start += READ_BACK_KEYS) {
      await requestCatalogReadBack(runtime, { shop: DEMO_SHOP, channel: "tiktok", market }, AUDIT_TRIGGER, keys.slice(start, start + READ_BACK_KEYS));
    }
  }
  return count;
}

interface AuditState {
  reported: Set<string>;
  timer: ReturnType<typeof setInterval> | null;
}

// On globalThis, like the fakes themselves: a module re-import must not start a second clock.
function auditState(): AuditState {
  const holder = globalThis as unknown as { __shelfcastDemoAuditClock?: AuditState };
  holder.__shelfcastDemoAuditClock ??= { reported: new Set(), timer: null };
  return holder.__shelfcastDemoAuditClock;
}

/** Starts the audit clock for the life of the demo process (once). */
export function startDemoAuditClock(runtime: Runtime): void {
  const state = auditState();
  if (state.timer) return;
  let running = false;
  state.timer = setInterval(() => {
    if (running) return;
    running = true;
    reportDemoAudits(runtime)
      .catch((error: unknown) => logger.warn({ err: error }, "the demo TikTok's audit clock failed; it tries again"))
      .finally(() => {
        running = false;
      });
  }, AUDIT_CLOCK_MS);
  state.timer.unref();
}
