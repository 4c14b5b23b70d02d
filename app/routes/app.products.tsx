import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import {
  Badge,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  Thumbnail,
} from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";
import { useMemo } from "react";
import { requireShop } from "~/.server/auth";
import { loadProductsPage } from "~/.server/services/products";
import { numericId } from "~/components/channels/format";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { collectionLabel } from "~/components/url-filters/labels";
import { UrlIndexFilters, type UrlFilterChoice } from "~/components/url-filters/UrlIndexFilters";
import { useUrlFilters } from "~/components/url-filters/useUrlFilters";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const page = await loadProductsPage(shop, new URL(request.url).searchParams);
  // Product images live on cdn.shopify.com. Inside Shopify Admin that host is reachable by
  // definition, so real thumbnails are shown. The demo runs offline and its generated image URLs
  // point at files that do not exist: loading them would only draw broken images and fill the
  // console with failed requests, so the demo shows Polaris' image placeholder instead.
  return { ...page, showImages: mode === "shopify" };
}

/** The URL keys that make up the list's state; the detail page carries them back to the list. */
const LIST_KEYS = ["query", "status", "vendor", "productType", "tag", "collection", "stock", "page"] as const;
type ListFilterKey = "status" | "vendor" | "productType" | "tag" | "collection" | "stock";

const STATUS_CHOICES = [
  { label: "Active", value: "ACTIVE" },
  { label: "Draft", value: "DRAFT" },
  { label: "Archived", value: "ARCHIVED" },
  { label: "Unlisted", value: "UNLISTED" },
];
const STOCK_CHOICES = [
  { label: "In stock", value: "in_stock" },
  { label: "Low stock (1–5 available)", value: "low" },
  { label: "Sold out (none available)", value: "sold_out" },
];
const STATUS_TONE: Record<string, "success" | "info" | "attention" | undefined> = { ACTIVE: "success", DRAFT: "info", UNLISTED: "attention" };
const NUMBER = new Intl.NumberFormat("en-US");

function thumbnailUrl(url: string): string {
  // Shopify's CDN resizes on request: a 40px thumbnail should not download the full photo.
  try {
    const resized = new URL(url);
    resized.searchParams.set("width", "80");
    return resized.toString();
  } catch {
    return url;
  }
}

