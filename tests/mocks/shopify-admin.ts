import { HttpResponse, http } from "msw";

/**
 * Shopify Admin API as this machine cannot reach it. Modelled on ../shared/specs/shopify-platform.md:
 * GraphQL answers carry `extensions.cost.throttleStatus`, and the token-exchange endpoint answers
 * the way Shopify documents. Catalog operations are added by the ingest work.
 */
export const ADMIN_GRAPHQL = "https://:shop/admin/api/:version/graphql.json";

export function throttleExtensions(requested = 2, available = 1998) {
  return {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: requested,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
    },
  };
}

export function shopifyAdminHandlers() {
  return [
    http.post("https://:shop/admin/oauth/access_token", async ({ params, request }) => {
      const body = (await request.json().catch(() => null)) as Record<string, string> | null;
      if (!body?.subject_token) {
        return HttpResponse.json({ error: "invalid_request", error_description: "subject_token is required" }, { status: 400 });
      }
      const offline = body.requested_token_type?.endsWith("offline-access-token");
      return HttpResponse.json({
        access_token: `shpat_${String(params.shop).replace(/\W/g, "")}_${offline ? "offline" : "online"}`,
        scope: "read_products,read_inventory,read_locations",
        ...(offline ? {} : { expires_in: 86399, associated_user_scope: "read_products", associated_user: { id: 1, first_name: "Test", last_name: "User", email: "test@example.com", account_owner: true, locale: "en", collaborator: false, email_verified: true } }),
      });
    }),
  ];
}
