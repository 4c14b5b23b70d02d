import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { scrubSecrets } from "../../security/scrub";
import { TIKTOK_SHOP_SPEC } from "~/domain/channels/specs/tiktok-shop";
import { verifyTikTokWebhook } from "~/domain/publishing/tiktok-signature";
import { channelFetchFor } from "../../channels/channel-fetch";
import { testMetaConnection } from "../../channels/meta/test-connection";
import type { MetaConnection, PublishChannel, TikTokConnection } from "../../channels/publisher";
import {
  exchangeTikTokAuthCode,
  listTikTokShops,
  listTikTokWarehouses,
  recommendTikTokCategory,
  refreshTikTokToken,
  tiktokAuthorizeUrl,
  tokenNeedsRefresh,
} from "../../channels/tiktok/oauth";
import {
  clearOAuthState,
  deleteChannelConnection,
  findByOAuthState,
  findTikTokByShopId,
  getChannelConnection,
  listCatalogCategories,
  listCatalogLocations,
  listChannelConnections,
  mergeConnectionSettings,
  sampleTitleInCategory,
  saveChannelConnection,
  saveConnectionTokens,
  setOAuthState,
  updateConnectionStatus,
  type CatalogCategory,
  type CatalogLocation,
  type ChannelConnectionRow,
  type ConnectionStatus,
} from "../../repositories/channel-connections";
import type { Runtime } from "../../runtime";
import { decryptSecret, encryptSecret, keyringFor, secretHint, SecretsError } from "../../security/secrets";

/**
 * Settings → Channels: the shop's connections to Meta's catalog (a system-user token) and TikTok
 * Shop (the seller's OAuth authorisation), and the one place that turns a stored connection into
 * the decrypted MetaConnection / TikTokConnection the publish engine holds for the length of a job.
 *
 * Secrets (Meta's token; TikTok's app secret, access and refresh tokens) are one JSON object
 * encrypted with app/.server/security/secrets.ts. They are decrypted in memory only, never logged,
 * never returned from this module to a page, and scrubbed from any channel error text before it is
 * stored as `last_error`.
 */

/** TikTok's access token is refreshed this long before it expires, so no job runs with a dying token. */
export const TIKTOK_REFRESH_MARGIN_MS = 24 * 60 * 60 * 1000;
/** How long a started TikTok authorisation waits for the seller to come back. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
export const TIKTOK_REFRESH_REFUSED = "TikTok refused to refresh the token: reconnect TikTok Shop in Settings → Channels";

export type FieldError = { field: string; message: string };
export type ConnectionActionResult = { ok: true; message: string } | { ok: false; errors: FieldError[] };

const CHANNEL_LABEL: Record<PublishChannel, string> = { meta: "Meta catalog", tiktok: "TikTok Shop" };

// Stored shapes. Settings are parsed leniently (defaults for what an older row lacks); a row whose
// secrets do not parse is treated like one that does not decrypt.

const MetaSettingsSchema = z.object({
  catalogId: z.string(),
  businessId: z.string().nullable().default(null),
  catalogName: z.string().nullable().default(null),
  productCount: z.number().int().nullable().default(null),
});
type MetaSettings = z.infer<typeof MetaSettingsSchema>;

const TikTokShopChoiceSchema = z.object({ id: z.string(), name: z.string(), region: z.string(), cipher: z.string() });
const TikTokWarehouseChoiceSchema = z.object({ id: z.string(), name: z.string(), isDefault: z.boolean().default(false) });

const TikTokSettingsSchema = z.object({
  appKey: z.string(),
  sellerName: z.string().nullable().default(null),
  shopId: z.string().nullable().default(null),
  shopCipher: z.string().nullable().default(null),
  shopName: z.string().nullable().default(null),
  region: z.string().nullable().default(null),
  shops: z.array(TikTokShopChoiceSchema).default([]),
  warehouses: z.array(TikTokWarehouseChoiceSchema).default([]),
  /**
   * Shopify location → TikTok warehouse as ordered pairs: JSONB reorders object keys, and the first
   * pair is the default warehouse (TikTokConnection.warehouseMap).
   */
  warehouseMap: z.array(z.object({ locationId: z.string(), warehouseId: z.string() })).default([]),
  categoryMap: z.record(z.string(), z.string()).default({}),
  oauthStateExpiresAt: z.string().optional(),
});
type TikTokSettings = z.infer<typeof TikTokSettingsSchema>;
type TikTokShopChoice = z.infer<typeof TikTokShopChoiceSchema>;
type TikTokWarehouseChoice = z.infer<typeof TikTokWarehouseChoiceSchema>;

const MetaSecretsSchema = z.object({ token: z.string().min(1) });
const TikTokSecretsSchema = z.object({ appSecret: z.string().min(1), accessToken: z.string().optional(), refreshToken: z.string().optional() });
type TikTokSecrets = z.infer<typeof TikTokSecretsSchema>;

function encryptSecrets(runtime: Runtime, secrets: Record<string, string | undefined>): string {
  return encryptSecret(keyringFor(runtime.env), JSON.stringify(secrets));
}

