import type { AdminApi } from "../graphql-client";
import type { WebPixelWriteResult } from "./web-pixel-user-error";

/**
 * Activates the app's web pixel extension on the shop with its settings. Shopify checks `settings`
 * against [settings] in extensions/shelfcast-pixel/shopify.extension.toml and answers
 * INVALID_SETTINGS in `userErrors` when they do not match; a second create answers TAKEN.
 */
export const WEB_PIXEL_CREATE_MUTATION = `#graphql
  mutation WebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      webPixel {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

interface WebPixelCreateData {
  webPixelCreate: WebPixelWriteResult | null;
}

/** `settings` travels JSON-encoded, as Shopify's own examples send the JSON scalar. */
export async function createWebPixel(api: AdminApi, settings: Record<string, string>): Promise<WebPixelWriteResult> {
  const data = await api.request<WebPixelCreateData>("WebPixelCreate", WEB_PIXEL_CREATE_MUTATION, { webPixel: { settings: JSON.stringify(settings) } });
  return data.webPixelCreate ?? { webPixel: null, userErrors: [] };
}
