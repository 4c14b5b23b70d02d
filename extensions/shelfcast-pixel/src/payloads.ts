/**
 * Each platform's parameters, built from the neutral Commerce shape. The plan names the parameters a
 * destination gets; this module knows how each platform spells and shapes them (Meta `contents[].id`,
 * TikTok `contents[].content_id`, Pinterest `line_items[].product_id`, GA4 `items[].item_id`).
 * Parameters the plan names but this table does not know are left out: the plan checker reports them.
 */
import type { MoneyV2 } from "@shopify/web-pixels-extension";
import type { Commerce, CommerceLine } from "./commerce";
import type { PixelDestination, PixelPlatform, Platform } from "./plan";

interface BuildContext {
  commerce: Commerce;
  /** The MoneyV2 for the destination's value definition: `value` and `currency` both come from it. */
  value: MoneyV2 | null;
  contentType: PixelPlatform["contentType"];
  page: PageInfo;
}

/** The page the event happened on (GA4 page_view). */
export interface PageInfo {
  location: string;
  title: string;
}

type Producer = (context: BuildContext) => unknown;

function contentId(line: CommerceLine, context: BuildContext): string | null {
  return context.contentType === "product_group" ? line.groupId : line.itemId;
}

function contentIds(context: BuildContext): string[] | undefined {
  const ids = new Set<string>();
  for (const line of context.commerce.lines) {
    const id = contentId(line, context);
    if (id !== null) ids.add(id);
  }
  return ids.size > 0 ? [...ids] : undefined;
}

function mapLines<T>(context: BuildContext, shape: (line: CommerceLine, id: string) => T): T[] | undefined {
  const shaped: T[] = [];
  for (const line of context.commerce.lines) {
    const id = contentId(line, context);
    if (id !== null) shaped.push(shape(line, id));
  }
  return shaped.length > 0 ? shaped : undefined;
}

function totalQuantity(context: BuildContext): number | undefined {
  const lines = context.commerce.lines;
  return lines.length > 0 ? lines.reduce((sum, line) => sum + line.quantity, 0) : undefined;
}

const value: Producer = (context) => context.value?.amount;
const currency: Producer = (context) => context.value?.currencyCode;
const orderId: Producer = (context) => context.commerce.orderId ?? undefined;
const searchQuery: Producer = (context) => context.commerce.searchQuery;
const money = (pick: (commerce: Commerce) => MoneyV2 | null | undefined): Producer => (context) => pick(context.commerce)?.amount;

const PRODUCERS: Record<Platform, Record<string, Producer>> = {
  meta: {
    content_ids: contentIds,
    content_type: (context) => context.contentType,
    contents: (context) => mapLines(context, (line, id) => ({ id, quantity: line.quantity, item_price: line.price ?? undefined })),
    num_items: totalQuantity,
    value,
    currency,
    order_id: orderId,
    search_string: searchQuery,
  },
  tiktok: {
    content_ids: contentIds,
    content_type: (context) => context.contentType,
    contents: (context) =>
      mapLines(context, (line, id) => ({ content_id: id, content_type: context.contentType, content_name: line.name ?? undefined, quantity: line.quantity, price: line.price ?? undefined })),
    value,
    currency,
    order_id: orderId,
    search_string: searchQuery,
  },
  pinterest: {
    line_items: (context) =>
      mapLines(context, (line, id) => ({
        product_id: id,
        product_name: line.name ?? undefined,
        product_price: line.price ?? undefined,
        product_quantity: line.quantity,
        product_brand: line.brand ?? undefined,
        product_category: line.category ?? undefined,
      })),
    value,
    currency,
    order_quantity: totalQuantity,
    order_id: orderId,
    search_query: searchQuery,
    product_category: (context) => context.commerce.list?.name,
  },
  ga4: {
    items: (context) =>
      mapLines(context, (line, id) => ({
        item_id: id,
        item_name: line.name ?? undefined,
        item_brand: line.brand ?? undefined,
        item_category: line.category ?? undefined,
        item_variant: line.variantTitle ?? undefined,
        price: line.price ?? undefined,
        quantity: line.quantity,
      })),
    value,
    currency,
    transaction_id: orderId,
    tax: money((commerce) => commerce.tax),
    shipping: money((commerce) => commerce.shipping),
    coupon: (context) => context.commerce.coupon ?? undefined,
    search_term: searchQuery,
    item_list_id: (context) => context.commerce.list?.id,
    item_list_name: (context) => context.commerce.list?.name,
    shipping_tier: (context) => context.commerce.shippingTier ?? undefined,
    payment_type: (context) => context.commerce.paymentType ?? undefined,
    page_location: (context) => context.page.location,
    page_title: (context) => context.page.title,
  },
};

/** The parameters of one destination event; absent values are left out rather than sent empty. */
export function buildParameters(destination: PixelDestination, platform: PixelPlatform, commerce: Commerce, page: PageInfo): Record<string, unknown> {
  const context: BuildContext = {
    commerce,
    value: destination.valueDefinition === "none" ? null : (commerce.money[destination.valueDefinition] ?? null),
    contentType: platform.contentType,
    page,
  };
  const producers = PRODUCERS[destination.platform];
  const parameters: Record<string, unknown> = {};
  for (const name of destination.parameters) {
    const produce = producers[name];
    const produced = produce === undefined ? undefined : produce(context);
    if (produced !== undefined && produced !== null) parameters[name] = produced;
  }
  return parameters;
}
