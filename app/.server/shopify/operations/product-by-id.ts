import type {
  BulkInventoryLevelLine,
  BulkMediaImageLine,
  BulkMetafieldLine,
  BulkProductLine,
  BulkSellingPlanGroupLine,
  BulkSellingPlanLine,
  BulkVariantLine,
} from "~/domain/catalog/bulk-jsonl";
import type { AdminApi } from "../graphql-client";

/**
 * One product with everything the catalog needs: the fields of both catalog bulk queries
 * (~/domain/catalog/bulk-query.ts) with the same selections, so that `fetchProductLines` can turn
 * the answer into bulk JSONL lines and `createBulkCatalogAssembler` normalises a webhook-driven
 * refresh exactly as it normalises a full sync.
 *
 * Why variants are paged and nothing else is: Shopify refuses a query whose requested cost exceeds
 * 1,000 points, and a connection costs 2 + first × (cost of one node), nested connections
 * multiplying. One variant node with its inventory levels (10) and metafields (10) costs
 * 6 + 32 + 12 = 50, so `first: 250` is out of reach. The product-level part costs 302
 * (media 102, metafields 52, collections 52, selling plan groups 5 × 5 plans 92, objects 4);
 * the first request adds 10 variants (502) = 804, each further page (`withProductFields: false`)
 * asks for 16 variants = 803. The other connections are read in one page of the sizes below; a
 * product beyond them (more than 50 media, 10 stocked locations per variant, …) throws
 * ProductTooLargeError and is left to the next full (bulk) sync, which has no such limits.
 */
