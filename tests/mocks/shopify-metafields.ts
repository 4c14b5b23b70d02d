import { execute, getOperationAST, GraphQLError } from "graphql";
import { HttpResponse, http, type HttpHandler } from "msw";
import { checkDocument, shopifyAdminSchema } from "./fake-shopify-schema";
import { throttleExtensions } from "./shopify-admin";

/**
 * A shop's metafields as Shopify's Admin API keeps them, behind `metafieldsSet` (msw handlers).
 * Faithful where the storefront writer depends on it: documents are validated and executed against
 * Shopify's Admin schema; a call takes at most 25 metafields (more is a top-level error, nothing
 * written); a call is atomic (one refused metafield, reported with its `elementIndex`, and none of
 * the call's metafields is written); the owner must be a variant the shop has; a `json` value must
 * be JSON; the token must be the shop's.
 */
export interface StoredMetafield {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

interface SetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  value: string;
  type?: string | null;
}

export class FakeShopifyMetafields {
  readonly metafields = new Map<string, StoredMetafield>();
  /** Every metafieldsSet call, with how many metafields it carried and whether Shopify refused it. */
  readonly calls: { count: number; outcome: "ok" | "user-errors" | "too-many" }[] = [];
  /** Owners Shopify refuses (a deleted variant, say). */
  readonly refusedOwners = new Set<string>();
  private nextId = 1;

  constructor(private readonly options: { shop: string; accessToken: string; variantIds: Iterable<string> }) {
    this.variants = new Set(options.variantIds);
  }

  private readonly variants: Set<string>;

  get(ownerId: string, namespace: string, key: string): StoredMetafield | undefined {
    return this.metafields.get(`${ownerId}|${namespace}|${key}`);
  }

  handlers(): HttpHandler[] {
    return [http.post(`https://${this.options.shop}/admin/api/:version/graphql.json`, ({ request }) => this.answer(request))];
  }

  private async answer(request: Request): Promise<Response> {
    if (request.headers.get("X-Shopify-Access-Token") !== this.options.accessToken) {
      return HttpResponse.json({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }, { status: 401 });
    }
    const body = (await request.json()) as { query: string; variables?: Record<string, unknown>; operationName?: string };
    const checked = checkDocument(body.query);
    if (!("document" in checked)) return HttpResponse.json({ errors: checked.errors.map((error) => error.toJSON()) });
    const operation = getOperationAST(checked.document, body.operationName);
    if (!operation) return HttpResponse.json({ errors: [new GraphQLError(`No operation named ${body.operationName ?? "(none)"}`).toJSON()] });
    const inputs = (body.variables?.metafields ?? []) as SetInput[];
    if (inputs.length > 25) {
      this.calls.push({ count: inputs.length, outcome: "too-many" });
      return HttpResponse.json({ errors: [{ message: `The input array size of ${inputs.length} is greater than the maximum allowed of 25.`, extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } }] });
    }
    const result = await execute({ schema: shopifyAdminSchema(), document: checked.document, operationName: body.operationName, variableValues: body.variables ?? {}, rootValue: { metafieldsSet: () => this.set(inputs) } });
    return HttpResponse.json({ ...(result.errors ? { errors: result.errors.map((error) => error.toJSON()) } : {}), data: result.data ?? null, extensions: throttleExtensions(10) });
  }

  private set(inputs: SetInput[]) {
    const userErrors: { field: string[]; message: string; code: string; elementIndex: number }[] = [];
    inputs.forEach((input, index) => {
      if (!this.variants.has(input.ownerId) || this.refusedOwners.has(input.ownerId)) {
        userErrors.push({ field: ["metafields", String(index), "ownerId"], message: "Owner does not exist.", code: "INVALID_VALUE", elementIndex: index });
        return;
      }
      if (input.type === "json") {
        try {
          JSON.parse(input.value);
        } catch {
          userErrors.push({ field: ["metafields", String(index), "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE", elementIndex: index });
        }
      }
    });
    this.calls.push({ count: inputs.length, outcome: userErrors.length > 0 ? "user-errors" : "ok" });
    // Atomic: one refusal and nothing of this call is written.
    if (userErrors.length > 0) return { metafields: [], userErrors };
    const written = inputs.map((input) => {
      const namespace = input.namespace ?? "$app";
      const stored = { ownerId: input.ownerId, namespace, key: input.key, type: input.type ?? "single_line_text_field", value: input.value };
      this.metafields.set(`${input.ownerId}|${namespace}|${input.key}`, stored);
      return { id: `gid://shopify/Metafield/${this.nextId++}`, namespace, key: input.key };
    });
    return { metafields: written, userErrors: [] };
  }
}
