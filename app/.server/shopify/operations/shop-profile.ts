import { readGraphql, type AdminGraphql } from "../admin-client";

/**
 * What Shelfcast needs to know about a shop once, at install: its currency, time zone, country and
 * storefront domain feed every channel (prices, dates, the default market, item links).
 */
export const SHOP_PROFILE_QUERY = `#graphql
  query ShopProfile {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
      primaryDomain {
        url
      }
      billingAddress {
        countryCodeV2
      }
    }
  }
`;

export interface ShopProfile {
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  ianaTimezone: string;
  /** The storefront's public base URL (the primary domain), used for item links. */
  primaryDomain: { url: string };
  billingAddress: { countryCodeV2: string | null };
}

export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const data = await readGraphql<{ shop: ShopProfile }>("ShopProfile", await graphql(SHOP_PROFILE_QUERY));
  return data.shop;
}
