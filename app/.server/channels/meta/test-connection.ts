import { z } from "zod";
import { classifyMetaResponse, metaRequest } from "./meta-client";

/**
 * Checks a Meta connection before it is saved (and from the connection screen): reads the catalog's
 * name and product count with the token. Reasons are written for the merchant and never contain the
 * token. `reconnect` is true when the token itself must be replaced.
 */
export type MetaConnectionCheck = { ok: true; name: string; productCount: number } | { ok: false; reason: string; reconnect: boolean };

const CATALOG_ID = /^\d{1,30}$/;
const CHECK_TIMEOUT_MS = 15_000;

const CatalogSchema = z.object({
  id: z.union([z.string(), z.number().transform(String)]).optional(),
  name: z.string().optional().catch(undefined),
  product_count: z.number().optional().catch(undefined),
});

export async function testMetaConnection(fetchImpl: typeof fetch, connection: { catalogId: string; token: string }): Promise<MetaConnectionCheck> {
  const catalogId = connection.catalogId.trim();
  const token = connection.token.trim();
  if (!CATALOG_ID.test(catalogId)) return { ok: false, reason: "catalogId must be the catalog's numeric id (Commerce Manager → Catalog → Settings)", reconnect: false };
  if (token === "") return { ok: false, reason: "token is empty: paste a system-user access token with catalog_management", reconnect: true };

  const response = await metaRequest(fetchImpl, {
    method: "GET",
    path: `/${catalogId}`,
    query: { fields: "id,name,product_count" },
    token,
    timeoutMs: CHECK_TIMEOUT_MS,
  });
  if (response.ok) {
    const parsed = CatalogSchema.safeParse(response.data);
    if (!parsed.success) return { ok: false, reason: "Meta's answer about the catalog could not be read; try again", reconnect: false };
    return { ok: true, name: parsed.data.name ?? `Catalog ${catalogId}`, productCount: parsed.data.product_count ?? 0 };
  }

  const code = response.error.code;
  if (code === 190 || code === 102) return { ok: false, reason: `Meta refused the token (code ${code}): paste a new system-user token`, reconnect: true };
  if (code === 100) return { ok: false, reason: `Catalog ${catalogId} was not found or the token cannot read it`, reconnect: false };
  const failure = classifyMetaResponse(response);
  switch (failure.kind) {
    case "reconnect":
      return { ok: false, reason: `Meta refused the token (${failure.reason}): paste a new system-user token`, reconnect: true };
    case "dead":
      return failure.scope === "connection"
        ? {
            ok: false,
            reason: `The token may not manage catalog ${catalogId} (code ${code ?? "unknown"}): give the system user access to the catalog with the catalog_management permission, then paste its token`,
            reconnect: true,
          }
        : { ok: false, reason: `Meta refused the check: ${failure.reason}`, reconnect: false };
    case "retry":
      return { ok: false, reason: `Meta is busy or could not be reached (${failure.reason}); try again in a minute`, reconnect: false };
    case "oversize":
      return { ok: false, reason: `Meta refused the check: ${failure.reason}`, reconnect: false };
  }
}
