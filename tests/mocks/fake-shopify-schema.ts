import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  getNamedType,
  GraphQLError,
  isCompositeType,
  isObjectType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/**
 * What makes FakeShopifyShop answer like Shopify rather than like its author: documents are
 * validated and executed against Shopify's own Admin schema (2025-01, the one
 * tests/integration/shopify/graphql-documents.test.ts checks the app's documents against), and
 * priced with Shopify's published cost rules.
 */

const SCHEMA_FILE = fileURLToPath(new URL("../../../shared/data/shopify-admin-schema/admin_schema_2025-01.json.gz", import.meta.url));

let schema: GraphQLSchema | undefined;

/** Built once per test process (~0.2 s); every fake shop shares it. */
export function shopifyAdminSchema(): GraphQLSchema {
  if (!schema) {
    if (!existsSync(SCHEMA_FILE)) throw new Error(`FakeShopifyShop needs Shopify's Admin schema at ${SCHEMA_FILE} (shared/data/shopify-admin-schema)`);
    const introspection = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data);
  }
  return schema;
}

const checkedDocuments = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();

/** Parses and validates like Shopify does before running anything; the app sends the same few documents, so results are kept. */
export function checkDocument(source: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  let checked = checkedDocuments.get(source);
  if (!checked) {
    try {
      const document = parse(source);
      const errors = validate(shopifyAdminSchema(), document);
      checked = errors.length ? { errors } : { document };
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      checked = { errors: [error] };
    }
    checkedDocuments.set(source, checked);
  }
  return checked;
}

// ---------------------------------------------------------------------------------------------
// Query cost (shopify-platform.md A2, shopify.dev "GraphQL Admin API rate limits"): scalars and
// enums 0, objects 1, interfaces and unions the most expensive possible selection, connections
// 2 + first (or last) × the cost of one node, nested connections multiplying, mutations 10.
// `edges`, `node` and `pageInfo` are connection plumbing and cost nothing themselves. The
// requested cost is reserved before running; the actual cost prices the same selection over what
// came back (connections by the items returned), and the difference is refunded.

export const MUTATION_COST = 10;
export const MAX_QUERY_COST = 1_000;

interface CostContext {
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Price the returned data (actualQueryCost) instead of the arguments (requestedQueryCost). */
  actual: boolean;
}

type Data = Record<string, unknown> | null | undefined;
type ConnectionData = { nodes?: Data[]; edges?: { node?: Data }[] } | null | undefined;

function valueOf(node: ValueNode | undefined, ctx: CostContext): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return ctx.variables[node.name.value];
    case Kind.INT:
      return Number.parseInt(node.value, 10);
    case Kind.BOOLEAN:
      return node.value;
    default:
      return undefined;
  }
}

function argument(field: FieldNode, name: string, ctx: CostContext): unknown {
  return valueOf(field.arguments?.find((arg) => arg.name.value === name)?.value, ctx);
}

/** `@skip(if: true)` / `@include(if: false)`: Shopify does not charge what it does not run. */
function isSkipped(selection: SelectionNode, ctx: CostContext): boolean {
  return (selection.directives ?? []).some((directive) => {
    const condition = valueOf(directive.arguments?.find((arg) => arg.name.value === "if")?.value, ctx);
    return (directive.name.value === "skip" && condition === true) || (directive.name.value === "include" && condition === false);
  });
}

function isConnection(type: GraphQLCompositeType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

function responseValue(data: Data, field: FieldNode): unknown {
  return data?.[field.alias?.value ?? field.name.value];
}

function fieldType(parent: GraphQLCompositeType, name: string): GraphQLCompositeType | null {
  const type = "getFields" in parent ? getNamedType(parent.getFields()[name]?.type) : undefined;
  return type && isCompositeType(type) ? type : null;
}

/** One item of a connection, the `index`th returned one when pricing actual data: what `nodes` and `edges { node }` select of it. */
function connectionItemCost(type: GraphQLCompositeType, selectionSet: SelectionSetNode, ctx: CostContext, data: ConnectionData, index: number): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || isSkipped(selection, ctx) || !selection.selectionSet) continue;
    const nodeType = selection.name.value === "nodes" ? fieldType(type, "nodes") : null;
    if (nodeType) cost += 1 + selectionSetCost(nodeType, selection.selectionSet, ctx, (responseValue(data as Data, selection) as Data[] | undefined)?.[index]);
    const edgeType = selection.name.value === "edges" ? fieldType(type, "edges") : null;
    if (!edgeType) continue;
    const edge = (responseValue(data as Data, selection) as Data[] | undefined)?.[index];
    for (const edgeField of selection.selectionSet.selections) {
      const edgeNodeType = edgeField.kind === Kind.FIELD && edgeField.name.value === "node" ? fieldType(edgeType, "node") : null;
      if (edgeNodeType && edgeField.kind === Kind.FIELD && edgeField.selectionSet) {
        cost += 1 + selectionSetCost(edgeNodeType, edgeField.selectionSet, ctx, responseValue(edge, edgeField) as Data);
      }
    }
  }
  return cost;
}

