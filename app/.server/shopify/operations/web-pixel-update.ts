import type { AdminApi } from "../graphql-client";
import type { WebPixelWriteResult } from "./web-pixel-user-error";

/** Replaces the settings of the app's web pixel (all of them: Shopify does not merge). */
export const WEB_PIXEL_UPDATE_MUTATION = `#graphql
  mutation WebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
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

interface WebPixelUpdateData {
  webPixelUpdate: WebPixelWriteResult | null;
}

export async function updateWebPixel(api: AdminApi, id: string, settings: Record<string, string>): Promise<WebPixelWriteResult> {
  const data = await api.request<WebPixelUpdateData>("WebPixelUpdate", WEB_PIXEL_UPDATE_MUTATION, { id, webPixel: { settings: JSON.stringify(settings) } });
  return data.webPixelUpdate ?? { webPixel: null, userErrors: [] };
}
