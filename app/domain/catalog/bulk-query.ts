/**
 * The bulk queries whose JSONL output `createBulkCatalogAssembler` (bulk-jsonl.ts) reads. Checked
 * against Shopify's Admin API 2025-01 schema by tests/unit/catalog/bulk-jsonl.test.ts.
 *
 * Why two queries: a bulk query may hold at most 5 connections (the top-level `products` counts)
 * nested at most 2 deep. The catalog needs 9 (products, media, variants, inventory levels, variant
 * metafields, product metafields, collections, selling plan groups, selling plans), so the work is
 * split into two operations that run one after the other. Feed both output files, in this order,
 * into ONE assembler with line numbers continuing across the files: the second file repeats each
 * product as an id-only line that the assembler merges into the first file's product.
 *
 * No `first:` arguments: bulk operations paginate every connection themselves.
 */

/**
 * Products with their media, variants, per-location inventory and variant metafields.
 * Connections: products, media, variants, inventoryLevels, variants.metafields (5; depth 2).
 * InventoryLevel lines carry the VARIANT's GID as `__parentId`: `inventoryItem` is a plain object,
 * so the nearest enclosing connection node is the variant.
 */
export const CATALOG_BULK_QUERY = `{
  products {
    edges {
      node {
        id
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
        media {
          edges {
            node {
              id
              alt
              ... on MediaImage { image { url width height } }
            }
          }
        }
        variants {
          edges {
            node {
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
                inventoryLevels {
                  edges {
                    node {
                      id
                      location { id name }
                      quantities(names: ["available"]) { name quantity }
                    }
                  }
                }
              }
              metafields {
                edges { node { id namespace key type value } }
              }
            }
          }
        }
      }
    }
  }
}`;

/**
 * Per product (id only): product metafields, collections, and selling plan groups with their plans.
 * Connections: products, metafields, collections, sellingPlanGroups, sellingPlans (5; depth 2).
 * Product.sellingPlanGroups lists the groups that apply to the product or to any of its variants;
 * which variants exactly is not fetched (it would be a sixth connection).
 */
export const CATALOG_RELATIONS_BULK_QUERY = `{
  products {
    edges {
      node {
        id
        metafields {
          edges { node { id namespace key type value } }
        }
        collections {
          edges { node { id } }
        }
        sellingPlanGroups {
          edges {
            node {
              id
              name
              merchantCode
              sellingPlans {
                edges {
                  node {
                    id
                    name
                    category
                    deliveryPolicy {
                      ... on SellingPlanFixedDeliveryPolicy { fulfillmentTrigger fulfillmentExactTime }
                    }
                    inventoryPolicy { reserve }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}`;

/** Run in this order; their outputs are concatenated into one assembler. */
export const CATALOG_BULK_QUERIES = [CATALOG_BULK_QUERY, CATALOG_RELATIONS_BULK_QUERY] as const;