export const PRODUCT_BY_ID_QUERY = `#graphql
  query ProductById($id: ID!, $withProductFields: Boolean!, $variantsFirst: Int!, $variantsAfter: String) {
    product(id: $id) {
      id
      ... @include(if: $withProductFields) {
        handle
        title
        descriptionHtml
        vendor
        productType
        tags
        status
        options { name position values }
        onlineStoreUrl
        seo { title description }
        category { id fullName }
        createdAt
        updatedAt
        media(first: 50) {
          nodes {
            id
            alt
            ... on MediaImage { image { url width height } }
          }
          pageInfo { hasNextPage }
        }
        metafields(first: 50) {
          nodes { id namespace key type value }
          pageInfo { hasNextPage }
        }
        collections(first: 50) {
          nodes { id }
          pageInfo { hasNextPage }
        }
        sellingPlanGroups(first: 5) {
          nodes {
            id
            name
            merchantCode
            sellingPlans(first: 5) {
              nodes {
                id
                name
                category
                deliveryPolicy {
                  ... on SellingPlanFixedDeliveryPolicy { fulfillmentTrigger fulfillmentExactTime }
                }
                inventoryPolicy { reserve }
              }
              pageInfo { hasNextPage }
            }
          }
          pageInfo { hasNextPage }
        }
      }
      variants(first: $variantsFirst, after: $variantsAfter) {
        nodes {
          id
          title
          sku
          barcode
          position
          price
          compareAtPrice
          selectedOptions { name value }
          image { url }
          inventoryPolicy
          inventoryItem {
            id
            tracked
            countryCodeOfOrigin
            harmonizedSystemCode
            measurement { weight { value unit } }
            inventoryLevels(first: 10) {
              nodes {
                id
                location { id name }
                quantities(names: ["available"]) { name quantity }
              }
              pageInfo { hasNextPage }
            }
          }
          metafields(first: 10) {
            nodes { id namespace key type value }
            pageInfo { hasNextPage }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

/** Page sizes written in the document above, named for the error message. */
const ONE_PAGE_LIMITS = {
  media: 50,
  "product metafields": 50,
  collections: 50,
  "selling plan groups": 5,
  "selling plans per group": 5,
  "inventory levels per variant": 10,
  "metafields per variant": 10,
} as const;

const FIRST_PAGE_VARIANTS = 10;
const NEXT_PAGE_VARIANTS = 16;

/** A product with more of something than one request reads; the next full sync covers it. */
export class ProductTooLargeError extends Error {
  readonly productId: string;
  readonly connection: keyof typeof ONE_PAGE_LIMITS;

  constructor(productId: string, connection: keyof typeof ONE_PAGE_LIMITS) {
    super(`product ${productId} has more than ${ONE_PAGE_LIMITS[connection]} ${connection}, more than ProductById reads in one request`);
    this.name = "ProductTooLargeError";
    this.productId = productId;
    this.connection = connection;
  }
}

interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** A Video, ExternalVideo or Model3d node has no `image`: the MediaImage fragment does not apply. */
type MediaNode = Omit<BulkMediaImageLine, "image"> & { image?: BulkMediaImageLine["image"] };

type SellingPlanGroupNode = BulkSellingPlanGroupLine & { sellingPlans: Page<BulkSellingPlanLine> };

type VariantNode = Omit<BulkVariantLine, "inventoryItem"> & {
  inventoryItem: BulkVariantLine["inventoryItem"] & { inventoryLevels: Page<BulkInventoryLevelLine> };
  metafields: Page<BulkMetafieldLine>;
};

type ProductLevelFields = Omit<BulkProductLine, "id"> & {
  media: Page<MediaNode>;
  metafields: Page<BulkMetafieldLine>;
  collections: Page<{ id: string }>;
  sellingPlanGroups: Page<SellingPlanGroupNode>;
};

/** Only `id` and `variants` when `withProductFields` is false. */
type ProductNode = { id: string; variants: Page<VariantNode> } & Partial<ProductLevelFields>;

interface ProductByIdData {
  product: ProductNode | null;
}

function checkComplete(productId: string, page: Page<unknown>, connection: keyof typeof ONE_PAGE_LIMITS): void {
  if (page.pageInfo.hasNextPage) throw new ProductTooLargeError(productId, connection);
}

function line(fields: object, parentId?: string): string {
  return JSON.stringify(parentId === undefined ? fields : { ...fields, __parentId: parentId });
}

/** The product line and its product-level children, as CATALOG_BULK_QUERY + CATALOG_RELATIONS_BULK_QUERY write them. */
function productLevelLines(product: ProductNode): string[] {
  const { id, variants: _variants, media, metafields, collections, sellingPlanGroups, ...fields } = product;
  if (!media || !metafields || !collections || !sellingPlanGroups) throw new Error(`ProductById: product ${id} came without its product fields`);
  checkComplete(id, media, "media");
  checkComplete(id, metafields, "product metafields");
  checkComplete(id, collections, "collections");
  checkComplete(id, sellingPlanGroups, "selling plan groups");
  const lines = [line({ id, ...fields })];
  lines.push(...media.nodes.map((node) => line(node, id)));
  lines.push(...metafields.nodes.map((node) => line(node, id)));
  lines.push(...collections.nodes.map((node) => line(node, id)));
  for (const { sellingPlans, ...group } of sellingPlanGroups.nodes) {
    checkComplete(id, sellingPlans, "selling plans per group");
    lines.push(line(group, id), ...sellingPlans.nodes.map((plan) => line(plan, group.id)));
  }
  return lines;
}

/** A variant line and its children; inventory levels hang under the variant, as in bulk output. */
function variantLines(productId: string, variant: VariantNode): string[] {
  const { inventoryItem: { inventoryLevels, ...inventoryItem }, metafields, ...fields } = variant;
  checkComplete(productId, inventoryLevels, "inventory levels per variant");
  checkComplete(productId, metafields, "metafields per variant");
  return [
    line({ ...fields, inventoryItem }, productId),
    ...inventoryLevels.nodes.map((level) => line(level, variant.id)),
    ...metafields.nodes.map((metafield) => line(metafield, variant.id)),
  ];
}

/**
 * The product as bulk JSONL lines (product line first, children with `__parentId`), or null when
 * Shopify has no such product (deleted). Feed the lines to `createBulkCatalogAssembler`.
 */
export async function fetchProductLines(api: AdminApi, productGid: string): Promise<string[] | null> {
  const lines: string[] = [];
  let firstPage = true;
  let variantsAfter: string | null = null;
  do {
    const data: ProductByIdData = await api.request<ProductByIdData>("ProductById", PRODUCT_BY_ID_QUERY, {
      id: productGid,
      withProductFields: firstPage,
      variantsFirst: firstPage ? FIRST_PAGE_VARIANTS : NEXT_PAGE_VARIANTS,
      variantsAfter,
    });
    // Deleted between pages counts as deleted: a half-read product must not be stored.
    const product = data.product;
    if (!product) return null;
    if (firstPage) lines.push(...productLevelLines(product));
    for (const variant of product.variants.nodes) lines.push(...variantLines(product.id, variant));
    const { hasNextPage, endCursor } = product.variants.pageInfo;
    if (hasNextPage && !endCursor) throw new Error(`ProductById: variants of ${productGid} have a next page but no cursor`);
    variantsAfter = hasNextPage ? (endCursor ?? null) : null;
    firstPage = false;
  } while (variantsAfter !== null);
  return lines;
}
