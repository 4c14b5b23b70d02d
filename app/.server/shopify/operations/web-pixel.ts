import { AdminApiError, type AdminApi } from "../graphql-client";

/**
 * The app's own web pixel on the shop. Without an `id`, `webPixel` answers the calling app's pixel;
 * a shop where the app never activated one answers a GraphQL error ("No web pixel was found for this
 * app.") rather than null, so that error is read as "none yet".
 */
export const WEB_PIXEL_QUERY = `#graphql
  query AppWebPixel {
    webPixel {
      id
      settings
    }
  }
`;

export interface WebPixel {
  id: string;
  /** The settings as stored; Shopify serialises the JSON scalar as a string. */
  settings: Record<string, unknown>;
}

interface WebPixelData {
  webPixel: { id: string; settings: unknown } | null;
}

const NOT_FOUND = /no web pixel was found|RESOURCE_NOT_FOUND/i;

/** The JSON scalar comes back as a JSON string on Shopify and may be an object elsewhere. */
export function readPixelSettings(settings: unknown): Record<string, unknown> {
  let value = settings;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return {};
    }
  }
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The pixel Shelfcast activated on this shop, or null when it has none yet. */
export async function fetchAppWebPixel(api: AdminApi): Promise<WebPixel | null> {
  try {
    const data = await api.request<WebPixelData>("AppWebPixel", WEB_PIXEL_QUERY);
    return data.webPixel ? { id: data.webPixel.id, settings: readPixelSettings(data.webPixel.settings) } : null;
  } catch (error) {
    if (error instanceof AdminApiError && error.kind === "graphql" && NOT_FOUND.test(error.message)) return null;
    throw error;
  }
}
