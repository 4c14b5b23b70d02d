import { readGraphql, type AdminGraphql } from "../admin-client";

/** What Shelfcast needs to know about a shop once, at install: its currency and time zone feed every channel. */
export const SHOP_PROFILE_QUERY = `#graphql
  query ShopProfile {
    shop {
      name
      myshopifyDomain
      currencyCode
      ianaTimezone
    }
  }
`;

export interface ShopProfile {
  name: string;
  myshopifyDomain: string;
  currencyCode: string;
  ianaTimezone: string;
}

export async function fetchShopProfile(graphql: AdminGraphql): Promise<ShopProfile> {
  const data = await readGraphql<{ shop: ShopProfile }>("ShopProfile", await graphql(SHOP_PROFILE_QUERY));
  return data.shop;
}
