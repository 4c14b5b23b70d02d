import type { AdminApi } from "../graphql-client";

/**
 * Sets metafields, at most METAFIELDS_SET_LIMIT per call. Shopify applies a call atomically: when
 * one metafield is refused (`userErrors`, with its `elementIndex`), none of the call's metafields is
 * written. Needs `write_products` for product and variant owners.
 */
export const METAFIELDS_SET_LIMIT = 25;

export const METAFIELDS_SET_MUTATION = `#graphql
  mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

export interface MetafieldsSetInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

export interface MetafieldsSetUserError {
  field: string[] | null;
  message: string;
  /** CAPABILITY_VIOLATION | INVALID_TYPE | INVALID_VALUE | APP_NOT_AUTHORIZED | … */
  code: string | null;
  /** The refused metafield's position in the call's list. */
  elementIndex: number | null;
}

export interface MetafieldsSetResult {
  metafields: { id: string; namespace: string; key: string }[];
  userErrors: MetafieldsSetUserError[];
}

interface MetafieldsSetData {
  metafieldsSet: MetafieldsSetResult | null;
}

export async function setMetafields(api: AdminApi, metafields: MetafieldsSetInput[]): Promise<MetafieldsSetResult> {
  if (metafields.length > METAFIELDS_SET_LIMIT) throw new Error(`metafieldsSet takes at most ${METAFIELDS_SET_LIMIT} metafields per call, got ${metafields.length}`);
  const data = await api.request<MetafieldsSetData>("MetafieldsSet", METAFIELDS_SET_MUTATION, { metafields });
  return data.metafieldsSet ?? { metafields: [], userErrors: [] };
}

export function describeMetafieldsSetErrors(errors: readonly MetafieldsSetUserError[]): string {
  return errors.map((error) => `${error.field?.length ? `${error.field.join(".")}: ` : ""}${error.message}${error.code ? ` [${error.code}]` : ""}`).join("; ");
}