/** The stored secrets, or why they cannot be read (never the secret itself). */
function decryptSecrets<T>(runtime: Runtime, row: ChannelConnectionRow, schema: z.ZodType<T>): { ok: true; secrets: T } | { ok: false; reason: string } {
  const label = CHANNEL_LABEL[row.channel];
  if (!row.secretsCiphertext) return { ok: false, reason: `The ${label} connection has no stored credentials: connect it again in Settings → Channels.` };
  let text: string;
  try {
    text = decryptSecret(keyringFor(runtime.env), row.secretsCiphertext);
  } catch (error) {
    if (!(error instanceof SecretsError)) throw error;
    return { ok: false, reason: `The stored ${label} credentials cannot be read (${error.message}): enter them again in Settings → Channels.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `The stored ${label} credentials are incomplete: enter them again in Settings → Channels.` };
  return { ok: true, secrets: parsed.data };
}

function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: issue.path.map(String).join(".") || "form", message: issue.message }));
}

function metaSettingsOf(row: ChannelConnectionRow): MetaSettings | null {
  const parsed = MetaSettingsSchema.safeParse(row.settings);
  return parsed.success ? parsed.data : null;
}

function tiktokSettingsOf(row: ChannelConnectionRow): TikTokSettings | null {
  const parsed = TikTokSettingsSchema.safeParse(row.settings);
  return parsed.success ? parsed.data : null;
}

// ─── Meta ────────────────────────────────────────────────────────────────────────────────────────

const MetaSaveSchema = z.object({
  catalogId: z
    .string({ error: "Enter the catalog id." })
    .trim()
    .min(1, "Enter the catalog id.")
    .regex(/^\d{5,25}$/, "The catalog id is the number shown in Commerce Manager → Catalog → Settings (digits only)."),
  businessId: z
    .string()
    .trim()
    .regex(/^(\d{5,25})?$/, "The business id is the number shown in Business Settings → Business info (digits only).")
    .optional()
    .transform((id) => id || null),
  /** Blank on an edit keeps the stored token. */
  token: z
    .string()
    .trim()
    .max(1_000, "That is longer than any access token; paste only the token.")
    .regex(/^\S*$/, "The access token must not contain spaces.")
    .optional()
    .transform((token) => token ?? ""),
});

/** Saves the catalog, business and system-user token. The token is encrypted; only its last four characters stay readable. */
export async function saveMetaConnection(runtime: Runtime, shop: string, input: Record<string, unknown>): Promise<ConnectionActionResult> {
  const parsed = MetaSaveSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { catalogId, businessId, token } = parsed.data;
  const existing = await getChannelConnection(runtime.db.sql, shop, "meta");

  let storedToken: string | null = null;
  if (token === "") {
    const stored = existing ? decryptSecrets(runtime, existing, MetaSecretsSchema) : null;
    if (!stored) return { ok: false, errors: [{ field: "token", message: "Paste the system-user access token (Business Settings → Users → System users → Generate new token)." }] };
    if (!stored.ok) return { ok: false, errors: [{ field: "token", message: `${stored.reason} Paste the token again.` }] };
    storedToken = stored.secrets.token;
  } else if (token.length < 20) {
    return { ok: false, errors: [{ field: "token", message: "Paste the whole access token (it is long)." }] };
  }
  const finalToken = storedToken ?? token;

  // The catalog's name and size describe the catalog last tested; another catalog must be tested again.
  const previous = existing ? metaSettingsOf(existing) : null;
  const sameCatalog = previous?.catalogId === catalogId;
  const settings: MetaSettings = {
    catalogId,
    businessId,
    catalogName: sameCatalog ? previous.catalogName : null,
    productCount: sameCatalog ? previous.productCount : null,
  };
  await saveChannelConnection(runtime.db.sql, shop, {
    channel: "meta",
    status: "connected",
    settings,
    secretsCiphertext: encryptSecrets(runtime, { token: finalToken }),
    secretHint: secretHint(finalToken),
    accessExpiresAt: null,
    refreshExpiresAt: null,
  });
  return { ok: true, message: "Meta catalog connection saved" };
}

export type MetaTestResult = { ok: true; message: string; catalogName: string; productCount: number } | { ok: false; message: string; reconnect: boolean };

/** Reads the catalog with the stored token: its name and product count, or why Meta refused. The outcome is recorded on the connection. */
export async function testMetaConnectionFor(runtime: Runtime, shop: string, now: Date = new Date()): Promise<MetaTestResult> {
  const row = await getChannelConnection(runtime.db.sql, shop, "meta");
  const settings = row ? metaSettingsOf(row) : null;
  if (!row || !settings) return { ok: false, message: "Save the Meta catalog id and token first.", reconnect: false };
  const secrets = decryptSecrets(runtime, row, MetaSecretsSchema);
  if (!secrets.ok) {
    await markedForReconnect(runtime, shop, "meta", secrets.reason, now);
    return { ok: false, message: secrets.reason, reconnect: true };
  }
  const fetch = await channelFetchFor(runtime, shop);
  const result = await testMetaConnection(fetch, { catalogId: settings.catalogId, token: secrets.secrets.token });
  if (!result.ok) {
    const reason = scrubSecrets(result.reason, [secrets.secrets.token]);
    await updateConnectionStatus(runtime.db.sql, shop, "meta", { status: result.reconnect ? "reconnect" : undefined, lastError: reason, checkedAt: now });
    return { ok: false, message: reason, reconnect: result.reconnect };
  }
  await mergeConnectionSettings(runtime.db.sql, shop, "meta", { catalogName: result.name, productCount: result.productCount });
  await updateConnectionStatus(runtime.db.sql, shop, "meta", { status: "connected", lastError: null, checkedAt: now });
  const count = `${result.productCount.toLocaleString("en-US")} ${result.productCount === 1 ? "product" : "products"}`;
  return { ok: true, message: `Connected to “${result.name}” (${count})`, catalogName: result.name, productCount: result.productCount };
}

// ─── TikTok Shop: authorisation ─────────────────────────────────────────────────────────────────

const TikTokAppSchema = z.object({
  appKey: z
    .string({ error: "Enter the app key." })
    .trim()
    .min(1, "Enter the app key.")
    .max(128, "The app key is shorter than that; paste only the key.")
    .regex(/^[A-Za-z0-9_-]+$/, "The app key has only letters and digits (Partner Center → App & Service → your app → App key)."),
  /** Blank keeps the stored secret of the same app. */
  appSecret: z
    .string()
    .trim()
    .max(256, "The app secret is shorter than that; paste only the secret.")
    .regex(/^\S*$/, "The app secret must not contain spaces.")
    .optional()
    .transform((secret) => secret ?? ""),
});

function hashState(state: string): string {
  return createHash("sha256").update(state).digest("hex");
}

export type StartAuthorizationResult = { ok: true; authorizeUrl: string; message: string } | { ok: false; errors: FieldError[] };

/**
 * Stores the app key and secret and starts the seller's authorisation: a random state (stored as
 * its hash, single use, valid 10 minutes) and TikTok's consent URL to send the merchant to.
 * Reconnecting the same app keeps the current tokens working until the new ones arrive.
 */
export async function startTikTokAuthorization(runtime: Runtime, shop: string, input: Record<string, unknown>, now: Date = new Date()): Promise<StartAuthorizationResult> {
  const parsed = TikTokAppSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { appKey, appSecret } = parsed.data;
  const existing = await getChannelConnection(runtime.db.sql, shop, "tiktok");
  const previous = existing ? tiktokSettingsOf(existing) : null;
  const sameApp = previous?.appKey === appKey;
  const stored = existing && sameApp ? decryptSecrets(runtime, existing, TikTokSecretsSchema) : null;

  let secrets: TikTokSecrets;
  if (appSecret === "") {
    if (!stored?.ok) {
      const message = existing && !sameApp ? "A different app key needs its app secret too." : "Paste the app secret (Partner Center → App & Service → your app → App secret).";
      return { ok: false, errors: [{ field: "appSecret", message }] };
    }
    secrets = stored.secrets;
  } else if (appSecret.length < 8) {
    return { ok: false, errors: [{ field: "appSecret", message: "Paste the whole app secret." }] };
  } else {
    // Tokens belong to the app that was authorised; a new secret for the same app keeps them.
    secrets = stored?.ok ? { ...stored.secrets, appSecret } : { appSecret };
  }

  const keepTokens = existing !== null && sameApp && stored?.ok === true && secrets.accessToken !== undefined;
  const settings: TikTokSettings = keepTokens && previous ? { ...previous, appKey } : { ...TikTokSettingsSchema.parse({ appKey }) };
  delete settings.oauthStateExpiresAt;
  await saveChannelConnection(runtime.db.sql, shop, {
    channel: "tiktok",
    status: keepTokens && existing ? existing.status : "pending",
    settings,
    secretsCiphertext: encryptSecrets(runtime, secrets),
    secretHint: secretHint(secrets.appSecret),
    accessExpiresAt: keepTokens ? (existing?.accessExpiresAt ?? null) : null,
    refreshExpiresAt: keepTokens ? (existing?.refreshExpiresAt ?? null) : null,
  });
  const state = randomBytes(24).toString("base64url");
  await setOAuthState(runtime.db.sql, shop, "tiktok", hashState(state), new Date(now.getTime() + OAUTH_STATE_TTL_MS));
  return { ok: true, authorizeUrl: tiktokAuthorizeUrl({ appKey, state }), message: "Authorise Shelfcast in TikTok Shop Seller Center" };
}

export type CompleteAuthorizationResult = { ok: true; shop: string; message: string } | { ok: false; shop: string | null; message: string };

/**
 * The callback: the state names the shop (the callback carries no session), the code becomes
 * tokens, stored encrypted, and TikTok's list of the seller's shops is kept for the choice. A
 * seller with one shop has it selected at once.
 */
export async function completeTikTokAuthorization(runtime: Runtime, input: { state: unknown; code: unknown }, now: Date = new Date()): Promise<CompleteAuthorizationResult> {
  const unknownState = "This TikTok authorisation link is unknown, expired or already used: start again from Settings → Channels in Shelfcast.";
  if (typeof input.state !== "string" || input.state === "" || input.state.length > 200) return { ok: false, shop: null, message: unknownState };
  const stateHash = hashState(input.state);
  const row = await findByOAuthState(runtime.db.sql, stateHash);
  if (!row || row.channel !== "tiktok") return { ok: false, shop: null, message: unknownState };
  const { shop } = row;
  // Single use: whoever clears the state first goes on; a second arrival of the same callback stops here.
  if (!(await clearOAuthState(runtime.db.sql, shop, "tiktok", stateHash))) return { ok: false, shop: null, message: unknownState };

  const fail = async (message: string): Promise<CompleteAuthorizationResult> => {
    await updateConnectionStatus(runtime.db.sql, shop, "tiktok", { lastError: message, checkedAt: now });
    return { ok: false, shop, message };
  };
  const settings = tiktokSettingsOf(row);
  if (!settings) return fail("The TikTok Shop connection's settings are damaged: enter the app key and secret again.");
  const expiresAt = settings.oauthStateExpiresAt ? Date.parse(settings.oauthStateExpiresAt) : Number.NaN;
  if (!(expiresAt > now.getTime())) return fail("The TikTok authorisation took longer than 10 minutes: click Connect TikTok Shop again.");
  if (typeof input.code !== "string" || input.code === "" || input.code.length > 2_000) {
    return fail("TikTok came back without an authorisation code (the seller may have declined): click Connect TikTok Shop again.");
  }
  const stored = decryptSecrets(runtime, row, TikTokSecretsSchema);
  if (!stored.ok) return fail(stored.reason);
  const { appSecret } = stored.secrets;

  const fetch = await channelFetchFor(runtime, shop);
  const exchanged = await exchangeTikTokAuthCode(fetch, { appKey: settings.appKey, appSecret, authCode: input.code, now });
  if (!exchanged.ok) return fail(scrubSecrets(exchanged.reason, [appSecret, input.code]));
  const { tokens } = exchanged;
  await saveConnectionTokens(runtime.db.sql, shop, "tiktok", {
    secretsCiphertext: encryptSecrets(runtime, { appSecret, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }),
    accessExpiresAt: tokens.accessExpiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
    settingsPatch: { sellerName: tokens.sellerName },
  });

  const auth: TikTokAuth = { appKey: settings.appKey, appSecret, accessToken: tokens.accessToken };
  const shops = await readTikTokShops(fetch, auth, now);
  if (!shops.ok) {
    await updateConnectionStatus(runtime.db.sql, shop, "tiktok", { status: shops.reconnect ? "reconnect" : undefined, lastError: shops.reason, checkedAt: now });
    return { ok: true, shop, message: `TikTok Shop authorised, but ${shops.reason}` };
  }
  // A reconnect keeps the shop chosen before when TikTok still lists it (with its current cipher).
  const chosen = shops.items.find((candidate) => candidate.id === settings.shopId) ?? (shops.items.length === 1 ? shops.items[0] : undefined);
  if (!chosen) {
    await mergeConnectionSettings(runtime.db.sql, shop, "tiktok", { shops: shops.items, shopId: null, shopCipher: null, shopName: null, region: null, warehouses: [], warehouseMap: [] });
    const message = shops.items.length === 0 ? "TikTok Shop authorised, but the seller account has no shop yet." : "TikTok Shop authorised: choose the shop to publish to.";
    return { ok: true, shop, message };
  }
  const warning = await applyShopSelection(runtime, shop, { settings, chosen, shops: shops.items, auth, fetch, now });
  return { ok: true, shop, message: `TikTok Shop connected: ${chosen.name}${warning ? `. ${warning}` : ""}` };
}

type TikTokAuth = { appKey: string; appSecret: string; accessToken: string };
type Listing<T> = { ok: true; items: T[] } | { ok: false; reason: string; reconnect: boolean };

/** TikTok's list of the seller's shops, or why not (its message is scrubbed once more: defence in depth). */
async function readTikTokShops(fetch: typeof globalThis.fetch, auth: TikTokAuth, now: Date): Promise<Listing<TikTokShopChoice>> {
  const listed = await listTikTokShops(fetch, { ...auth, shopCipher: null }, now);
  if (!listed.ok) return { ok: false, reason: scrubSecrets(`TikTok did not list the seller's shops: ${listed.message}`, Object.values(auth)), reconnect: listed.kind === "reconnect" };
  return { ok: true, items: listed.data.map((shop) => ({ id: shop.id, name: shop.name, region: shop.region, cipher: shop.cipher })) };
}

/** The shop's enabled warehouses, default first. */
async function readTikTokWarehouses(fetch: typeof globalThis.fetch, auth: TikTokAuth & { shopCipher: string }, now: Date): Promise<Listing<TikTokWarehouseChoice>> {
  const listed = await listTikTokWarehouses(fetch, auth, now);
  if (!listed.ok) return { ok: false, reason: scrubSecrets(`TikTok did not list the shop's warehouses: ${listed.message}`, Object.values(auth)), reconnect: listed.kind === "reconnect" };
  return { ok: true, items: listed.data.filter((warehouse) => warehouse.enabled).map((warehouse) => ({ id: warehouse.id, name: warehouse.name, isDefault: warehouse.isDefault })) };
}

/**
 * Stores the chosen shop and its warehouses; the warehouse map survives only while the shop stays
 * the same. Returns a warning when the warehouses could not be read.
 */
async function applyShopSelection(
  runtime: Runtime,
  shop: string,
  selection: { settings: TikTokSettings; chosen: TikTokShopChoice; shops: TikTokShopChoice[]; auth: TikTokAuth; fetch: typeof globalThis.fetch; now: Date },
): Promise<string | null> {
  const { settings, chosen, shops, auth, fetch, now } = selection;
  const sameShop = settings.shopId === chosen.id;
  const warehouses = await readTikTokWarehouses(fetch, { ...auth, shopCipher: chosen.cipher }, now);
  await mergeConnectionSettings(runtime.db.sql, shop, "tiktok", {
    shops,
    shopId: chosen.id,
    shopCipher: chosen.cipher,
    shopName: chosen.name,
    region: chosen.region,
    warehouses: warehouses.ok ? warehouses.items : sameShop ? settings.warehouses : [],
    warehouseMap: sameShop ? settings.warehouseMap : [],
  });
  if (!warehouses.ok) {
    await updateConnectionStatus(runtime.db.sql, shop, "tiktok", { status: warehouses.reconnect ? "reconnect" : undefined, lastError: warehouses.reason, checkedAt: now });
    return warehouses.reason;
  }
  await updateConnectionStatus(runtime.db.sql, shop, "tiktok", { lastError: null, checkedAt: now });
  return null;
}

type OpenedTikTok = { ok: true; settings: TikTokSettings; auth: TikTokAuth; fetch: typeof globalThis.fetch };

/**
 * A usable TikTok authorisation: secrets decrypted, the access token refreshed first when it
 * expires within the margin (the new tokens are stored at once). A refused refresh flags the
 * connection for reconnecting; TikTok being unreachable does not, and the current token is used
 * while it is still valid.
 */
async function openTikTok(
  runtime: Runtime,
  shop: string,
  now: Date,
  options: { forceRefresh?: boolean } = {},
): Promise<OpenedTikTok | { ok: false; reason: string; reconnect: boolean }> {
  const row = await getChannelConnection(runtime.db.sql, shop, "tiktok");
  const settings = row ? tiktokSettingsOf(row) : null;
  if (!row || !settings) return { ok: false, reason: "TikTok Shop is not connected: connect it in Settings → Channels.", reconnect: false };
  if (row.status === "reconnect") return { ok: false, reason: row.lastError ?? "TikTok Shop needs reconnecting in Settings → Channels.", reconnect: true };
  const stored = decryptSecrets(runtime, row, TikTokSecretsSchema);
  if (!stored.ok) return markedForReconnect(runtime, shop, "tiktok", stored.reason, now);
  const { appSecret, accessToken, refreshToken } = stored.secrets;
  if (row.status === "pending" || !accessToken || !refreshToken || !row.accessExpiresAt) {
    return { ok: false, reason: "TikTok Shop is not authorised yet: finish Connect TikTok Shop in Settings → Channels.", reconnect: false };
  }
  const fetch = await channelFetchFor(runtime, shop);
  const current: OpenedTikTok = { ok: true, settings, auth: { appKey: settings.appKey, appSecret, accessToken }, fetch };
  if (!options.forceRefresh && !tokenNeedsRefresh(row.accessExpiresAt, now, TIKTOK_REFRESH_MARGIN_MS)) return current;

  if (row.refreshExpiresAt && row.refreshExpiresAt.getTime() <= now.getTime()) {
    return markedForReconnect(runtime, shop, "tiktok", "TikTok Shop's authorisation has expired: reconnect TikTok Shop in Settings → Channels", now);
  }
  const refreshed = await refreshTikTokToken(fetch, { appKey: settings.appKey, appSecret, refreshToken, now });
  if (!refreshed.ok) {
    if (!refreshed.retryable) return markedForReconnect(runtime, shop, "tiktok", TIKTOK_REFRESH_REFUSED, now);
    const reason = scrubSecrets(refreshed.reason, [appSecret, accessToken, refreshToken]);
    await updateConnectionStatus(runtime.db.sql, shop, "tiktok", { lastError: reason, checkedAt: now });
    // The margin leaves time: until the token really expires, the next job tries the refresh again.
    return row.accessExpiresAt.getTime() > now.getTime() ? current : { ok: false, reason, reconnect: false };
  }
  const { tokens } = refreshed;
  await saveConnectionTokens(runtime.db.sql, shop, "tiktok", {
    secretsCiphertext: encryptSecrets(runtime, { appSecret, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }),
    accessExpiresAt: tokens.accessExpiresAt,
    refreshExpiresAt: tokens.refreshExpiresAt,
  });
  return { ...current, auth: { ...current.auth, accessToken: tokens.accessToken } };
}

async function markedForReconnect(runtime: Runtime, shop: string, channel: PublishChannel, reason: string, now: Date): Promise<{ ok: false; reason: string; reconnect: true }> {
  await updateConnectionStatus(runtime.db.sql, shop, channel, { status: "reconnect", lastError: reason, checkedAt: now });
  return { ok: false, reason, reconnect: true };
}

/** Chooses the TikTok shop to publish to, among those TikTok lists now for this authorisation. */
export async function selectTikTokShop(runtime: Runtime, shop: string, input: Record<string, unknown>, now: Date = new Date()): Promise<ConnectionActionResult> {
  const shopId = typeof input.shopId === "string" ? input.shopId.trim() : "";
  if (shopId === "") return { ok: false, errors: [{ field: "shopId", message: "Choose a shop." }] };
  const opened = await openTikTok(runtime, shop, now);
  if (!opened.ok) return { ok: false, errors: [{ field: "shopId", message: opened.reason }] };
  const shops = await readTikTokShops(opened.fetch, opened.auth, now);
  if (!shops.ok) {
    if (shops.reconnect) await markedForReconnect(runtime, shop, "tiktok", shops.reason, now);
    return { ok: false, errors: [{ field: "shopId", message: shops.reason }] };
  }
  const chosen = shops.items.find((candidate) => candidate.id === shopId);
  if (!chosen) return { ok: false, errors: [{ field: "shopId", message: "TikTok does not list this shop for the authorised seller; reload the page and choose again." }] };
  const warning = await applyShopSelection(runtime, shop, { settings: opened.settings, chosen, shops: shops.items, auth: opened.auth, fetch: opened.fetch, now });
  return { ok: true, message: warning ? `Publishing to ${chosen.name}, but ${warning}` : `Publishing to ${chosen.name}` };
}

/** Reads the selected shop's warehouses again (one added in Seller Center after connecting). */
export async function reloadTikTokWarehouses(runtime: Runtime, shop: string, now: Date = new Date()): Promise<ConnectionActionResult> {
  const opened = await openTikTok(runtime, shop, now);
  if (!opened.ok) return { ok: false, errors: [{ field: "warehouseMap", message: opened.reason }] };
  const { shopCipher } = opened.settings;
  if (!shopCipher) return { ok: false, errors: [{ field: "shopId", message: "Choose the TikTok shop first." }] };
  const warehouses = await readTikTokWarehouses(opened.fetch, { ...opened.auth, shopCipher }, now);
  if (!warehouses.ok) {
    if (warehouses.reconnect) await markedForReconnect(runtime, shop, "tiktok", warehouses.reason, now);
    return { ok: false, errors: [{ field: "warehouseMap", message: warehouses.reason }] };
  }
  await mergeConnectionSettings(runtime.db.sql, shop, "tiktok", { warehouses: warehouses.items });
  const count = warehouses.items.length;
  return { ok: true, message: `${count} ${count === 1 ? "warehouse" : "warehouses"} listed` };
}

// ─── TikTok Shop: mappings ───────────────────────────────────────────────────────────────────────

const MappingsSchema = z.object({
  warehouseMap: z.record(
    z.string().startsWith("gid://shopify/Location/", "Warehouses are mapped from Shopify locations."),
    z.string({ error: "Choose a warehouse." }).trim().min(1, "Choose a warehouse."),
  ),
  categoryMap: z.record(
    z.string().startsWith("gid://shopify/", "Categories are mapped from Shopify taxonomy categories."),
    z
      .string({ error: "Enter a TikTok category id." })
      .trim()
      .min(1, "Enter a TikTok category id.")
      .regex(TIKTOK_SHOP_SPEC.categoryIdPattern, "A TikTok category id is a number such as 601226 (use Suggest, or copy it from Seller Center)."),
  ),
});

/**
 * Saves Shopify location → TikTok warehouse and Shopify category → TikTok leaf category (ids must
 * be non-empty; a warehouse must be one the shop lists). Leave a location or category out to unmap it.
 */
export async function saveTikTokMappings(runtime: Runtime, shop: string, input: { warehouseMap: unknown; categoryMap: unknown }): Promise<ConnectionActionResult> {
  const parsed = MappingsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const row = await getChannelConnection(runtime.db.sql, shop, "tiktok");
  const settings = row ? tiktokSettingsOf(row) : null;
  if (!row || !settings) return { ok: false, errors: [{ field: "form", message: "Connect TikTok Shop first." }] };
  if (!settings.shopId) return { ok: false, errors: [{ field: "shopId", message: "Choose the TikTok shop first: warehouses belong to a shop." }] };
  const known = new Set(settings.warehouses.map((warehouse) => warehouse.id));
  const errors: FieldError[] = [];
  if (known.size > 0) {
    for (const [location, warehouse] of Object.entries(parsed.data.warehouseMap)) {
      if (!known.has(warehouse)) errors.push({ field: `warehouseMap.${location}`, message: `Warehouse ${warehouse} is not one of ${settings.shopName ?? "the shop"}'s warehouses; reload the warehouses.` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  // The pair on TikTok's default warehouse goes first (it becomes the default); otherwise the order given.
  const defaults = new Set(settings.warehouses.filter((warehouse) => warehouse.isDefault).map((warehouse) => warehouse.id));
  const warehouseMap = Object.entries(parsed.data.warehouseMap)
    .map(([locationId, warehouseId]) => ({ locationId, warehouseId }))
    .sort((a, b) => Number(defaults.has(b.warehouseId)) - Number(defaults.has(a.warehouseId)));
  await mergeConnectionSettings(runtime.db.sql, shop, "tiktok", { warehouseMap, categoryMap: parsed.data.categoryMap });
  const locations = warehouseMap.length;
  const categories = Object.keys(parsed.data.categoryMap).length;
  return { ok: true, message: `Saved ${locations} ${locations === 1 ? "location" : "locations"} and ${categories} ${categories === 1 ? "category" : "categories"}` };
}

export type RecommendCategoryResult = { ok: true; leafCategoryId: string; title: string; message: string } | { ok: false; message: string };

/**
 * TikTok's own suggestion of a leaf category, from a product title: the fallback for a Shopify
 * category nobody mapped. Given a Shopify category id, one of its products' titles is used.
 */
export async function recommendCategory(runtime: Runtime, shop: string, input: { categoryId?: unknown; title?: unknown }, now: Date = new Date()): Promise<RecommendCategoryResult> {
  let title = typeof input.title === "string" ? input.title.trim() : "";
  if (title === "" && typeof input.categoryId === "string" && input.categoryId !== "") {
    title = (await sampleTitleInCategory(runtime.db.sql, shop, input.categoryId)) ?? "";
    if (title === "") return { ok: false, message: "No product of the catalog is in this category, so there is no title to ask TikTok about." };
  }
  if (title === "") return { ok: false, message: "Give a product title or a Shopify category." };
  const opened = await openTikTok(runtime, shop, now);
  if (!opened.ok) return { ok: false, message: opened.reason };
  const { shopCipher } = opened.settings;
  if (!shopCipher) return { ok: false, message: "Choose the TikTok shop first: categories depend on the shop's region." };
  const leaf = await recommendTikTokCategory(opened.fetch, { ...opened.auth, shopCipher }, title);
  if (!leaf) return { ok: false, message: `TikTok had no category to suggest for “${title}”.` };
  return { ok: true, leafCategoryId: leaf, title, message: `TikTok suggests category ${leaf} for “${title}”` };
}

// ─── Both channels ───────────────────────────────────────────────────────────────────────────────

const ChannelSchema = z.enum(["meta", "tiktok"], { error: "Unknown channel." });

export async function disconnectChannel(runtime: Runtime, shop: string, channel: unknown): Promise<ConnectionActionResult> {
  const parsed = ChannelSchema.safeParse(channel);
  if (!parsed.success) return { ok: false, errors: [{ field: "channel", message: "Unknown channel." }] };
  const removed = await deleteChannelConnection(runtime.db.sql, shop, parsed.data);
  return { ok: true, message: removed ? `${CHANNEL_LABEL[parsed.data]} disconnected` : `${CHANNEL_LABEL[parsed.data]} was not connected` };
}

/** Flags a connection whose credentials the channel refused (a publisher's ReconnectError). */
export async function markConnectionReconnect(runtime: Runtime, shop: string, channel: PublishChannel, reason: string, now: Date = new Date()): Promise<void> {
  const row = await getChannelConnection(runtime.db.sql, shop, channel);
  if (!row) return;
  const secrets = row.secretsCiphertext ? decryptSecrets<Record<string, string | undefined>>(runtime, row, z.record(z.string(), z.string().optional())) : null;
  const scrubbed = scrubSecrets(reason, secrets?.ok ? Object.values(secrets.secrets) : []);
  await updateConnectionStatus(runtime.db.sql, shop, channel, { status: "reconnect", lastError: scrubbed, checkedAt: now });
}

/**
 * The decrypted connection for one publish job. TikTok's access token is refreshed first when it
 * expires within 24 hours. `reconnect` says the merchant must act (a token refused or expired).
 */
export async function loadPublishConnection(
  runtime: Runtime,
  shop: string,
  channel: PublishChannel,
  now: Date,
  /** TikTok: refresh the access token even though it should still be valid (TikTok called it expired). */
  options: { forceRefresh?: boolean } = {},
): Promise<{ ok: true; connection: MetaConnection | TikTokConnection } | { ok: false; reason: string; reconnect: boolean }> {
  if (channel === "meta") {
    const row = await getChannelConnection(runtime.db.sql, shop, "meta");
    const settings = row ? metaSettingsOf(row) : null;
    if (!row || !settings) return { ok: false, reason: "Meta is not connected: add the catalog and token in Settings → Channels.", reconnect: false };
    if (row.status === "reconnect") return { ok: false, reason: row.lastError ?? "Meta refused the token: save a new one in Settings → Channels.", reconnect: true };
    const secrets = decryptSecrets(runtime, row, MetaSecretsSchema);
    if (!secrets.ok) return markedForReconnect(runtime, shop, "meta", secrets.reason, now);
    return { ok: true, connection: { channel: "meta", catalogId: settings.catalogId, businessId: settings.businessId, token: secrets.secrets.token } };
  }
  const opened = await openTikTok(runtime, shop, now, options);
  if (!opened.ok) return opened;
  const { shopCipher, warehouseMap } = opened.settings;
  if (!shopCipher) return { ok: false, reason: "Choose the TikTok shop to publish to in Settings → Channels.", reconnect: false };
  if (warehouseMap.length === 0) {
    return { ok: false, reason: "Map at least one Shopify location to a TikTok warehouse in Settings → Channels (stock is sent per warehouse).", reconnect: false };
  }
  return {
    ok: true,
    connection: { channel: "tiktok", appKey: opened.auth.appKey, appSecret: opened.auth.appSecret, accessToken: opened.auth.accessToken, shopCipher,
      warehouseMap: Object.fromEntries(warehouseMap.map((pair) => [pair.locationId, pair.warehouseId])),
    },
  };
}

// ─── What the page may see ───────────────────────────────────────────────────────────────────────

interface SummaryBase {
  status: ConnectionStatus;
  /** One line naming what is connected: the catalog, or the TikTok shop. */
  detail: string | null;
  /** The last four characters of Meta's token or TikTok's app secret. */
  hint: string | null;
  accessExpiresAt: string | null;
  refreshExpiresAt: string | null;
  lastCheckedAt: string | null;
  lastError: string | null;
}

export interface MetaConnectionSummary extends SummaryBase {
  channel: "meta";
  catalogName: string | null;
  /** `region` is always null: a Meta catalog serves every market (the same key as TikTok's, for callers that read either). */
  settings: { catalogId: string; businessId: string | null; productCount: number | null; region: null };
}

export interface TikTokConnectionSummary extends SummaryBase {
  channel: "tiktok";
  shopName: string | null;
  settings: {
    appKey: string;
    sellerName: string | null;
    shopId: string | null;
    region: string | null;
    shops: { id: string; name: string; region: string }[];
    warehouses: TikTokWarehouseChoice[];
    /** In order: the first pair is the default warehouse. */
    warehouseMap: { locationId: string; warehouseId: string }[];
    categoryMap: Record<string, string>;
  };
}

export type ConnectionSummary = MetaConnectionSummary | TikTokConnectionSummary;

/** Browser-safe: no secret, no ciphertext, no OAuth state, no shop cipher. */
export async function listConnectionSummaries(runtime: Runtime, shop: string): Promise<ConnectionSummary[]> {
  const rows = await listChannelConnections(runtime.db.sql, shop);
  return rows.flatMap((row): ConnectionSummary[] => {
    const base: Omit<SummaryBase, "detail"> = {
      status: row.status,
      hint: row.secretHint,
      accessExpiresAt: row.accessExpiresAt?.toISOString() ?? null,
      refreshExpiresAt: row.refreshExpiresAt?.toISOString() ?? null,
      lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
      lastError: row.lastError,
    };
    if (row.channel === "meta") {
      const settings = metaSettingsOf(row);
      if (!settings) return [];
      return [
        {
          ...base,
          channel: "meta",
          detail: metaDetail(settings),
          catalogName: settings.catalogName,
          settings: { catalogId: settings.catalogId, businessId: settings.businessId, productCount: settings.productCount, region: null },
        },
      ];
    }
    const settings = tiktokSettingsOf(row);
    if (!settings) return [];
    return [
      {
        ...base,
        channel: "tiktok",
        detail: tiktokDetail(row.status, settings),
        shopName: settings.shopName,
        settings: {
          appKey: settings.appKey,
          sellerName: settings.sellerName,
          shopId: settings.shopId,
          region: settings.region,
          shops: settings.shops.map(({ id, name, region }) => ({ id, name, region })),
          warehouses: settings.warehouses,
          warehouseMap: settings.warehouseMap,
          categoryMap: settings.categoryMap,
        },
      },
    ];
  });
}

function metaDetail(settings: MetaSettings): string {
  if (!settings.catalogName) return `Catalog ${settings.catalogId}`;
  const count = settings.productCount === null ? "" : ` (${settings.productCount.toLocaleString("en-US")} ${settings.productCount === 1 ? "product" : "products"})`;
  return `Catalog “${settings.catalogName}”${count}`;
}

function tiktokDetail(status: ConnectionStatus, settings: TikTokSettings): string {
  if (settings.shopName) return `${settings.shopName}${settings.region ? ` (${settings.region})` : ""}`;
  if (status === "pending") return "Waiting for the seller's authorisation";
  return `${settings.sellerName ?? "Seller"} authorised; no shop chosen yet`;
}

export interface TikTokMappingChoices {
  locations: CatalogLocation[];
  categories: CatalogCategory[];
  /** Products without a Shopify category: only the recommendation can place them. */
  uncategorised: number;
}

/** The rows of the mapping tables: the catalog's Shopify locations and categories. */
export async function loadTikTokMappingChoices(runtime: Runtime, shop: string): Promise<TikTokMappingChoices> {
  const [locations, { categories, uncategorised }] = await Promise.all([listCatalogLocations(runtime.db.sql, shop), listCatalogCategories(runtime.db.sql, shop)]);
  return { locations, categories, uncategorised };
}

/**
 * The Shopify shops whose TikTok connection signed this webhook: TikTok names its own shop id, and
 * each connection to that shop is tried with its app key and secret (decrypted here, never returned).
 * An empty list means the signature matches no connection.
 */
export async function shopsVerifyingTikTokWebhook(runtime: Runtime, tiktokShopId: string, rawBody: string, authorization: string | null): Promise<string[]> {
  const verified: string[] = [];
  for (const row of await findTikTokByShopId(runtime.db.sql, tiktokShopId)) {
    const settings = tiktokSettingsOf(row);
    const secrets = decryptSecrets(runtime, row, TikTokSecretsSchema);
    if (!settings || !secrets.ok) continue;
    if (verifyTikTokWebhook({ appKey: settings.appKey, appSecret: secrets.secrets.appSecret, rawBody, authorization })) verified.push(row.shop);
  }
  return verified;
}
