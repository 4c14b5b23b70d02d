/**
 * The slice of Shopify's Admin GraphQL client our operations use: `admin.graphql` from
 * `authenticate.admin` / `unauthenticated.admin` has this shape, and tests pass a fake with it.
 */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export interface GraphqlEnvelope<T> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Reads a GraphQL response; top-level errors become one exception naming the operation. */
export async function readGraphql<T>(operation: string, response: Response): Promise<T> {
  const body = (await response.json()) as GraphqlEnvelope<T>;
  if (body.errors?.length) throw new Error(`${operation}: ${body.errors.map((e) => e.message).join("; ")}`);
  if (!body.data) throw new Error(`${operation}: the response had no data`);
  return body.data;
}
