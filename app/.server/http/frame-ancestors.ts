/**
 * Clickjacking protection for every HTML response: only the authenticated shop's admin may frame
 * Shelfcast. Shopify's own helper omits the header when the request names no shop and allows
 * wildcard dev hosts; we send `'none'` instead and list exactly two origins
 * (docs/decisions/0006-frame-ancestors.md).
 */
const SHOP_DOMAIN = /^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$/;

export function sanitizeShopDomain(value: string | null | undefined): string | null {
  if (!value) return null;
  const shop = value.trim().toLowerCase();
  return SHOP_DOMAIN.test(shop) ? shop : null;
}

export function frameAncestorsPolicy(shop: string | null): string {
  return shop ? `frame-ancestors https://${shop} https://admin.shopify.com;` : "frame-ancestors 'none';";
}
