/**
 * Turns Shopify's event payloads into one platform-neutral shape: the lines (with catalog ids made
 * by the same id scheme as the feeds) and the money behind each definition of `value`. Payload
 * builders (payloads.ts) read only this shape, so every platform gets the same ids and amounts.
 */
import type { Cart, CartLine, Checkout, MoneyV2, ProductVariant } from "@shopify/web-pixels-extension";
// The feeds' own id primitives, bundled into the pixel, so content ids and catalog ids cannot drift.
import { isIdSafe, numericId } from "../../../app/domain/channels/id-scheme";
import type { IdSchemeName } from "../../../app/domain/channels/types";
import type { ValueDefinition } from "./plan";

export interface IdContext {
  scheme: IdSchemeName;
  /** Country of the market the shopify-channel scheme puts in its ids ("US"). */
  country: string;
}

export interface CommerceLine {
  /** Catalog item id (variant level) under the plan's id scheme; null when Shopify sent no variant id. */
  itemId: string | null;
  /** Catalog group id (product level). */
  groupId: string | null;
  name: string | null;
  variantTitle: string | null;
  brand: string | null;
  category: string | null;
  /** Unit price in `currency`. */
  price: number | null;
  currency: string | null;
  quantity: number;
}

export interface Commerce {
  lines: CommerceLine[];
  /** The MoneyV2 behind each value definition: value and currency always come from the same one. */
  money: Partial<Record<ValueDefinition, MoneyV2>>;
  orderId?: string | null;
  searchQuery?: string;
  list?: { id: string; name: string };
  shippingTier?: string | null;
  paymentType?: string | null;
  tax?: MoneyV2 | null;
  shipping?: MoneyV2 | null;
  coupon?: string | null;
}

export const NO_COMMERCE: Commerce = { lines: [], money: {} };

/**
 * Shopify sends ids as GIDs ("gid://shopify/Order/123") on some stores and as bare numbers on others
 * (Shopify/cli#1630), whatever the type says; normalise both to the numeric string the feeds use.
 */
export function normaliseId(id: string | number | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const text = numericId(String(id)).trim();
  return text === "" ? null : text;
}

function itemId(variant: ProductVariant, ids: IdContext): string | null {
  const variantId = normaliseId(variant.id);
  if (variantId === null) return null;
  if (ids.scheme === "sku") {
    const sku = variant.sku?.trim() ?? "";
    return sku !== "" && isIdSafe(sku) ? sku : variantId;
  }
  if (ids.scheme === "shopify-channel") return `shopify_${ids.country}_${normaliseId(variant.product.id) ?? ""}_${variantId}`;
  return variantId;
}

function groupId(variant: ProductVariant, ids: IdContext): string | null {
  const productId = normaliseId(variant.product.id);
  if (productId === null) return null;
  return ids.scheme === "shopify-channel" ? `shopify_${ids.country}_${productId}` : productId;
}

export function lineFromVariant(variant: ProductVariant, quantity: number, ids: IdContext): CommerceLine {
  return {
    itemId: itemId(variant, ids),
    groupId: groupId(variant, ids),
    name: variant.product.title,
    variantTitle: variant.title,
    brand: variant.product.vendor,
    category: variant.product.type,
    price: variant.price.amount,
    currency: variant.price.currencyCode,
    quantity,
  };
}

export function fromVariant(variant: ProductVariant, ids: IdContext): Commerce {
  return { lines: [lineFromVariant(variant, 1, ids)], money: { unit_price: variant.price, line_total: variant.price, subtotal: variant.price } };
}

export function fromVariantList(variants: readonly ProductVariant[], ids: IdContext): Commerce {
  return { lines: variants.map((variant) => lineFromVariant(variant, 1, ids)), money: {} };
}

export function fromCartLine(cartLine: CartLine | null, ids: IdContext): Commerce {
  if (cartLine === null) return NO_COMMERCE;
  const total = cartLine.cost.totalAmount;
  return {
    lines: [lineFromVariant(cartLine.merchandise, cartLine.quantity, ids)],
    money: { unit_price: cartLine.merchandise.price, line_total: total, subtotal: total },
  };
}

export function fromCart(cart: Cart | null, ids: IdContext): Commerce {
  if (cart === null) return NO_COMMERCE;
  return {
    lines: cart.lines.map((line) => lineFromVariant(line.merchandise, line.quantity, ids)),
    money: { subtotal: cart.cost.totalAmount, total: cart.cost.totalAmount },
  };
}

function discountCode(checkout: Checkout): string | null {
  const codes = checkout.discountApplications.filter((discount) => discount.type === "DISCOUNT_CODE").map((discount) => discount.title);
  return codes.length > 0 ? codes.join(",") : null;
}

export function fromCheckout(checkout: Checkout, ids: IdContext): Commerce {
  const lines: CommerceLine[] = [];
  for (const lineItem of checkout.lineItems) {
    if (lineItem.variant !== null) lines.push(lineFromVariant(lineItem.variant, lineItem.quantity, ids));
  }
  const money: Commerce["money"] = {};
  if (checkout.subtotalPrice !== null) money.subtotal = checkout.subtotalPrice;
  if (checkout.totalPrice !== null) money.total = checkout.totalPrice;
  return {
    lines,
    money,
    tax: checkout.totalTax,
    shipping: checkout.shippingLine?.price ?? null,
    coupon: discountCode(checkout),
    shippingTier: checkout.delivery?.selectedDeliveryOptions[0]?.title ?? null,
    paymentType: checkout.transactions[0]?.paymentMethod.name ?? null,
  };
}
