/**
 * Shelfcast's web pixel. It subscribes to the Shopify standard events the tracking plan maps, turns
 * each into every mapped platform's event (Meta, TikTok, Pinterest, GA4) and posts them, with the
 * visitor's consent, to Shelfcast's collector (`${collectorUrl}/pixel/collect`). The collector keeps
 * a debug log and, when the merchant has configured it, forwards server-side to Meta's Conversions
 * API, TikTok's Events API and Pinterest's CAPI, gated by the same consent.
 *
 * Deduplication: every platform copy of one business event carries one event id: Shopify's event
 * `id`, except for purchases, which carry the order id (normalised from GID or number), so browser
 * and server copies of the same order collapse on every platform.
 *
 * Consent: the TOML declares analytics + marketing, so Shopify loads the pixel only with both; the
 * pixel still gates each platform on its own purpose with `init.customerPrivacy` and every
 * `visitorConsentCollected` change, and flags limited data use when sale of data is refused.
 *
 * Settings (shopify.extension.toml [settings]): collectorUrl, shop, and plan (JSON from
 * app/domain/tracking/extension-plan.ts; empty means the embedded default, see plan.ts).
 */
import { register } from "@shopify/web-pixels-extension";
import { fromCart, fromCartLine, fromCheckout, fromVariant, fromVariantList, normaliseId, NO_COMMERCE, type Commerce, type IdContext } from "./commerce";
import { consentFrom, purposeAllowed } from "./consent";
import { buildParameters } from "./payloads";
import { resolvePlan, type PixelDestination, type PixelPlatform } from "./plan";

/**
 * The body POST /pixel/collect accepts (CollectBodySchema in
 * app/.server/services/tracking/collect-pixel-event.ts): one entry per platform copy, all carrying
 * the business event's one id. `shopifyEvent` and `limitedDataUse` are extra keys the collector may
 * read; it ignores keys it does not know.
 */
export interface CollectorEvent {
  platform: PixelDestination["platform"];
  eventName: string;
  eventId: string;
  params: Record<string, unknown>;
  time: string;
  consent: { marketing: boolean; analytics: boolean; saleOfData: boolean };
  url: string;
  clientId: string;
  shopifyEvent: string;
  /** Sale of data refused: forward with Meta LDU / Pinterest opt_out, or not at all. */
  limitedDataUse: boolean;
}

export interface CollectorBody {
  shop: string;
  events: CollectorEvent[];
}

interface EventBase {
  id: string;
  clientId: string;
  timestamp: string;
  context: { document: { location: { href: string; origin: string; pathname: string }; title: string } };
}

function stringSetting(settings: Record<string, unknown>, key: string): string {
  const raw = settings[key];
  return typeof raw === "string" ? raw.trim() : "";
}

register(({ analytics, init, settings, customerPrivacy }) => {
  const plan = resolvePlan(settings.plan);
  const collectorUrl = stringSetting(settings, "collectorUrl").replace(/\/+$/, "");
  const shop = stringSetting(settings, "shop") || init.data.shop.myshopifyDomain;
  const ids: IdContext = { scheme: plan.idScheme, country: init.data.shop.countryCode };
  const platforms = new Map<string, PixelPlatform>(plan.platforms.map((platform) => [platform.platform, platform]));
  const destinationsByEvent = new Map<string, readonly PixelDestination[]>(plan.events.map((event) => [event.shopifyEvent, event.destinations]));

  // Consent at render, then every change the visitor makes on the page.
  let consent = consentFrom(init.customerPrivacy);
  customerPrivacy.subscribe("visitorConsentCollected", (event) => {
    consent = consentFrom(event.customerPrivacy);
  });

  function send(shopifyEvent: string, event: EventBase, eventId: string, commerce: Commerce): void {
    const planned = destinationsByEvent.get(shopifyEvent);
    if (planned === undefined || collectorUrl === "") return;
    const location = event.context.document.location;
    // GA4 caps page_location at 1,000 characters; the collector's `url` never needs the query string
    // (it can carry emails and click ids), so only the page's address leaves the browser there.
    const page = { location: location.href.slice(0, 1000), title: event.context.document.title };
    const shared = {
      eventId,
      time: event.timestamp,
      consent: { marketing: consent.marketing, analytics: consent.analytics, saleOfData: consent.saleOfData },
      url: `${location.origin}${location.pathname}`,
      clientId: event.clientId,
      shopifyEvent,
      limitedDataUse: !consent.saleOfData,
    };
    const events: CollectorEvent[] = [];
    for (const destination of planned) {
      const platform = platforms.get(destination.platform);
      if (platform === undefined || !purposeAllowed(consent, platform.purpose)) continue;
      events.push({ ...shared, platform: destination.platform, eventName: destination.eventName, params: buildParameters(destination, platform, commerce, page) });
    }
    if (events.length === 0) return;
    const body: CollectorBody = { shop, events };
    // text/plain keeps the POST a simple request (no CORS preflight), which suits keepalive requests
    // that must survive a navigation; the body is JSON all the same.
    fetch(`${collectorUrl}/pixel/collect`, {
      method: "POST",
      keepalive: true,
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify(body),
    }).catch(() => {
      // Tracking must never break the storefront; the collector's log shows what arrived.
    });
  }

  analytics.subscribe("page_viewed", (event) => {
    send("page_viewed", event, event.id, NO_COMMERCE);
  });

  analytics.subscribe("collection_viewed", (event) => {
    const commerce = fromVariantList(event.data.collection.productVariants, ids);
    commerce.list = { id: normaliseId(event.data.collection.id) ?? event.data.collection.id, name: event.data.collection.title };
    send("collection_viewed", event, event.id, commerce);
  });

  analytics.subscribe("search_submitted", (event) => {
    const commerce = fromVariantList(event.data.searchResult.productVariants, ids);
    commerce.searchQuery = event.data.searchResult.query;
    send("search_submitted", event, event.id, commerce);
  });

  analytics.subscribe("product_viewed", (event) => {
    send("product_viewed", event, event.id, fromVariant(event.data.productVariant, ids));
  });

  analytics.subscribe("product_added_to_cart", (event) => {
    send("product_added_to_cart", event, event.id, fromCartLine(event.data.cartLine, ids));
  });

  analytics.subscribe("product_removed_from_cart", (event) => {
    send("product_removed_from_cart", event, event.id, fromCartLine(event.data.cartLine, ids));
  });

  analytics.subscribe("cart_viewed", (event) => {
    send("cart_viewed", event, event.id, fromCart(event.data.cart, ids));
  });

  analytics.subscribe("checkout_started", (event) => {
    send("checkout_started", event, event.id, fromCheckout(event.data.checkout, ids));
  });

  analytics.subscribe("checkout_shipping_info_submitted", (event) => {
    send("checkout_shipping_info_submitted", event, event.id, fromCheckout(event.data.checkout, ids));
  });

  analytics.subscribe("payment_info_submitted", (event) => {
    send("payment_info_submitted", event, event.id, fromCheckout(event.data.checkout, ids));
  });

  analytics.subscribe("checkout_completed", (event) => {
    // The order id exists only on this event; it is the purchase's dedupe key on every platform.
    const orderId = normaliseId(event.data.checkout.order?.id);
    const commerce = fromCheckout(event.data.checkout, ids);
    commerce.orderId = orderId;
    send("checkout_completed", event, orderId ?? event.id, commerce);
  });
});