export default function Products() {
  const { rows, total, page, pageCount, pageSize, filters, facets, showImages } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  // Loading a new page of the list, or the product just clicked: either way the table shows it.
  const loading = navigation.state === "loading" && navigation.location.pathname.startsWith("/app/products");

  const hasFilters =
    filters.query !== "" ||
    filters.status.length + filters.vendor.length + filters.productType.length + filters.tag.length + filters.collection.length > 0 ||
    filters.stock !== null;
  const urlFilters = useUrlFilters({ path: "/app/products", clearKeys: LIST_KEYS, hasFilters });
  const { params, clearAll } = urlFilters;

  const filterChoices = useMemo(
    (): UrlFilterChoice<ListFilterKey>[] => [
      { key: "status", label: "Status", choices: STATUS_CHOICES, settled: filters.status, knownOnly: true, pinned: true },
      { key: "vendor", label: "Vendor", choices: facets.vendors.map((v) => ({ label: v, value: v })), settled: filters.vendor },
      { key: "productType", label: "Product type", choices: facets.productTypes.map((v) => ({ label: v, value: v })), settled: filters.productType },
      { key: "tag", label: "Tag", choices: facets.tags.map((v) => ({ label: v, value: v })), settled: filters.tag },
      { key: "collection", label: "Collection", choices: facets.collectionIds.map((v) => ({ label: collectionLabel(v), value: v })), settled: filters.collection, fallbackLabel: collectionLabel },
      { key: "stock", label: "Stock", choices: STOCK_CHOICES, settled: filters.stock ? [filters.stock] : [], knownOnly: true, pinned: true, single: true },
    ],
    [filters, facets],
  );

  // The list's state rides along to the detail page, so its back action returns to this view.
  const listSearch = useMemo(() => {
    const kept = new URLSearchParams();
    for (const [key, value] of params) if ((LIST_KEYS as readonly string[]).includes(key)) kept.append(key, value);
    return kept.toString();
  }, [params]);
  const pageHref = (target: number) => {
    const next = new URLSearchParams(params);
    if (target <= 1) next.delete("page");
    else next.set("page", String(target));
    const search = next.toString();
    return search ? `/app/products?${search}` : "/app/products";
  };

  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  const emptyState = hasFilters ? (
    <EmptyState heading="No products match these filters" image="/empty-state.svg" action={{ content: "Clear all filters", onAction: clearAll }}>
      <p>Try fewer filters, or search by another title, handle, vendor or SKU.</p>
    </EmptyState>
  ) : (
    <EmptyState heading="Your catalog is empty" image="/empty-state.svg" action={{ content: "Go to dashboard", url: "/app" }}>
      <p>Shelfcast has no products for this shop yet. Run a catalog sync from the dashboard to read them from Shopify.</p>
    </EmptyState>
  );

  return (
    <Page
      title="Products"
      subtitle={`${NUMBER.format(total)} ${total === 1 ? "product" : "products"} ${hasFilters ? "match" : "in the Shelfcast snapshot"}`}
      fullWidth
    >
      <Card padding="0">
        <UrlIndexFilters
          urlFilters={urlFilters}
          filters={filterChoices}
          emptyChoicesText={(label) => `No ${label.toLowerCase()} values in this catalog.`}
          queryPlaceholder="Search by title, handle, vendor or SKU"
          tabs={[{ id: "all-products", content: "All products", isLocked: true }]}
          loading={loading}
        />
        <IndexTable
          resourceName={{ singular: "product", plural: "products" }}
          itemCount={rows.length}
          selectable={false}
          loading={loading}
          emptyState={emptyState}
          headings={[
            { title: "Product" },
            { title: "Status" },
            { title: "Vendor" },
            { title: "Type" },
            { title: "Variants", alignment: "end" },
            { title: "Available", alignment: "end" },
          ]}
          pagination={
            total > 0
              ? {
                  hasPrevious: page > 1,
                  hasNext: page < pageCount,
                  previousURL: pageHref(page - 1),
                  nextURL: pageHref(page + 1),
                  label: `${NUMBER.format(first)}–${NUMBER.format(last)} of ${NUMBER.format(total)}`,
                }
              : undefined
          }
        >
          {rows.map((row, index) => {
            const href = `/app/products/${numericId(row.id)}${listSearch ? `?${listSearch}` : ""}`;
            return (
              // Polaris only wires a row to its `dataPrimaryLink` after a second render, so the first
              // tap on a fresh row (touch, or right after filtering) did nothing: the row navigates itself.
              <IndexTable.Row id={row.id} key={row.id} position={index} onClick={() => navigate(href)}>
                <IndexTable.Cell>
                  <InlineStack gap="300" blockAlign="center" wrap={false}>
                    <Thumbnail size="small" alt={row.imageAlt ?? ""} source={showImages && row.imageUrl ? thumbnailUrl(row.imageUrl) : ImageIcon} />
                    {/* Real catalogs have 200-character titles: cap the column so the other
                        columns stay on screen; the full title is in the tooltip and on the detail page. */}
                    <div style={{ maxWidth: "min(26rem, 55vw)", minWidth: 0 }} title={row.title}>
                      {/* A real link (Remix's, through Polaris) for keyboards and "open in new tab";
                          the wrapper keeps its click from reaching the row, which would navigate twice. */}
                      <span onClick={(event) => event.stopPropagation()}>
                        <Link url={href} monochrome removeUnderline>
                          <Text as="span" variant="bodyMd" fontWeight="semibold" truncate>
                            {row.title}
                          </Text>
                        </Link>
                      </span>
                      <Text as="p" variant="bodySm" tone="subdued" truncate>
                        {row.handle}
                      </Text>
                    </div>
                  </InlineStack>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONE[row.status]}>{row.status.charAt(0) + row.status.slice(1).toLowerCase()}</Badge>
                </IndexTable.Cell>
                <IndexTable.Cell>{row.vendor}</IndexTable.Cell>
                <IndexTable.Cell>{row.productType}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {NUMBER.format(row.variantCount)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric tone={row.totalAvailable <= 0 ? "critical" : row.totalAvailable <= 5 ? "caution" : undefined}>
                    {NUMBER.format(row.totalAvailable)}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            );
          })}
        </IndexTable>
      </Card>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Products" />;
}