function fieldCost(parent: GraphQLCompositeType, field: FieldNode, ctx: CostContext, value: unknown): number {
  const type = field.name.value.startsWith("__") ? null : fieldType(parent, field.name.value);
  if (!type || !field.selectionSet) return 0; // scalars and enums
  if (ctx.actual && (value === null || value === undefined)) return 0;
  if (isConnection(type)) {
    if (!ctx.actual) {
      const size = Number(argument(field, "first", ctx) ?? argument(field, "last", ctx) ?? 0);
      return 2 + size * connectionItemCost(type, field.selectionSet, ctx, undefined, 0);
    }
    const returned = value as ConnectionData;
    const count = returned?.nodes?.length ?? returned?.edges?.length ?? 0;
    let cost = 2;
    for (let index = 0; index < count; index += 1) cost += connectionItemCost(type, field.selectionSet, ctx, returned, index);
    return cost;
  }
  // A plain list of objects (selectedOptions, quantities) is priced as one object.
  const object = Array.isArray(value) ? (value[0] as Data) : (value as Data);
  return 1 + selectionSetCost(type, field.selectionSet, ctx, object);
}

/** Fields on the type itself add up; fragments on different concrete types cost the largest one. */
function selectionSetCost(type: GraphQLCompositeType, selectionSet: SelectionSetNode, ctx: CostContext, data: Data): number {
  let common = 0;
  const perTypeCondition = new Map<string, number>();
  const addFragment = (typeCondition: string | undefined, fragmentSet: SelectionSetNode) => {
    const fragmentType = typeCondition ? ctx.schema.getType(typeCondition) : type;
    if (!isCompositeType(fragmentType)) return;
    const cost = selectionSetCost(fragmentType, fragmentSet, ctx, data);
    if (fragmentType === type) common += cost;
    else perTypeCondition.set(fragmentType.name, (perTypeCondition.get(fragmentType.name) ?? 0) + cost);
  };
  for (const selection of selectionSet.selections) {
    if (isSkipped(selection, ctx)) continue;
    if (selection.kind === Kind.FIELD) common += fieldCost(type, selection, ctx, responseValue(data, selection));
    else if (selection.kind === Kind.INLINE_FRAGMENT) addFragment(selection.typeCondition?.name.value, selection.selectionSet);
    else {
      const fragment = ctx.fragments.get(selection.name.value);
      if (fragment) addFragment(fragment.typeCondition.name.value, fragment.selectionSet);
    }
  }
  return common + Math.max(0, ...perTypeCondition.values());
}

function queryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, data: Data, actual: boolean): number {
  if (operation.operation === "mutation") return MUTATION_COST;
  const root = schema.getQueryType();
  if (!root) return 0;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return selectionSetCost(root, operation.selectionSet, { schema, variables, fragments, actual }, data);
}

/** What Shopify reserves before running the query. */
export function requestedQueryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  return queryCost(schema, document, operation, variables, undefined, false);
}

/** What the answer actually cost; never more than requested. */
export function actualQueryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, data: Data): number {
  return Math.min(queryCost(schema, document, operation, variables, data, true), requestedQueryCost(schema, document, operation, variables));
}

// ---------------------------------------------------------------------------------------------
// Connections, resolved the way the default GraphQL resolver calls them: `field(args)`.

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

const MAX_PAGE_SIZE = 250;

function cursorOf(id: string): string {
  return Buffer.from(JSON.stringify({ last_id: id })).toString("base64");
}

function indexOfCursor(items: readonly Record<string, unknown>[], cursor: string): number {
  let id: unknown;
  try {
    id = (JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown }).last_id;
  } catch {
    id = undefined;
  }
  const index = items.findIndex((item) => item.id === id);
  if (index === -1) throw new Error(`Invalid cursor for request: ${cursor}`);
  return index;
}

/** A Relay connection over `items` (each with an `id`), paged like Shopify's: first/last ≤ 250 required. */
export function connection(items: readonly Record<string, unknown>[]) {
  return (args: ConnectionArgs) => {
    const size = args.first ?? args.last;
    if (size === null || size === undefined) throw new Error("you must provide one of first or last");
    if (size > MAX_PAGE_SIZE || size < 0) throw new Error(`The connection size must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`);
    const ordered = args.reverse ? [...items].reverse() : items;
    let start = args.after ? indexOfCursor(ordered, args.after) + 1 : 0;
    let end = args.before ? indexOfCursor(ordered, args.before) : ordered.length;
    if (args.first !== null && args.first !== undefined) end = Math.min(end, start + args.first);
    else start = Math.max(start, end - size);
    const page = ordered.slice(start, end);
    return {
      nodes: page,
      edges: page.map((node) => ({ node, cursor: cursorOf(String(node.id)) })),
      pageInfo: {
        hasNextPage: end < ordered.length,
        hasPreviousPage: start > 0,
        startCursor: page.length ? cursorOf(String(page[0]!.id)) : null,
        endCursor: page.length ? cursorOf(String(page[page.length - 1]!.id)) : null,
      },
    };
  };
}
