import { expect } from "vitest";
import { saveChannelMapping } from "../../app/.server/repositories/channel-settings";
import type { Runtime } from "../../app/.server/runtime";
import { completeTikTokAuthorization, saveMetaConnection, saveTikTokMappings, startTikTokAuthorization } from "../../app/.server/services/publishing/connections";
import type { MetaCatalogFake, TikTokShopFake } from "../../app/demo/channel-fakes";
import { demoChannelMappings } from "../../app/demo/demo-channel-rules";
import type { Product } from "../../app/domain/catalog/types";
import { buildCatalogProduct } from "./catalog";

/** The Shopify location every factory variant is stocked at (tests/factories/catalog.ts). */
export const STOCK_LOCATION = "gid://shopify/Location/1";
const SHIRTS = { id: "gid://shopify/TaxonomyCategory/aa-1-13-8", fullName: "Apparel & Accessories > Clothing > Shirts & Tops" };

export interface ShirtContent {
  title: string;
  price: string;
  quantity: number;
}

/**
 * A shirt every publishing channel takes as it is: a description, an image on Shopify's CDN, a
 * weight, the Shirts category the demo's TikTok rules map to a TikTok leaf category, one variant
 * per size. Retailer ids (variant-id scheme) are `${numericId}01`, `${numericId}02`, …
 */
export function buildPublishableShirt(numericId: number, content: ShirtContent, sizes: readonly string[] = ["One size"]): Product {
  return buildCatalogProduct(
    numericId,
    {
      title: content.title,
      handle: `shirt-${numericId}`,
      descriptionHtml: "<p>Organic cotton, regular fit, pre-shrunk.</p>",
      vendor: "Shelfcast Test",
      productType: "Shirts",
      category: SHIRTS,
      options: [{ name: "Size", position: 1, values: [...sizes] }],
      media: [{ id: `gid://shopify/MediaImage/${numericId}`, url: `https://cdn.shopify.com/s/files/shirts/shirt-${numericId % 15}.jpg`, altText: null, width: 1200, height: 1200 }],
    },
    sizes.map((size) => ({
      selectedOptions: [{ name: "Size", value: size }],
      title: size,
      price: content.price,
      availableQuantity: content.quantity,
      weight: 0.3,
      weightUnit: "KILOGRAMS",
    })),
  );
}

export interface ChannelCredentials {
  metaToken: string;
  tiktokAppKey: string;
  tiktokAppSecret: string;
}

/**
 * Connects a shop to the channel fakes through the real service flow, as a merchant does in Settings →
 * Channels: Meta's catalog and token; TikTok's app, the seller's consent (the fake's one-time code),
 * the shop TikTok lists, and the stock location mapped to TikTok's default warehouse. The demo's TikTok
 * mapping rules are saved too. The fakes must be reachable (useChannelFakes) and have faults off.
 */
export async function connectChannelFakes(runtime: Runtime, shop: string, fakes: { meta: MetaCatalogFake; tiktok: TikTokShopFake }, credentials: ChannelCredentials, now?: Date): Promise<void> {
  for (const entry of demoChannelMappings()) await saveChannelMapping(runtime.db.sql, shop, { ...entry, expectedRevision: 0 });
  expect(await saveMetaConnection(runtime, shop, { catalogId: fakes.meta.catalogId, businessId: fakes.meta.businessId, token: credentials.metaToken })).toMatchObject({ ok: true });
  const started = await startTikTokAuthorization(runtime, shop, { appKey: credentials.tiktokAppKey, appSecret: credentials.tiktokAppSecret }, now);
  if (!started.ok) throw new Error(`TikTok authorisation did not start: ${JSON.stringify(started.errors)}`);
  const state = new URL(started.authorizeUrl).searchParams.get("state");
  expect(await completeTikTokAuthorization(runtime, { state, code: fakes.tiktok.issueAuthCode() }, now)).toMatchObject({ ok: true });
  const warehouse = fakes.tiktok.warehouses.find((candidate) => candidate.is_default)?.id ?? "";
  expect(await saveTikTokMappings(runtime, shop, { warehouseMap: { [STOCK_LOCATION]: warehouse }, categoryMap: {} })).toMatchObject({ ok: true });
}
